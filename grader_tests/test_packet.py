"""Grading packet for written answers and the final gradebook with manual scores."""

from __future__ import annotations

import csv

import pytest

from autograder.cli import main
from xentcore.errors import InputFileError
from autograder.lms import final_gradebook
from autograder.master import load_master
from autograder.packet import make_packet

from conftest import ROOT
from sample_class import EXPECTED, sample_class  # noqa: F401 - fixture

pytestmark = pytest.mark.slow


def _rows(path):
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_packet_page_shows_every_answer_beside_model_and_rubric(sample_class):
    _, out = sample_class
    packet = make_packet("coin_mle", out, root=ROOT)
    page = packet.pages[0].read_text()
    assert packet.pages == [out / "packet" / "q6.html", out / "packet" / "q10.html"]
    for name in EXPECTED:
        assert f'id="{name}"' in page
    assert "Model answer and rubric" in page and "Differentiates correctly" in page
    assert page.count("Accept as equivalent:") == 3  # one per rubric item of q6
    assert "<math" in page and "<script" not in page and "http" not in page.replace("http://www.w3.org", "")
    assert "because there are 3 heads out of 5 flips" in page  # bob's answer
    assert page.count("No answer written.") >= 2


def test_scores_file_has_a_row_per_rubric_item_and_keeps_filled_values(sample_class):
    _, out = sample_class
    make_packet("coin_mle", out, root=ROOT)
    rows = _rows(out / "manual_scores.csv")
    assert len(rows) == len(EXPECTED) * (3 + 4)  # rubric items of q6 and q10
    assert set(rows[0]) == {"submission", "question", "item", "rubric_item", "max_points", "points", "comment"}
    rows[0]["points"], rows[0]["comment"] = "1", "clear"
    with (out / "manual_scores.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    make_packet("coin_mle", out, root=ROOT)
    again = _rows(out / "manual_scores.csv")
    assert again[0]["points"] == "1" and again[0]["comment"] == "clear"


def test_anonymised_packet_hides_names_and_gradebook_maps_back(sample_class, tmp_path):
    _, out = sample_class
    packet = make_packet("coin_mle", out, root=ROOT, anonymise=True)
    page = packet.pages[0].read_text()
    assert "alice" not in page and 'id="student-001"' in page
    rows = _rows(out / "manual_scores.csv")
    assert {r["submission"] for r in rows} == {f"student-{i:03d}" for i in range(1, len(EXPECTED) + 1)}
    for row in rows:
        row["points"] = row["max_points"]
    filled = tmp_path / "filled.csv"
    with filled.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    grades = final_gradebook("coin_mle", out, root=ROOT, manual=filled, lms="canvas")
    final = {r["submission"]: r for r in _rows(grades.path)}
    total = f"{sum(q.points for q in load_master(ROOT / 'assignments/coin_mle/coin_mle.ipynb').questions):g}"
    assert final["alice"]["manual_score"] == "7" and final["alice"]["total"] == total
    assert grades.complete == len(EXPECTED)
    canvas = grades.lms.read_text().splitlines()
    assert canvas[0] == "Student,ID,SIS User ID,SIS Login ID,Section,coin_mle"
    assert canvas[1].startswith("    Points Possible,") and canvas[1].endswith(f",{total}")
    make_packet("coin_mle", out, root=ROOT)  # back to names for the other tests
    assert not (out / "packet_key.csv").exists()


def test_invalid_manual_scores_name_rows_and_write_nothing(sample_class, tmp_path, capsys):
    _, out = sample_class
    make_packet("coin_mle", out, root=ROOT)
    rows = _rows(out / "manual_scores.csv")
    rows[0]["points"] = "5"          # above the item's maximum of 1
    rows[1]["submission"] = "mallory"  # unknown
    rows[2]["points"] = "lots"
    bad = tmp_path / "bad.csv"
    with bad.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    before = {p.name: p.read_bytes() for p in out.glob("*.csv")}
    with pytest.raises(InputFileError) as info:
        final_gradebook("coin_mle", out, root=ROOT, manual=bad)
    message = str(info.value)
    assert "row 2: 5 points is outside 0..1" in message
    assert "row 3: unknown submission 'mallory'" in message
    assert "row 4: points 'lots' is not a number" in message
    assert {p.name: p.read_bytes() for p in out.glob("*.csv")} == before
    assert main(["--root", str(ROOT), "gradebook", "coin_mle", str(out), "--manual", str(bad)]) == 1
    assert capsys.readouterr().err.startswith("input: ")
