"""The kiosk as installed: ``hotro-terminal.service``'s own command line under an X server with
no window manager (real parts: xinit, Xvfb, the Kivy window through SDL's X11 driver, Mesa,
the journal, tesseract reading the screen, XTest sending real X key events)."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from tests.terminal.kiosk import ROOT, Kiosk

ARTIFACTS = ROOT / "test-artifacts" / "kiosk"

pytestmark = pytest.mark.real  # xinit, Xvfb, xset, xwininfo, libXtst: scripts/setup.sh


def _ocr(image) -> str:
    import pytesseract

    return " ".join(pytesseract.image_to_string(image, lang="vie").split())


def _read_screen(kiosk: Kiosk, words: tuple[str, ...], timeout: float = 60) -> str:
    """OCR the root window until every one of ``words`` is read (the window draws itself);
    "a|b" is read when either is."""
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        text = _ocr(kiosk.screenshot())
        low = text.lower()
        if all(any(w.lower() in low for w in word.split("|")) for word in words):
            return text
    raise AssertionError(f"never read {words} on the screen; last read: {text!r}")


@pytest.mark.parametrize(
    "size",
    [(1920, 1080), (1366, 768), (1280, 1024), (1080, 1920)],
    ids=lambda s: "x".join(map(str, s)),
)
def test_the_service_fills_a_screen_with_no_window_manager(tmp_path, size):
    """``xinit hotro --config … run -- X``, exactly as the unit runs it: the window covers the
    whole X screen and the first screen is readable in the root window's pixels."""
    width, height = size
    with Kiosk(tmp_path, width, height) as kiosk:
        tree = kiosk.windows()
        assert re.search(rf'"hotro".*\b{width}x{height}\+0\+0', tree), tree
        text = _read_screen(kiosk, ("Xin chào", "bắt đầu"))
        kiosk.wait_for("WATCHDOG=1", 30)  # the UI loop feeds systemd's watchdog
        shot = kiosk.screenshot()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shot.save(ARTIFACTS / f"attract-{width}x{height}.png")
    assert shot.size == size
    background = (255, 255, 255)  # black_on_white, the default theme
    w, h = size
    edges = [(x, y) for x in (0, w // 2, w - 1) for y in (0, h - 1)] + [
        (0, h // 2),
        (w - 1, h // 2),
    ]
    assert all(shot.getpixel(p) == background for p in edges), [shot.getpixel(p) for p in edges]
    assert "Chạm vào màn hình" in text


# key → the dialogue event it must give (the README's keypad table)
NUMLOCK_ON = {
    **{f"KP_{n}": f"Choose(number={n})" for n in range(10)},
    "KP_Enter": "Activate()",
    "KP_Decimal": "Command(name='back')",
    "KP_Add": "Command(name='louder')",
    "KP_Subtract": "Command(name='softer')",
    "KP_Multiply": "Command(name='faster')",
    "KP_Divide": "Command(name='slower')",
}
NUMLOCK_OFF = {  # the same physical keys send other key symbols with Num Lock off
    "KP_Insert": "Choose(number=0)",
    "KP_End": "Choose(number=1)",
    "KP_Down": "Choose(number=2)",
    "KP_Next": "Choose(number=3)",
    "KP_Left": "Choose(number=4)",
    "KP_Begin": "Choose(number=5)",
    "KP_Right": "Choose(number=6)",
    "KP_Home": "Choose(number=7)",
    "KP_Up": "Choose(number=8)",
    "KP_Prior": "Choose(number=9)",
    "KP_Delete": "Command(name='back')",
    "KP_Enter": "Activate()",
    "KP_Add": "Command(name='louder')",
    "KP_Subtract": "Command(name='softer')",
    "KP_Multiply": "Command(name='faster')",
    "KP_Divide": "Command(name='slower')",
}
KEYBOARD = {
    "plus": "Command(name='louder')",  # Shift+= on a US keyboard
    "asterisk": "Command(name='faster')",  # Shift+8
    "minus": "Command(name='softer')",
    "slash": "Command(name='slower')",
    "shift+equal": "Command(name='louder')",
    "shift+8": "Command(name='faster')",
    "3": "Choose(number=3)",
    "Return": "Activate()",
    "BackSpace": "Command(name='back')",
    "Delete": "Command(name='back')",
    "F1": "Command(name='help')",
    "F2": "Command(name='repeat')",
    "F9": "Command(name='call_staff')",
    "h": "Command(name='help')",
    "r": "Command(name='repeat')",
    "Escape": "Command(name='stop')",
    "space": "Command(name='stop')",
    "Down": "FocusMove(delta=1)",
    "Up": "FocusMove(delta=-1)",
    "Tab": "FocusMove(delta=1)",
}


def _key_lines(kiosk: Kiosk) -> list[str]:
    return [line.split(": key ", 1)[1] for line in kiosk.log_lines() if ": key " in line]


def _press(kiosk: Kiosk, key: str) -> str:
    """Send one real X key event and wait for the terminal to log what it did with it."""
    before = len(_key_lines(kiosk))
    kiosk.key(key)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        lines = _key_lines(kiosk)
        if len(lines) > before:
            assert len(lines) == before + 1, lines[before:]  # no Num Lock sent behind our back
            return lines[-1].split(": ", 1)[1]
        time.sleep(0.05)
    raise AssertionError(f"the terminal never saw {key}:\n{kiosk.tail()}")


def _numlock(kiosk: Kiosk) -> bool:
    return bool(re.search(r"Num Lock:\s+on", kiosk.x("xset", "q")))


def test_every_keypad_and_keyboard_key_through_real_x_events(tmp_path):
    """XTest types into the real window: every key of a 17-key keypad with Num Lock on and
    off, and a full keyboard's shifted symbols, give the events of the README's keypad table;
    then 0 opens help, the keypad's "." goes back, 9 calls staff (journaled)."""
    with Kiosk(tmp_path, 1366, 768) as kiosk:
        _read_screen(kiosk, ("Xin chào",))
        assert _press(kiosk, "KP_Enter") == "Activate()"  # attract → language
        _read_screen(kiosk, ("Tiếng Việt",))
        assert not _numlock(kiosk)
        got = {key: _press(kiosk, key) for key in NUMLOCK_OFF}
        assert got == NUMLOCK_OFF
        assert _press(kiosk, "Num_Lock") == "Command(name='repeat')"  # the repeat key
        assert _numlock(kiosk)
        got = {key: _press(kiosk, key) for key in NUMLOCK_ON}
        assert got == NUMLOCK_ON
        got = {key: _press(kiosk, key) for key in KEYBOARD}
        assert got == KEYBOARD
        # what the keys do, seen on the screen and in the journal (the keys above chose
        # English on the language screen: either language)
        for key in ("Escape", "F1"):
            _press(kiosk, key)
        _read_screen(kiosk, ("Hướng dẫn|Help",))
        _press(kiosk, "KP_Decimal")  # back to where help was opened
        _press(kiosk, "KP_0")  # 0: help at once
        _read_screen(kiosk, ("Hướng dẫn|Help",))
        _press(kiosk, "KP_9")  # 9: call staff at once
        _read_screen(kiosk, ("Đã gọi cán bộ|staff member has been called",))
        journal = Path(kiosk.var) / "journal.sqlite3"
    with sqlite3.connect(journal) as db:
        kinds = [row[0] for row in db.execute("SELECT kind FROM events")]
    assert "call_staff" in kinds


def test_the_harness_runs_the_units_own_command_line(tmp_path):
    argv, env, workdir = Kiosk(tmp_path, 800, 600).command()
    unit = (ROOT / "deploy" / "systemd" / "hotro-terminal.service").read_text()
    assert argv[0] == "/usr/bin/xinit" and argv[2:5] == ["--config", argv[3], "run"]
    assert argv[3].endswith("etc/hotro/hotro.toml")
    for option in ("-nolisten", "tcp", "-nocursor", "-s", "0", "-dpms"):
        assert option in argv[argv.index("--") :] and option in unit
    assert env["KIVY_NO_ARGS"] == "1" and env["HOTRO_HOME"].endswith("var/lib/hotro")
    assert workdir.endswith("var/lib/hotro")
    subprocess.run([argv[1], "--help"], check=True, capture_output=True)
