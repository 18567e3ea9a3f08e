"""The bulk-import helpers of storage.rows."""

from __future__ import annotations

import json

import pytest

from studyapp.storage.rows import json_strings


@pytest.mark.parametrize(
    "values",
    [(), ("",), ("a", "b"), ('q"uote\\', "tab\tnew\nline\x00"), ("é ü 中文", "😀 \ud800")],
)
def test_json_strings_is_json_dumps(values: tuple[str, ...]) -> None:
    assert json_strings(values) == json.dumps(list(values))
