"""The span of review history the statistics cover: the window's Period menu, `stats --period`.

Apart from the statistics values so that the command line's parser names the choices without
loading them.
"""

from __future__ import annotations

from enum import StrEnum


class Period(StrEnum):
    MONTH = "1m"
    QUARTER = "3m"
    YEAR = "1y"
    ALL = "all"
