"""The command line, run as a user runs it: a subprocess of `python -m studyapp`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def run(
    *args: str, home: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("XDG_", "STUDYAPP_"))
    }
    environment.update({"HOME": str(home), **(env or {})})
    return subprocess.run(
        [sys.executable, "-m", "studyapp", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )


def files_below(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def test_help_lists_the_commands(tmp_path: Path) -> None:
    result = run("--help", home=tmp_path)
    assert result.returncode == 0
    for command in ("gui", "decks", "desktop-entry", "--data-dir", "--database"):
        assert command in result.stdout


def test_decks_json_on_a_new_folder(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    data = tmp_path / "new" / "data"
    result = run("--data-dir", str(data), "decks", "--json", home=home)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        {"name": "EMT vs EMS", "new": 20, "learning": 0, "review": 0}
    ]
    assert (data / "collection.sqlite3").is_file()
    assert files_below(home) == []  # nothing written outside the data folder


def test_decks_table_and_database_option(tmp_path: Path) -> None:
    database = tmp_path / "elsewhere.sqlite3"
    result = run(
        "--data-dir", str(tmp_path / "d"), "--database", str(database), "decks", home=tmp_path
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["Deck", "New", "Learn", "Due"]
    assert lines[1].split()[-3:] == ["20", "0", "0"]
    assert lines[1].startswith("EMT vs EMS")
    assert database.is_file()
    assert not (tmp_path / "d" / "collection.sqlite3").exists()


def test_environment_variable_chooses_the_database(tmp_path: Path) -> None:
    database = tmp_path / "env.sqlite3"
    result = run(
        "--data-dir",
        str(tmp_path / "d"),
        "decks",
        "--json",
        home=tmp_path,
        env={"STUDYAPP_DATABASE": f"sqlite:///{database}"},
    )
    assert result.returncode == 0, result.stderr
    assert database.is_file()


def test_desktop_entry_installs_a_launcher_with_the_icon(tmp_path: Path) -> None:
    data_home = tmp_path / "share"
    result = run("desktop-entry", home=tmp_path, env={"XDG_DATA_HOME": str(data_home)})
    assert result.returncode == 0, result.stderr
    entry = (data_home / "applications" / "studyapp.desktop").read_text()
    icon = data_home / "icons" / "hicolor" / "scalable" / "apps" / "studyapp.svg"
    assert icon.read_text().lstrip().startswith("<")
    assert f"Icon={icon}" in entry
    assert "-m studyapp" in entry
    assert "Type=Application" in entry


def test_bad_database_url_gives_a_clear_message(tmp_path: Path) -> None:
    result = run(
        "--data-dir", str(tmp_path), "--database", "nosuchdb://x/y", "decks", home=tmp_path
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "database" in result.stderr.lower()


def test_import_prints_a_summary_and_list_shows_the_notes(tmp_path: Path) -> None:
    data = tmp_path / "d"
    csv = tmp_path / "Spanish.csv"
    csv.write_text("house,casa\ndog,perro\n", encoding="utf-8")
    result = run("--data-dir", str(data), "import", str(csv), home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "2 added" in result.stdout
    listed = run("--data-dir", str(data), "list", "--json", home=tmp_path)
    assert listed.returncode == 0, listed.stderr
    collection = json.loads(listed.stdout)
    assert "Spanish" in collection["decks"]
    spanish = [n for n in collection["notes"] if n["deck"] == "Spanish"]
    assert sorted(n["fields"]["Front"] for n in spanish) == ["dog", "house"]
    assert all(n["note_type"] == "Basic" and n["cards"] == 1 for n in spanish)
    assert {"name": "Basic", "fields": ["Front", "Back", "Extra"]} in collection["note_types"]
    assert collection["card_states"]["new"] >= 2
    assert collection["media"] == []


def test_import_of_a_ragged_file_imports_nothing_and_exits_1(tmp_path: Path) -> None:
    data = tmp_path / "d"
    csv = tmp_path / "Bad.csv"
    csv.write_text("a,b\nc,d,e\nf,g\n", encoding="utf-8")
    result = run("--data-dir", str(data), "import", str(csv), home=tmp_path)
    assert result.returncode == 1
    assert "line 2" in result.stderr
    assert "Traceback" not in result.stderr
    listed = json.loads(run("--data-dir", str(data), "list", "--json", home=tmp_path).stdout)
    assert "Bad" not in listed["decks"]
    skipped = run("--data-dir", str(data), "import", str(csv), "--skip-bad-rows", home=tmp_path)
    assert skipped.returncode == 0, skipped.stderr
    assert "2 added" in skipped.stdout
    assert "1 skipped" in skipped.stdout


SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seed" / "emt-vs-ems.txt"


def test_generate_json_on_the_seed_document(tmp_path: Path) -> None:
    result = run("--data-dir", str(tmp_path / "d"), "generate", str(SEED), "--json", home=tmp_path)
    assert result.returncode == 0, result.stderr
    cards = json.loads(result.stdout)
    assert len(cards) >= 25
    text = SEED.read_bytes().decode("utf-8").replace("\r\n", "\n")
    for card in cards:
        assert set(card) == {"kind", "front", "back", "source"}
        assert card["kind"] in {"definition", "acronym", "list", "cloze", "contrast"}
        assert text[card["source"]["start"] : card["source"]["end"]] == card["source"]["text"]
        if card["kind"] == "cloze":
            assert "[...]" in card["front"]


def test_generate_import_adds_a_deck(tmp_path: Path) -> None:
    data = tmp_path / "d"
    result = run(
        "--data-dir", str(data), "generate", str(SEED), "--import", "--deck", "Seed", home=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "Added" in result.stdout
    decks = json.loads(run("--data-dir", str(data), "decks", "--json", home=tmp_path).stdout)
    assert any(d["name"] == "Seed" and d["new"] == 20 for d in decks)


def test_generate_deck_file_keeps_ids_and_bumps_the_version(tmp_path: Path) -> None:
    document = tmp_path / "tides.md"
    document.write_text(
        "# Tides\n\nA tide is the regular rise and fall of the sea caused by the Moon's pull.\n"
        "Spring tides are the largest tides, whereas neap tides are the smallest.\n",
        encoding="utf-8",
    )
    out = tmp_path / "tides.toml"
    data = ["--data-dir", str(tmp_path / "d")]
    args = [*data, "generate", str(document), "--deck-file", str(out), "--deck", "Sea::Tides"]
    result = run(*args, home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "written" in result.stdout
    first = out.read_text(encoding="utf-8")
    assert 'name = "Sea::Tides"' in first
    assert "version = 1" in first
    assert 'id = "tides-001"' in first
    assert "source_start = " in first
    again = run(*data, "generate", str(document), "--deck-file", str(out), home=tmp_path)
    assert "unchanged" in again.stdout
    assert out.read_text(encoding="utf-8") == first
    with document.open("a", encoding="utf-8") as more:
        more.write("Tidal ranges are greatest in funnel-shaped bays like the Bay of Fundy.\n")
    run(*data, "generate", str(document), "--deck-file", str(out), home=tmp_path)
    second = out.read_text(encoding="utf-8")
    assert "version = 2" in second
    assert 'name = "Sea::Tides"' in second
    assert 'id = "tides-001"' in second


def test_export_then_import_through_the_command_line(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    csv = tmp_path / "Capitals.csv"
    csv.write_text("France,Paris\nPeru,Lima\n", encoding="utf-8")
    assert run("--data-dir", str(first), "import", str(csv), home=tmp_path).returncode == 0
    package = tmp_path / "capitals.apkg"
    exported = run(
        "--data-dir", str(first), "export", str(package), "--deck", "Capitals", home=tmp_path
    )
    assert exported.returncode == 0, exported.stderr
    assert "Exported 2 notes" in exported.stdout
    imported = run("--data-dir", str(second), "import", str(package), home=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert "2 added" in imported.stdout
    unknown = run("--data-dir", str(first), "export", str(tmp_path / "x.docx"), home=tmp_path)
    assert unknown.returncode == 1
    assert "--format" in unknown.stderr


def test_stats_json_prints_the_documented_keys(tmp_path: Path) -> None:
    result = run(
        "--data-dir", str(tmp_path / "d"), "stats", "--json", "--period", "1y", home=tmp_path
    )
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    assert sorted(printed) == sorted(
        ["today", "streak", "true_retention", "forecast", "card_counts", "reviews_per_day",
         "intervals", "hourly", "buttons", "added", "knowledge", "summary"]
    )  # fmt: skip
    assert printed["card_counts"]["new"] == 46  # the built-in deck
    assert len(printed["reviews_per_day"]) == 365
    assert [row["period"] for row in printed["true_retention"]] == [
        "today", "yesterday", "last_week", "last_month", "last_year", "all_time"
    ]  # fmt: skip
    assert set(printed["buttons"]) == {"learning", "young", "mature"}
    missing = run("--data-dir", str(tmp_path / "d"), "stats", "--deck", "Nope", home=tmp_path)
    assert missing.returncode == 1
    assert "Nope" in missing.stderr
