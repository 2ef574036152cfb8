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
        "1", "2", "1",  # have, missing → where → next
        "1",  # identity paper: have
        "2", "2", "2",  # three "sometimes" papers do not apply
        "1",  # elderly
        "5",  # needs: done
        "1",  # at the centre
        "1",  # confirm: print
        "1",  # continue
        "1",  # satisfied
    ]
    out = _hotro_text(home, visit)
    assert "[printed]" in out
    assert "🔊 Ông bà đã có Giấy chứng sinh chưa?" in out
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
def test_text_mode_sends_a_request_for_the_centres_own_help_to_staff(tmp_path):
    """Starts `hotro run --text` with the real catalogue (services.yaml), matcher and journal
    (SQLite): asking for VNeID help is never "not done here"; staff are called and the journal
    keeps which service, not what was typed."""
    home = tmp_path / "home"
    out = _hotro_text(home, ["", "1", "tôi quên mật khẩu vneid, chỉ giúp tôi với"])
    assert "[staff] Đã gọi cán bộ" in out
    assert "Việc này không làm ở đây" not in out
    with sqlite3.connect(home / "journal.sqlite3") as db:
        events = db.execute("select kind, detail from events order by id").fetchall()
    assert ("call_staff", "service:vneid_help") in events
    assert not [e for e in events if "mật khẩu" in e[1]]
