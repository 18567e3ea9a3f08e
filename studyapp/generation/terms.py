"""Words and key terms: stop words, a small background vocabulary, and term scoring.

A key term is a run of one to three content words.  Its score grows with how often the document
uses it and with how unusual its words are: words from the background list of everyday English are
worth little, stop words nothing.  Generic headings ("Introduction", "Summary", ...) never count.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from dataclasses import dataclass


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of `text` as a set."""
    return frozenset(text.split())


STOP_WORDS = word_set(
    """a about above after again against all almost along already also although always am among an
    and another any anyone anything are around as at be became because become becomes been before
    being below between both but by can cannot could did do does doing done down during each either
    else enough especially even ever every for from further had has have having he her here hers
    herself him himself his how however i if in into is it its itself just least less let like many
    may me might more most much must my myself neither never no nor not now of off often on once
    one only onto or other others otherwise our ours ourselves out over own per perhaps quite rather
    really same several shall she should since so some something sometimes still such than that the
    their theirs them themselves then there therefore these they this those though through thus to
    together too toward towards under unless until up upon us usually very via was we well were what
    whatever when whenever where whereas whether which while who whom whose why will with within
    without would yet you your yours yourself yourselves generally typically mostly mainly largely
    simply particularly specially specifically commonly frequently rarely usually also"""
)

# Everyday English outside any subject: these words rarely make a good blank or term on their own.
BACKGROUND = word_set(
    """able across actually add added age ago agree allow allows almost alone already area areas ask
    away back bad based basic become begin beginning believe best better big bit book bring build
    call called came carry case cases cause certain change changes clear close come comes
    common complete consider continue could course create current day days decide deal describe
    different difference differences difficult discuss distinction distinctions does done due early
    easy effect else end enough essential even example examples face fact fall far feel few find
    first five follow following form found four full get give given go goes going good great group
    groups grow half hand happen hard help high highlight hold home idea important include included
    includes including increase instead interested issue issues keep key kind kinds know known large
    last late later lead learn leave less level likely line little live long look lot low main
    major make makes making many mean means meet might mind more move much name need needs new next
    number numbers offer old open order others part parts people perform place play point possible
    power present pretty probably problem process provide provides put question quick quickly range
    reach read ready real reason remain right role roles run said say second see seem seen set
    setting settings show side similar simple since small someone something sort start state step
    still stop such sure system take takes talk tell term terms thing things think third three time
    times today together top true try turn two type types understand understanding use used useful
    uses using variety various vital want way ways week well whole wide word words work works world
    year years"""
)

GENERIC_HEADINGS = word_set(
    """introduction conclusion conclusions summary overview background contents abstract preface
    appendix references bibliography acknowledgements acknowledgments discussion notes resources
    faq glossary outline recap takeaways"""
)

# Verbs that end a sentence's subject ("Plants *use* light", "TCP *provides* delivery").
_VERB_STEMS = sorted(
    word_set(
        """absorb accept act add administer affect allow appear apply arrive assess attack
    become begin believe belong break bring build buy carry cause change check choose collect
    combine come connect consider consist contain continue control convert cover create cross cut
    decide decrease define deliver depend describe destroy determine develop die differ discover
    distribute divide drive eat emit enable encourage end enter establish exchange exist expand
    explain fall feed feel fight fill find finish fit fix flow fly follow force form gain get give
    go govern grow guarantee happen hate hear help hold identify improve include increase involve
    join keep kill know lack last lay lead learn leave let lie like limit link live look lose love
    maintain make manage mean measure meet move need occur offer open operate own pass pay perform
    place plan play prefer prepare prevent produce protect prove provide pull push put raise reach
    read receive recognize record reduce refer reflect reject relate release rely remain remember
    remove repeat replace report represent require respond rest result retain retransmit return
    reveal rise rule run save say see seek seem sell send separate serve set share shift show
    sit speak spend split spread stand start stay stop store suffer suggest suit supply support
    surround survive take teach tell tend think throw trade transfer transform transmit transport
    travel treat try turn understand unite use vary wait walk want watch win work write"""
    )
)
# Stems that are nouns as often as verbs: they end a subject but do not split a term.
_NOUN_VERB_STEMS = word_set(
    """act attack cause change check control cover cut end exchange fall feed fight fill fit fix
    flow force form gain help increase decrease lack limit link need pass pay place plan record
    release report rest result return rise rule run set share shift show split spread start stay
    stop store supply support trade transfer transport turn use walk watch work"""
)


def _forms(stems: list[str]) -> list[str]:
    return (
        stems
        + [s + ("es" if s.endswith(("s", "sh", "ch", "x", "o")) else "s") for s in stems]
        + [s[:-1] + "ies" for s in stems if s.endswith("y") and s[-2] not in "aeiou"]
    )


NOUN_VERBS = frozenset(_forms(sorted(_NOUN_VERB_STEMS)))
VERBS = frozenset(
    _forms(_VERB_STEMS)
    + sorted(
        word_set(
            """is are was were be been has have had do does did can could may might must will
            would shall should became began bought brought built came caught chose drew drove fell
            felt fought found gave grew held kept knew led left lost made meant met paid ran rose
            said sat saw sent showed sold spent stood taught thought threw told took understood
            went won wrote"""
        )
    )
)

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-'\u2019]*[A-Za-z0-9]|[A-Za-z0-9]")
_NUMBER_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
NUMBER_NAMES = {value: name for name, value in _NUMBER_WORDS.items()}


@dataclass(frozen=True)
class Word:
    """A word of a unit with its offsets in the document."""

    text: str
    start: int
    end: int

    @property
    def key(self) -> str:
        return stem(self.text)


def words(text: str, start: int = 0, end: int | None = None) -> list[Word]:
    """The words of `text[start:end]` with document offsets."""
    stop = len(text) if end is None else end
    return [Word(m.group(), m.start(), m.end()) for m in _WORD.finditer(text, start, stop)]


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Lower case without a plural or possessive ending: "CPUs" and "CPU" share a stem."""
    lowered = word.lower().replace("\u2019", "'")
    if word.isupper():
        return lowered
    if len(word) > 2 and word[:-1].isupper() and word.endswith("s"):
        return lowered[:-1]  # "CPUs"
    if lowered.endswith("'s"):
        lowered = lowered[:-2]
    if len(lowered) > 3 and lowered.endswith("ies"):
        return lowered[:-3] + "y"
    if len(lowered) > 2 and lowered.endswith("s") and not lowered.endswith(("ss", "us", "is")):
        return lowered[:-1]
    return lowered


def number_value(word: str) -> int | None:
    """2 for "two" or "2"; None for anything that is not a small count."""
    lowered = word.lower()
    if lowered.isdigit():
        return int(lowered) if 2 <= int(lowered) <= 12 else None
    return _NUMBER_WORDS.get(lowered)


def is_stop(word: str) -> bool:
    lowered = word.lower().replace("\u2019", "'")
    return lowered in STOP_WORDS or lowered in _CONTRACTIONS or lowered.endswith(_CONTRACTED)


_CONTRACTIONS = word_set("it's that's there's here's what's let's he's she's who's")
_CONTRACTED = ("n't", "'re", "'ll", "'ve", "'d", "'m")


def is_generic(phrase: str) -> bool:
    """A heading word like "Introduction" that never becomes a term."""
    keys = [stem(w.text) for w in words(phrase)]
    return bool(keys) and all(k in GENERIC_HEADINGS or k in STOP_WORDS for k in keys)


def is_content(word: str) -> bool:
    return not is_stop(word) and stem(word) not in GENERIC_HEADINGS and len(word) > 1


class TermIndex:
    """Counts of candidate terms across the document, for scoring the terms in one unit."""

    def __init__(self, text: str, spans: list[tuple[int, int]]) -> None:
        self._counts: Counter[tuple[str, ...]] = Counter()
        for start, end in spans:
            for run in _content_runs(text, words(text, start, end)):
                keys = [w.key for w in run]
                for size in (1, 2, 3):
                    for i in range(len(keys) - size + 1):
                        self._counts[tuple(keys[i : i + size])] += 1

    def count(self, phrase: list[Word]) -> int:
        return self._counts[tuple(w.key for w in phrase)]

    def score(self, phrase: list[Word]) -> float:
        """How much `phrase` is worth blanking or asking about; 0 when it is no term at all."""
        if not phrase:
            return 0.0
        head = phrase[-1]
        if head.key in BACKGROUND and not _is_acronym(head.text):
            return 0.0
        if len(head.text) > 4 and head.text.lower().endswith("ed"):
            return 0.0  # a participle, not a noun
        special = sum(1 for w in phrase if w.key not in BACKGROUND)
        weight = (1.0 + math.log2(max(self.count(phrase), 1))) * special
        if any(_is_acronym(w.text) for w in phrase):
            weight *= 1.2
        if head.text[0].isdigit() and len(phrase) == 1:
            weight *= 0.8
        return weight

    def terms_in(self, text: str, start: int, end: int) -> list[tuple[float, list[Word]]]:
        """Scored candidate terms of one unit, best first, ties in reading order.

        Candidates are the last one to three words of each run of content words, since an
        English noun phrase ends in its head: "light energy storage", "energy storage", "storage".
        """
        found: list[tuple[float, int, list[Word]]] = []
        for run in _content_runs(text, words(text, start, end)):
            for size in range(min(3, len(run)), 0, -1):
                phrase = run[len(run) - size :]
                value = self.score(phrase)
                if value > 0:
                    found.append((value, phrase[0].start, phrase))
        found.sort(key=lambda item: (-item[0], item[1], -len(item[2])))
        return [(value, phrase) for value, _, phrase in found]


def _is_acronym(word: str) -> bool:
    core = word[:-1] if word.endswith("s") else word
    return len(core) >= 2 and core.isupper() and core.isalpha()


def is_acronym(word: str) -> bool:
    """ "CPU", "TCP", "DNAs": two or more capitals, an optional plural s."""
    return _is_acronym(word)


_BEFORE_VERB = word_set(
    """to can could may might must will would should shall they we it also often not never only
    then usually generally typically"""
)


def _is_verb(before: str, word: str) -> bool:
    """Whether `word` is used as a verb here; noun-or-verb words decide by the word before."""
    if word not in VERBS:
        return False
    if word not in NOUN_VERBS:
        return True
    if before.lower() in _BEFORE_VERB:
        return True
    if (_plural(before) or _is_acronym(before)) and not word.endswith("s"):
        return True
    return (
        word.endswith("s") and before.islower() and not before.endswith("s") and not is_stop(before)
    )


def _plural(word: str) -> bool:
    return (
        word.islower()
        and len(word) > 3
        and word.endswith("s")
        and not word.endswith(("ss", "us", "is"))
    )


def _starts_predicate(previous: str, word: str) -> bool:
    """A verb after a subject ("plants *lose* water") or a participle ("officials *elected*")."""
    if word.islower() and len(word) > 4 and word.endswith("ed"):
        return True
    return _plural(previous) and word.islower() and not word.endswith("s")


def _content_runs(text: str, found: list[Word]) -> list[list[Word]]:
    """Maximal runs of adjacent content words, split at stop words, verbs and punctuation."""
    runs: list[list[Word]] = []
    current: list[Word] = []
    previous_end = -1
    for index, word in enumerate(found):
        gap = text[previous_end : word.start] if previous_end >= 0 else ","
        adjacent = len(gap) <= 2 and gap.isspace()
        lowered = word.text.lower()
        before = found[index - 1].text if index else ""
        if not is_content(word.text) or _is_verb(before, lowered):
            if current:
                runs.append(current)
            current = []
            previous_end = -1
            continue
        if current and (not adjacent or _starts_predicate(current[-1].text, word.text)):
            runs.append(current)
            current = []
        current.append(word)
        previous_end = word.end
    if current:
        runs.append(current)
    return runs
