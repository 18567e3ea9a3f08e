"""Anki's figures for `make bench`, measured in the same run on an equivalent collection.

The collection is built through Anki's own API (a deck with its limits, 100,000 Basic notes
added with `add_notes`, then the same mix of card states and 1,000,000 review-log rows written
through `col.db`), cached in bench-cache/, and copied before each measurement.  Every Anki call
runs in a subprocess, so the AGPL `anki` package is only ever loaded by these benchmarks.
Never collected by pytest.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from tests.benchmarks.bench_collection import CARDS, REVIEWS, SEED

DESKTOP_LAUNCH_REFERENCE = "800-1,000"
"""Anki's desktop app, launch to its deck list offscreen (ms), on the issue's reference machine;
printed as a reference: measuring it would need the desktop app and its Qt WebEngine here."""

BUILD = """
import json, random, sys, time
from anki.collection import AddNoteRequest, Collection
path, cards, reviews, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
col = Collection(path)
col.set_config("fsrs", True)
deck_id = col.decks.id("Bench")
config = col.decks.add_config_returning_id("Bench")
conf = col.decks.get_config(config)
conf["new"]["perDay"] = 20
conf["rev"]["perDay"] = 9999  # the most Anki accepts
col.decks.save(conf)
deck = col.decks.get(deck_id)
deck["conf"] = config
col.decks.save(deck)
basic = col.models.by_name("Basic")
for start in range(0, cards, 10000):
    requests = []
    for i in range(start, min(cards, start + 10000)):
        note = col.new_note(basic)
        note["Front"] = f"Question {i}"
        note["Back"] = f"Answer {i}"
        requests.append(AddNoteRequest(note=note, deck_id=deck_id))
    col.add_notes(requests)
ids = col.db.list("SELECT id FROM cards ORDER BY id")
today = col.sched.today
now = int(time.time())
chooser = random.Random(seed)
updates = []
review_ids = []
for position, card_id in enumerate(ids):
    kind = chooser.random()
    if kind < 0.70:
        interval = chooser.randint(1, 400)
        due = today + chooser.randint(-30, interval)
        memory = json.dumps({"s": interval * 1.2, "d": chooser.uniform(2, 9)})
        updates.append((2, 2, due, interval, 5, 1, memory, card_id))
        review_ids.append(card_id)
    elif kind < 0.75:
        due = now + chooser.randint(-600, 3600)
        updates.append((1, 1, due, 0, 1, 0, json.dumps({"s": 1.0, "d": 5.0}), card_id))
    else:
        updates.append((0, 0, position, 0, 0, 0, "", card_id))
col.db.executemany(
    "UPDATE cards SET type = ?, queue = ?, due = ?, ivl = ?, reps = ?, lapses = ?, data = ?,"
    " left = CASE WHEN ? = 1 THEN 1 ELSE 0 END WHERE id = ?",
    [(*u[:7], u[0], u[7]) for u in updates],
)
first = (now - 86400) * 1000
for start in range(0, reviews, 100000):
    col.db.executemany(
        "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"
        " VALUES (?, ?, -1, 3, 10, 5, 0, 6000, 1)",
        [(first - r * 10000, review_ids[r % len(review_ids)])
         for r in range(start, min(reviews, start + 100000))],
    )
col.set_config("benchBuilt", {"day": today, "at": now})
col.close()
print(json.dumps({"cards": len(ids)}))
"""

MEASURE = """
import json, statistics, sys, time
from anki.collection import Collection
from anki.cards import Card
from anki.scheduler.v3 import CardAnswer
path, steps = sys.argv[1], int(sys.argv[2])
col = Collection(path)
# Anki schedules by the wall clock: move every due by the time since the build, so the queue
# looks as it did then (as our collection is always measured at the same simulated moment).
built = col.get_config("benchBuilt")
col.db.execute("UPDATE cards SET due = due + ? WHERE queue = 2", col.sched.today - built["day"])
col.db.execute("UPDATE cards SET due = due + ? WHERE queue = 1", int(time.time()) - built["at"])
col.decks.select(col.decks.id_for_name("Bench"))
for _ in range(3):
    col.sched.deck_due_tree()
tree = []
for _ in range(20):
    began = time.perf_counter()
    col.sched.deck_due_tree()
    tree.append((time.perf_counter() - began) * 1000)

def shown():
    queued = col.sched.get_queued_cards().cards[0]
    card = Card(col, backend_card=queued.card)
    card.start_timer()
    card.question()
    card.answer()
    return card, queued.states

card, states = shown()
step = []
for i in range(steps):
    rating = CardAnswer.GOOD if i % 5 else CardAnswer.AGAIN
    began = time.perf_counter()
    col.sched.answer_card(col.sched.build_answer(card=card, states=states, rating=rating))
    card, states = shown()
    step.append((time.perf_counter() - began) * 1000)
col.close()
print(json.dumps({"review_step_ms": statistics.median(step[20:]),
                  "deck_list_ms": statistics.median(tree)}))
"""


def installed() -> bool:
    probe = subprocess.run([sys.executable, "-c", "import anki"], capture_output=True)
    return probe.returncode == 0


def cached_collection(cache: Path) -> Path:
    path = cache / f"anki-{CARDS}-{REVIEWS}.anki2"
    if not path.exists():
        print(f"building Anki's collection (cached in {cache.name}/)…", file=sys.stderr)
        partial = path.with_name("partial-" + path.name)
        partial.unlink(missing_ok=True)
        subprocess.run(
            [sys.executable, "-c", BUILD, str(partial), str(CARDS), str(REVIEWS), str(SEED)],
            check=True,
            capture_output=True,
        )
        partial.rename(path)
        shutil.rmtree(partial.with_suffix(".media"), ignore_errors=True)  # Anki's media folder
    return path


def measure(cache: Path, workdir: Path, steps: int = 300) -> dict[str, float]:
    """Anki's review step and deck-list counts (median ms), or {} without the `anki` package."""
    if not installed():
        return {}
    workdir.mkdir(parents=True, exist_ok=True)
    copy = workdir / "anki.anki2"
    shutil.copyfile(cached_collection(cache), copy)
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(copy), str(steps)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"Anki's measurement failed:\n{result.stderr[-3000:]}")
    figures: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures
