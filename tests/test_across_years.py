"""Run-together digits settled by the same agency's neighbouring years (validate/across_years.py).

The real web-text report of 2023 (tests/fixtures/reports/web-text-cells-run-together-2021.txt) prints
table 二's 行政规范性文件 row as ``77132470``: with 77 settled by its prose, five splits remain
(1/32470, 13/2470, 132/470, 1324/70, 13247/0). Its neighbours are generated from the same text: the
year before (2022) or after (2024) with that row printed apart, as another year's report prints it.
"""
from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from builder.config import BuildConfig
from builder.models import Report, Undecided
from builder.pipeline import build, parse_all
from builder.validate.across_years import settle_across_years
from factories import make_report_2021

FIXTURE = Path(__file__).parent / "fixtures" / "reports" / "web-text-cells-run-together-2021.txt"
CELL = "active_disclosure.normative_documents"
ROW = "行政规范性文件77132470"


def _year(text: str, year: int, row: str | None) -> str:
    """The report as the same agency's report of ``year``, its 行政规范性文件 row printed ``row``."""
    shift = year - 2023
    for y in (2024, 2023, 2022) if shift > 0 else (2022, 2023, 2024):
        text = text.replace(str(y), str(y + shift))
    return text.replace(ROW, f"行政规范性文件{row}") if row else text


def _write(folder: Path, neighbours: dict[int, str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    text = FIXTURE.read_text(encoding="utf-8")
    paths = [folder / "pingtan_2023.txt"]
    paths[0].write_text(text, encoding="utf-8")
    for year, row in neighbours.items():
        paths.append(folder / f"pingtan_{year}.txt")
        paths[-1].write_text(_year(text, year, row), encoding="utf-8")
    return paths


def _read(tmp_path: Path, neighbours: dict[int, str]) -> Report:
    results, _ = parse_all(_write(tmp_path / "reports", neighbours), workers=1)
    return next(r for r in results if isinstance(r, Report) and r.year == 2023)


def _row(report: Report) -> dict:
    return report.tables["active_disclosure"]["normative_documents"]


def _codes(report: Report, column: str) -> set[str]:
    return {w.code for w in report.warnings if w.where == f"{CELL}.{column}"}


def test_alone_the_row_stays_unknown_with_its_readings():
    report = _read_alone()
    assert _row(report) == {"issued": 77, "repealed": None, "in_force": None}
    assert report.undecided and report.undecided[0].readings[2] == (77, 132, 470)


def _read_alone() -> Report:
    from builder.pipeline import parse
    return parse(FIXTURE)


@pytest.mark.parametrize("neighbours", [{2022: " 40 20 525"}, {2024: " 10 5 475"},
                                        {2022: " 40 20 525", 2024: " 10 5 475"}],
                         ids=["year before", "year after", "both"])
def test_one_reading_fits_the_neighbours_and_says_which_report_settled_it(tmp_path, neighbours):
    report = _read(tmp_path, neighbours)
    assert _row(report) == {"issued": 77, "repealed": 132, "in_force": 470}
    for column in ("repealed", "in_force"):
        assert "cell.settled_across_years" in _codes(report, column) and "cell.ambiguous" not in _codes(report, column)
    message = next(w.message for w in report.warnings if w.code == "cell.settled_across_years")
    for year in neighbours:
        assert f"{year}年报告（pingtan_{year}.txt）" in message
    assert ("「现行有效件数」525" in message) == (2022 in neighbours)
    assert not report.undecided
    assert report.origins[f"{CELL}.in_force"].line == report.origins[CELL].line  # where its digits stand


@pytest.mark.parametrize("neighbours", [{2022: " 40 20 999"}, {2022: " 40 20 525", 2024: " 10 5 999"},
                                        {2022: " 40 20 /"}],
                         ids=["none fits", "the two years disagree", "neighbour cell not printed"])
def test_where_no_reading_or_no_neighbour_decides_the_cells_stay_unknown(tmp_path, neighbours):
    report = _read(tmp_path, neighbours)
    assert _row(report)["repealed"] is None and _row(report)["in_force"] is None
    assert "cell.ambiguous" in _codes(report, "in_force")
    assert "cell.settled_across_years" not in _codes(report, "in_force")


def test_another_agency_or_template_is_no_neighbour(tmp_path):
    text = _year(FIXTURE.read_text(encoding="utf-8"), 2022, " 40 20 525").replace("平潭综合实验区", "岚岛区")
    folder = tmp_path / "reports"
    paths = _write(folder, {})
    (folder / "other_2022.txt").write_text(text, encoding="utf-8")
    results, _ = parse_all([*paths, folder / "other_2022.txt"], workers=1)
    report = next(r for r in results if isinstance(r, Report) and r.year == 2023)
    assert _row(report)["in_force"] is None


def test_several_readings_that_fit_leave_the_cells_unknown():
    cells = ("active_disclosure.normative_documents.issued", "active_disclosure.normative_documents.repealed",
             "active_disclosure.normative_documents.in_force")
    this = make_report_2021(undecided=(Undecided(cells, ((2, 1, 5), (3, 2, 5))),))
    this.tables["active_disclosure"]["normative_documents"].update(issued=None, repealed=None, in_force=None)
    before = make_report_2021(year=2022)
    before.tables["active_disclosure"]["normative_documents"]["in_force"] = 4
    settled = settle_across_years([this, before])[0]
    assert settled.tables["active_disclosure"]["normative_documents"]["in_force"] is None
    before.tables["active_disclosure"]["normative_documents"]["in_force"] = 3  # none fits: 3 + 2 − 1 = 3 + 3 − 2 = 4 ≠ 5
    assert settle_across_years([this, before])[0].tables["active_disclosure"]["normative_documents"]["in_force"] is None


def test_a_cell_settled_across_years_settles_nothing_further():
    """Chains are never followed: 2023 is settled by 2022, but 2024's undecided row sees 2023's
    extracted (unknown) cells, not the settled ones."""
    cells = tuple(f"active_disclosure.normative_documents.{c}" for c in ("issued", "repealed", "in_force"))
    years = {}
    for year, readings in ((2023, ((1, 0, 6), (1, 0, 9))), (2024, ((1, 0, 7), (1, 0, 8)))):
        report = make_report_2021(year=year, undecided=(Undecided(cells, readings),))
        report.tables["active_disclosure"]["normative_documents"].update(issued=None, repealed=None, in_force=None)
        years[year] = report
    before = make_report_2021(year=2022)
    before.tables["active_disclosure"]["normative_documents"]["in_force"] = 5
    out = settle_across_years([before, years[2023], years[2024]])
    assert out[1].tables["active_disclosure"]["normative_documents"]["in_force"] == 6
    assert out[2].tables["active_disclosure"]["normative_documents"]["in_force"] is None


def test_an_incremental_build_equals_a_clean_one_when_a_neighbour_changes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    paths = _write(tmp_path / "reports", {2022: " 40 20 525"})
    config = BuildConfig(Path("reports"), Path("content"), Path(".cache/portal"))
    build(config)
    settled = (Path("content") / next(p for p in _data_files(Path("content")) if "2023" in p)).read_text("utf-8")
    assert "cell.settled_across_years" in settled
    paths[1].write_text(_year(FIXTURE.read_text(encoding="utf-8"), 2022, " 40 20 999"), encoding="utf-8")
    build(config)  # the 2023 report is taken from the cache; its neighbour changed
    incremental = _tree(Path("content"))
    shutil.rmtree(".cache")
    build(dataclasses.replace(config, content_dir=Path("clean"), rebuild=True))
    assert incremental == _tree(Path("clean"))
    assert "cell.settled_across_years" not in next(v for k, v in incremental.items()
                                                   if k.endswith(".json") and "2023" in k and "data" in k).decode()


def _data_files(folder: Path) -> list[str]:
    return [str(p.relative_to(folder)) for p in folder.rglob("*.json") if "data" in p.parts]


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


FIXTURE_2019 = FIXTURE.with_name("web-text-cells-run-together-2019.txt")


def test_the_2019_format_total_that_accumulates_settles_a_row(tmp_path):
    """2020's 规范性文件7777166 (77 / 77 / 166) and 2019's 对外公开总数量 89: 89 + 77 = 166."""
    text = FIXTURE_2019.read_text(encoding="utf-8")
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "pingtan_2020.txt").write_text(text, encoding="utf-8")
    before = text.replace("2020", "2019").replace("规范性文件7777166", "规范性文件 50 50 89")
    (folder / "pingtan_2019.txt").write_text(before, encoding="utf-8")
    results, _ = parse_all(sorted(folder.iterdir()), workers=1)
    report = next(r for r in results if isinstance(r, Report) and r.year == 2020)
    assert report.tables["active_disclosure"]["normative_documents"] == {"made": 77, "published": 77,
                                                                          "total_public": 166}
    assert any(w.code == "cell.settled_across_years" and "pingtan_2019.txt" in w.message for w in report.warnings)
    neighbour = next(r for r in results if isinstance(r, Report) and r.year == 2019)
    assert neighbour.tables["active_disclosure"]["normative_documents"]["total_public"] == 89


def test_a_settled_figure_carries_its_mark_and_note_in_the_table(tmp_path):
    """The report page shows 132 and 470 with 跨年核定 and a numbered note under table 二 naming the neighbour's
    report, not only in the list of findings apart (a reader of the table sees how the figure was decided)."""
    from builder.render.layout import table_to_view
    from builder.render.status import status_of
    from builder.extract.templates import TEMPLATES

    report = _read(tmp_path, {2022: " 40 20 525"})
    table = TEMPLATES[report.template].table("active_disclosure")
    view = table_to_view(table, status_of(report))
    html = "".join(grid.html + "".join(c for row in grid.rows for c in row) for grid in view.grids)
    for value in ("132", "470"):
        assert f">{value}<sup class=\"portal-mark portal-mark--settled\">" in html, html
    settled = [n for n in view.unknown if n.kind == "settled"]
    assert len(settled) == 2 and all("2022年报告（pingtan\\_2022.txt）" in n.label for n in settled)
    assert not [n for n in view.other_findings if "相邻年度" in " ".join(n.messages)]


def test_a_settled_figure_says_so_among_the_key_figures(tmp_path):
    from builder.render.keyfigures import key_figures

    figures = {f.label: f for f in key_figures(_read(tmp_path, {2022: " 40 20 525"}))}
    assert figures["行政规范性文件 现行有效"].value == "470" and figures["行政规范性文件 现行有效"].settled
    assert not figures["行政规范性文件 本年制发"].settled  # 77: settled by its own prose, not across years
