"""Find and replace in note fields: plain text or a regular expression, as Anki's browser does.

In a regular expression's replacement, `$1`, `${1}` and `${name}` refer to groups and `$$` is a
dollar sign (Anki's syntax); anything else, backslashes included, is taken literally.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from studyapp.errors import InvalidInputError

_GROUP = re.compile(r"\$\$|\$(\d+)|\$\{(\w+)\}")


@dataclass(frozen=True, slots=True)
class Replacement:
    """A compiled find-and-replace."""

    pattern: re.Pattern[str]
    template: str
    """re.sub's replacement template (group references as \\g<...>)."""

    def apply(self, text: str) -> str:
        return self.pattern.sub(self.template, text)


def compile_replacement(
    find: str, replace: str, regex: bool, ignore_case: bool = True
) -> Replacement:
    """Raises InvalidInputError for an empty search, a bad regular expression or a replacement
    that names a group the expression does not have."""
    if not find:
        raise InvalidInputError("Enter the text to find.")
    flags = re.IGNORECASE if ignore_case else 0
    if not regex:
        return Replacement(re.compile(re.escape(find), flags), replace.replace("\\", "\\\\"))
    try:
        pattern = re.compile(find, flags)
    except re.error as error:
        where = "" if error.pos is None else f" at character {error.pos + 1}"
        raise InvalidInputError(
            f"“{find}” is not a valid regular expression: {error.msg}{where}."
        ) from error
    _check_groups(pattern, replace)
    return Replacement(pattern, _template(replace))


def _template(replace: str) -> str:
    out: list[str] = []
    last = 0
    for match in _GROUP.finditer(replace):
        out.append(replace[last : match.start()].replace("\\", "\\\\"))
        group = match.group(1) or match.group(2)
        out.append("$" if group is None else f"\\g<{group}>")
        last = match.end()
    out.append(replace[last:].replace("\\", "\\\\"))
    return "".join(out)


def _check_groups(pattern: re.Pattern[str], replace: str) -> None:
    for match in _GROUP.finditer(replace):
        group = match.group(1) or match.group(2)
        if group is None:
            continue
        known = int(group) <= pattern.groups if group.isdigit() else group in pattern.groupindex
        if not known:
            raise InvalidInputError(
                f"The replacement refers to group “{group}”, which the expression does not have."
            )


def replace_in_fields(
    fields: Sequence[str], replacement: Replacement, indexes: Collection[int] | None
) -> tuple[str, ...]:
    """The fields with every match replaced, in the fields at `indexes` (None: all of them)."""
    return tuple(
        replacement.apply(value) if indexes is None or i in indexes else value
        for i, value in enumerate(fields)
    )
