"""Report files: CSV figures, chart PNG and the chairman's one-page summary."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from PIL import Image

from cases.stats import MonthReport, Times
from desk import report as reports
from procedures.catalogue import load_catalogue

REPORT = MonthReport(
    month="2026-11",
    first_day=date(2026, 11, 1),
    last_day=date(2026, 11, 30),
    residents=6,
    served=4,
    absent=1,
    by_group=(("ho_tich", 4), ("", 1), ("chung_thuc", 1)),
    by_priority=(("none", 3), ("elderly", 2), ("disabled", 1), ("pregnant", 0),
                 ("small_child", 0), ("seriously_ill", 0)),
    by_channel=(("terminal", 5), ("desk", 1)),
    by_procedure=(("1.001193", 4), ("2.000815", 2)),
    waiting=Times(4, 7.5, 8.25),
    service=Times(3, 12.0, 13.0),
    satisfaction=(("satisfied", 2), ("neutral", 1), ("unsatisfied", 0), ("skipped", 3)),
)


def words(lang: str = "vi") -> reports.ReportWords:
    catalogue = load_catalogue()
    return reports.words(catalogue.groups, lang, catalogue.procedures.values())


def test_csv_holds_every_figure_with_labels() -> None:
    lines = reports.csv_text(REPORT, words()).splitlines()
    assert lines[0] == "month,section,key,label,value"
    for expected in (
        "2026-11,total,residents,Số lượt người dân được hỗ trợ,6",
        "2026-11,group,ho_tich,Hộ tịch,4",
        "2026-11,group,,Khác,1",
        "2026-11,priority,pregnant,Phụ nữ mang thai,0",
        "2026-11,channel,desk,Trực tiếp tại quầy,1",
        "2026-11,procedure,1.001193,Đăng ký khai sinh,4",
        "2026-11,satisfaction,skipped,Không trả lời,3",
        "2026-11,waiting,median_minutes,Chờ (từ lúc nộp phiếu đến lúc được gọi),7.50",
        "2026-11,service,mean_minutes,Giải quyết tại quầy (từ lúc bắt đầu đến lúc xong),13.00",
    ):
        assert expected in lines
    assert len(lines) == 1 + 7 + 3 + 6 + 2 + 2 + 4 + 3 + 3 + 3


def test_rows_give_shares_of_visits_and_of_answers() -> None:
    rows = reports.rows(REPORT, words())
    assert [(r.label, r.count, r.percent) for r in rows["channel"]] == [
        ("Qua máy tự phục vụ", 5, "83,3"),
        ("Trực tiếp tại quầy", 1, "16,7"),
    ]
    assert [(r.count, r.percent) for r in rows["satisfaction"]] == [
        (2, "66,7"), (1, "33,3"), (0, "0,0"), (3, "")
    ]


def test_numbers_use_the_vietnamese_decimal_comma() -> None:
    assert reports.number(8.75) == "8,8"
    assert reports.number(7.5, lang="en") == "7.5"
    assert reports.number(None) == "–"


def test_the_chart_is_a_png_image() -> None:
    image = Image.open(io.BytesIO(reports.chart_png(REPORT, words())))
    assert image.format == "PNG" and image.size == (1100, 480)


def test_the_summary_says_the_month_in_plain_vietnamese() -> None:
    html = reports.summary_html(REPORT, words(), "Trung tâm xã Phú Thái", date(2026, 12, 1))
    assert "Trung tâm xã Phú Thái" in html
    assert "Tháng 11/2026" in html
    assert "Trung tâm đã hỗ trợ 6 lượt người dân. Trong đó 3 lượt thuộc diện ưu tiên." in html
    assert "Thời gian chờ trung bình 8,2 phút." in html  # 8.25 shown to one decimal
    assert "66,7% hài lòng" in html
    assert "@page" in html and "<link" not in html and "<script" not in html


def test_the_summary_in_english_uses_english_words() -> None:
    html = reports.summary_html(REPORT, words("en"), "Centre", date(2026, 12, 1))
    assert "This month the centre helped residents 6 times." in html


def test_write_report_makes_the_three_files(tmp_path: Path) -> None:
    files = reports.write_report(REPORT, words(), tmp_path / "out", "Centre", date(2026, 12, 1))
    assert [p.name for p in (files.csv, files.chart, files.summary)] == [
        "report-2026-11.csv", "report-2026-11.png", "report-2026-11.html"
    ]
    assert files.csv.read_bytes().startswith(b"\xef\xbb\xbfmonth,")  # BOM for spreadsheets
    assert files.chart.read_bytes()[:4] == b"\x89PNG"
    assert "data:image/png;base64," in files.summary.read_text(encoding="utf-8")
