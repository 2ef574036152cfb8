"""``hotro run --text``: the same dialogue driven through a pipe."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from terminal import dialogue as d
from terminal.textmode import parse, render
from tests.terminal.conftest import state_on

ROOT = Path(__file__).resolve().parents[2]


def _hotro_text(home: Path, lines: list[str], timeout: float = 60) -> str:
    env = {**os.environ, "HOTRO_HOME": str(home), "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(
        [sys.executable, "-m", "terminal.cli", "run", "--text"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=ROOT,
        timeout=timeout,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.mark.real
def test_a_whole_visit_in_text_mode_prints_a_slip_and_journals_it(tmp_path):
    """Starts `hotro run --text` with the real catalogue, matcher, journal (SQLite), codec and
    PNG printer; pipes a visit into it."""
    home = tmp_path / "home"
    visit = [
        "",  # wake
        "1",  # Tiếng Việt
        "làm giấy khai sinh cho cháu",
        "1",  # see the papers
        "1", "5", "1",  # form: have; birth paper: none of the four → where → next
        "1",  # identity paper: the first of its alternatives (căn cước)
        "2", "2", "2",  # three "sometimes" papers do not apply
        "1",  # proof of address (only if staff ask): have
        "1",  # elderly
        "5",  # needs: done
        "1",  # at the centre
        "1",  # confirm: print
        "1",  # continue
        "1",  # satisfied
    ]
    out = _hotro_text(home, visit)
    assert "[printed]" in out
    assert "🔊 Ông bà đã có tờ khai khai sinh chưa?" in out
    assert "🔊 Giấy tờ về việc sinh: một thứ là đủ. Ông bà có thứ nào?" in out
    assert "U-101" in out  # the first priority ticket of terminal 1
    assert "[thanks]" in out
    slips = list((home / "slips").glob("*.png"))
    assert len(slips) == 1
    with sqlite3.connect(home / "journal.sqlite3") as db:
        tables = {r[0] for r in db.execute("select name from sqlite_master where type='table'")}
        assert tables


@pytest.mark.real
def test_text_mode_commands_by_letter_and_by_name(tmp_path):
    """Starts `hotro run --text` on the embedded defaults; types commands."""
    out = _hotro_text(tmp_path / "home", ["", "1", "h", "back", "c", "quit"])
    assert "[help] Hướng dẫn" in out
    assert "[staff] Đã gọi cán bộ" in out


def test_parse_digits_letters_names_and_phrases(ctx):
    model_home = __import__("terminal.screens", fromlist=["build_screen"]).build_screen(
        state_on(ctx, "home")
    )
    assert parse("3", model_home) == d.Choose(3)
    assert parse("b", model_home) == d.Command("back")
    assert parse("start over", model_home) == d.Command("start_over")
    assert parse("Hộ tịch", model_home) == d.Heard("group:ho_tich")
    assert parse("quay lại", model_home) == d.Heard("command_back")
    assert parse("làm giấy khai sinh", model_home) == d.Text("làm giấy khai sinh")


def test_render_shows_numbers_footer_and_big_ticket(ctx):
    from terminal.screens import build_screen

    out = io.StringIO()
    render(build_screen(state_on(ctx, "print_failed")), out)
    text = out.getvalue()
    assert ">>> A001 <<<" in text
    assert "1. In lại" in text
    assert "[9] Gọi cán bộ" in text


@pytest.mark.real
def test_text_mode_asks_look_alikes_apart_with_one_question(tmp_path):
    """Starts `hotro run --text` with the real catalogue and matcher; a request that fits
    several birth procedures gets the distinguishing question, and an answer opens its
    procedure."""
    out = _hotro_text(tmp_path / "home", ["", "1", "làm lại giấy khai sinh cho ông cụ", "3"])
    assert "[ask] Giấy khai sinh đã làm lần nào chưa?" in out
    assert "  3. Đã làm, nhưng giấy và sổ gốc đều mất" in out
    assert "🔊 Giấy khai sinh đã làm lần nào chưa?" in out
    assert ", 3 Đã làm, nhưng giấy và sổ gốc đều mất," in out
    assert "[procedure] Đăng ký lại khai sinh" in out


@pytest.mark.real
def test_text_mode_says_where_to_go_and_prints_it(tmp_path):
    """Starts `hotro run --text` with the real matcher, journal (SQLite) and PNG printer: a
    passport request gets its referral on screen and aloud; "1" prints it on a short slip."""
    home = tmp_path / "home"
    out = _hotro_text(home, ["", "1", "làm hộ chiếu đi Hàn Quốc", "1"])
    where = "Hộ chiếu do Công an tỉnh (phòng xuất nhập cảnh) cấp."
    assert "[none] Việc này không làm ở đây" in out
    assert f"  {where}" in out
    assert f"🔊 {where}" in out
    assert "  2. Gặp cán bộ" in out
    assert "🔊 Đã in xong. Mời ông bà nhận giấy." in out
    notes = list((home / "slips").glob("referral-*.png"))
    assert len(notes) == 1
    with sqlite3.connect(home / "journal.sqlite3") as db:
        events = db.execute("select kind, detail from events order by id").fetchall()
    assert ("referral", "passport") in events
    assert ("referral_print", "passport ok") in events
    assert not [e for e in events if "hàn" in e[1].lower()]  # what was typed is not journaled


@pytest.mark.real
def test_text_mode_help_with_vneid_ends_in_a_ticket_and_a_short_slip(tmp_path):
    """Starts `hotro run --text` with the real catalogue (services.yaml), matcher, journal
    (SQLite), codec and PNG printer: asking for VNeID help shows the service in plain words and
    ends in a ticket and a slip without a checklist; the QR code carries the service."""
    home = tmp_path / "home"
    out = _hotro_text(home, ["", "1", "giúp tôi kích hoạt VNeID", "1", "6", "1", "1"])
    assert "[service] Hỗ trợ tài khoản VNeID" in out
    assert "  Nơi phục vụ: Quầy Hỗ trợ dịch vụ công trực tuyến" in out
    printed = out[out.index("[printed]"):]
    assert ">>> A-101 <<<" in printed
    assert "  Đến: Quầy Hỗ trợ dịch vụ công trực tuyến" in printed
    assert "  Thẻ căn cước" in printed and "Giấy tờ cần mang" not in printed
    assert "🔊 Ông bà đến Quầy Hỗ trợ dịch vụ công trực tuyến." in printed
    assert "[thanks]" in out
    (case,) = _journal_cases(home)
    assert (case.service, case.procedure_code, case.ticket.label) == ("vneid_help", "", "A-101")
    assert len(list((home / "slips").glob("*.png"))) == 1


@pytest.mark.real
def test_text_mode_a_result_request_leads_to_picking_it_up_once_handed_in(tmp_path):
    """Starts `hotro run --text` with the real matcher: "giấy khai sinh của cháu xong chưa"
    (the matcher ranks birth registration first) is asked whether the papers were handed in;
    "yes, I came to collect it" ends in a ticket for the result counter."""
    home = tmp_path / "home"
    out = _hotro_text(home, ["", "1", "giấy khai sinh của cháu xong chưa", "2", "1", "1", "1",
                             "1"])
    assert "[ask] Ông/bà đã nộp hồ sơ đăng ký khai sinh chưa?" in out
    assert "  2. Đã nộp, tôi đến nhận kết quả" in out
    assert "[service] Nhận kết quả hồ sơ" in out
    printed = out[out.index("[printed]"):]
    assert ">>> U-101 <<<" in printed and "  Đến: Quầy Trả kết quả" in printed
    assert "  Giấy hẹn trả kết quả" in printed
    (case,) = _journal_cases(home)
    assert (case.service, case.priority.value) == ("pick_up_result", "elderly")


@pytest.mark.real
def test_text_mode_feedback_with_a_call_back_keeps_the_number_apart(tmp_path):
    """Starts `hotro run --text` with the real journal (SQLite), codec and PNG printer: feedback
    chosen from "Việc khác", a call back agreed to, the number typed and read back; the slip
    and its QR code carry the topic only, the number is in the journal's call-backs alone."""
    home = tmp_path / "home"
    phone = "0912345678"
    visit = ["", "1", "6",  # Vietnamese, "Việc khác" (the first page's last item)
             "4", "1",  # feedback, go on
             "2", "1", "1",  # waiting too long, call me back, I agree
             phone, "",  # the number, Enter
             "1", "6", "1", "1"]  # right, no priority, go on, satisfied
    proc = subprocess.run(
        [sys.executable, "-m", "terminal.cli", "run", "--text"], input="\n".join(visit) + "\n",
        capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=60,
        env={**os.environ, "HOTRO_HOME": str(home), "PYTHONIOENCODING": "utf-8"},
    )
    out = proc.stdout
    assert proc.returncode == 0, proc.stderr
    assert "[consent] Xin phép ghi số điện thoại" in out
    assert out.index("không có trong mã QR") < out.index("[phone]")  # consent before typing
    assert "  Số đã bấm: 0912 345 678" in out
    check = out[out.index("[phone_check]"):out.index("[priority]")]
    assert [ln[2:] for ln in check.splitlines() if ln.startswith("🔊 ")][1:11] == list(phone)
    printed = out[out.index("[printed]"):]
    assert "  Góp ý về: Chờ quá lâu" in printed
    assert "  Cán bộ sẽ gọi điện lại cho ông/bà." in printed
    assert phone not in printed and "0912 345 678" not in printed
    assert phone not in proc.stderr  # nor in the log
    (case,) = _journal_cases(home)
    assert (case.service, case.topic) == ("feedback", "waiting")
    with sqlite3.connect(home / "journal.sqlite3") as db:
        payload = db.execute("select payload from cases").fetchone()[0]
        assert "-GY.2C-0-" in payload and phone not in payload
        events = db.execute("select kind, detail from events").fetchall()
        assert not [e for e in events if phone in e[1]]
        ((ref, kept),) = db.execute("select ref, phone from callbacks").fetchall()
    assert kept == phone  # one machine: the desk on this journal calls back, then deletes it
    assert ("feedback", f"{ref} waiting 1 A-101") in events
    import zxingcpp
    from PIL import Image

    (slip,) = (home / "slips").glob("*.png")
    (code,) = zxingcpp.read_barcodes(Image.open(slip))
    assert code.text == payload


def _journal_cases(home: Path) -> list:
    """The cases in a terminal's journal, decoded from their QR payloads with its key."""
    from cases.codec import decode
    from cases.keys import load_key
    from procedures.catalogue import load_catalogue

    key = load_key(home / "centre.key")
    with sqlite3.connect(home / "journal.sqlite3") as db:
        payloads = [r[0] for r in db.execute("select payload from cases order by id")]
    catalogue = load_catalogue()
    return [decode(p, key, catalogue) for p in payloads]
