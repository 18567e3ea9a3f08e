"""The command line starts light: its parser loads neither SQLAlchemy nor the services, and the
export format is told from `--format` or the output's extension without loading the exporters."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from studyapp.cli.exports import chosen_format
from studyapp.errors import InvalidInputError
from studyapp.services.exports import ExportFormat

PARSER_PROBE = """
import sys
from studyapp import cli

cli.build_parser().parse_args(["--data-dir", "x", "export", "out.apkg"])
heavy = tuple(sys.argv[1].split(","))
print(",".join(sorted(name for name in sys.modules if name.startswith(heavy))))
"""
HEAVY = ("sqlalchemy", "studyapp.storage", "studyapp.importers", "studyapp.exporters")
"""Not needed to parse the command line.  Every service module imports storage, so only pure value
modules of `services` (the statistics periods) may load."""

COMMAND_PROBE = """
import sys
from studyapp.app import main

status = main(sys.argv[2:])
features = sys.argv[1].split(",")
loaded = [m for m in sys.modules if any(m == f or m.startswith(f + ".") for f in features)]
print("loaded:", ",".join(sorted(loaded)))
sys.exit(status)
"""
FEATURES = (
    "studyapp.importers",
    "studyapp.exporters",
    "studyapp.generation",
    "studyapp.services.imports",
    "studyapp.services.exports",
    "studyapp.services.statistics",
    "studyapp.services.browser",
    "studyapp.services.optimizer",
)
"""What `studyapp decks` does not use."""


def test_a_command_on_a_set_up_collection_loads_only_the_services_it_uses(tmp_path: Path) -> None:
    command = [sys.executable, "-c", COMMAND_PROBE, ",".join(FEATURES)]
    command += ["--data-dir", str(tmp_path / "data"), "decks"]
    setup = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert setup.returncode == 0, setup.stderr
    assert "EMT vs EMS" in setup.stdout  # the built-in deck, installed by the first start

    again = subprocess.run(command, capture_output=True, text=True, timeout=60)

    assert again.returncode == 0, again.stderr
    assert "EMT vs EMS" in again.stdout
    assert again.stdout.splitlines()[-1] == "loaded: "


def test_parsing_the_command_line_loads_neither_sqlalchemy_nor_storage() -> None:
    probe = subprocess.run(
        [sys.executable, "-c", PARSER_PROBE, ",".join(HEAVY)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert probe.stdout.strip() == ""


@pytest.mark.parametrize(
    ("option", "output", "expected"),
    [
        (None, "deck.APKG", ExportFormat.APKG),
        (None, "deck.tsv", ExportFormat.TEXT),
        (None, "deck.toml", ExportFormat.DECK),
        ("apkg-legacy", "deck.apkg", ExportFormat.APKG_LEGACY),
        ("CSV", "deck.txt", ExportFormat.CSV),
    ],
)
def test_the_format_comes_from_the_option_else_the_extension(
    option: str | None, output: str, expected: ExportFormat
) -> None:
    assert chosen_format(option, Path(output)) is expected


def test_an_unknown_format_names_the_known_ones() -> None:
    with pytest.raises(InvalidInputError, match="use one of apkg, apkg-legacy, txt, csv, toml"):
        chosen_format("docx", Path("deck.apkg"))
    with pytest.raises(InvalidInputError, match=r"Cannot tell the format from deck\.docx"):
        chosen_format(None, Path("deck.docx"))
