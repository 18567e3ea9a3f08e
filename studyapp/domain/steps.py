"""Learning steps as the user types them: "1m 10m 1h", "30s 2d"."""

from __future__ import annotations

_UNITS = {"s": 1, "m": 60, "h": 3_600, "d": 86_400}
MAX_STEP_SECONDS = 365 * 86_400


def parse_steps(text: str) -> tuple[int, ...]:
    """Steps in seconds from text such as "1m 10m 1h" (units s, m, h, d; a bare number is
    minutes, as in Anki).  Blank text is no steps.  Raises ValueError with a readable reason."""
    steps: list[int] = []
    for word in text.replace(",", " ").split():
        number, unit = (word[:-1], word[-1].lower()) if word[-1].isalpha() else (word, "m")
        if unit not in _UNITS:
            raise ValueError(f"“{word}” has an unknown unit; use s, m, h or d (as in 10m)")
        try:
            amount = float(number)
        except ValueError:
            raise ValueError(f"“{word}” is not a delay such as 10m") from None
        seconds = round(amount * _UNITS[unit])
        if not 1 <= seconds <= MAX_STEP_SECONDS:
            raise ValueError(f"“{word}” must be at least 1s and at most 365d")
        steps.append(seconds)
    return tuple(steps)


def format_steps(steps: tuple[int, ...]) -> str:
    """Steps in the form parse_steps reads, each in the largest unit that divides it."""
    words = []
    for seconds in steps:
        for unit, size in (("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)):
            if seconds % size == 0:
                words.append(f"{seconds // size}{unit}")
                break
    return " ".join(words)
