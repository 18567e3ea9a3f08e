"""Sound references in card HTML: Anki's `[sound:file.mp3]`.

A card names its sounds by file name; the files live in the collection's media folder.  The
reviewer plays them and shows each reference as a play button.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

SOUND_TAG = re.compile(r"\[sound:([^\[\]]+)\]")


def sound_files(card_html: str) -> tuple[str, ...]:
    """The file names the card's sound references give, in order (repeats kept)."""
    return tuple(html.unescape(match.group(1)).strip() for match in SOUND_TAG.finditer(card_html))


def replace_sound_tags(card_html: str, button: Callable[[int, str], str]) -> str:
    """`card_html` with its i-th sound reference replaced by `button(i, file name)`."""
    counter = iter(range(len(SOUND_TAG.findall(card_html))))

    def replaced(match: re.Match[str]) -> str:
        return button(next(counter), html.unescape(match.group(1)).strip())

    return SOUND_TAG.sub(replaced, card_html)
