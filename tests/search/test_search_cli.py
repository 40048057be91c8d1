"""`briefing-reader search` and `index` through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.app import main


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_search_json_ranks_military_cooperation_first(capsys, data_dir: Path):
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "search", "drone technology", "--json")
    assert code == 0
    data = json.loads(out)
    first = data["results"][0]
    assert first["id"] == "iran-russia/military-cooperation"
    assert {"id", "title", "score", "snippet"} <= set(first)
    assert "drone" in first["snippet"]


def test_search_text_output_phrase_and_limit(capsys, data_dir: Path):
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "search", '"strategic partnership"',
                       "--limit", "1")
    assert code == 0
    assert "[iran-russia/deepening-ties]" in out and " 2. " not in out


def test_search_suggests_spelling(capsys, data_dir: Path):
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "search", "sanctons")
    assert code == 0 and "Did you mean: sanctions" in out


@pytest.mark.parametrize("query", ['"', "(", "AND", "title:", "*", "x" * 10_000])
def test_malformed_queries_exit_zero(capsys, data_dir: Path, query: str):
    code, out, err = run(capsys, "--data-dir", str(data_dir), "search", query, "--json")
    assert code == 0 and "Traceback" not in err
    assert isinstance(json.loads(out)["results"], list)


def test_index_builds_then_reports_up_to_date_and_rebuilds(capsys, data_dir: Path):
    code, out, err = run(capsys, "--data-dir", str(data_dir), "index")
    assert code == 0 and "Indexed 11 documents" in out and "built it" in err
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "index")
    assert "up to date (11 documents)" in out
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "index", "--rebuild")
    assert code == 0 and "Indexed 11 documents" in out


def test_index_output_builds_a_prebuilt_index(capsys, data_dir: Path, tmp_path: Path):
    target = tmp_path / "prebuilt-index"
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "index", "--output", str(target))
    assert code == 0 and (target / "manifest.json").is_file()
    code, _, err = run(capsys, "--data-dir", str(data_dir), "index", "--output", str(target))
    assert code == 1 and "not empty" in err
