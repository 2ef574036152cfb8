"""Key mapping: every function one key, numpad and keyboard alike."""

from __future__ import annotations

import pytest

from terminal import dialogue as d
from terminal.keypad import event_for_key


@pytest.mark.parametrize("n", range(10))
def test_numpad_and_keyboard_digits_choose_at_once(n):
    """As on a phone line: "bấm 1 hộ tịch" means pressing 1 takes it."""
    assert event_for_key(f"numpad{n}") == d.Choose(n)
    assert event_for_key(str(n), str(n)) == d.Choose(n)


@pytest.mark.parametrize(
    ("name", "text", "event"),
    [
        ("numpadenter", None, d.Activate()),
        ("enter", None, d.Activate()),
        ("numpaddecimal", None, d.Command("back")),
        ("backspace", None, d.Command("back")),
        ("numpadadd", None, d.Command("louder")),
        ("numpadsubstract", None, d.Command("softer")),
        ("numpadmul", None, d.Command("faster")),
        ("numpaddivide", None, d.Command("slower")),
        ("f1", None, d.Command("help")),
        ("escape", None, d.Command("stop")),
        ("=", "+", d.Command("louder")),
        ("8", "*", d.Command("faster")),
        ("h", "h", d.Command("help")),
        ("r", "r", d.Command("repeat")),
        ("down", None, d.FocusMove(1)),
        ("up", None, d.FocusMove(-1)),
    ],
)
def test_function_keys(name, text, event):
    assert event_for_key(name, text) == event


def test_every_global_command_has_a_key_or_the_help_list():
    from terminal.keypad import CHARACTERS, NAMED
    from terminal.screens import HELP_ITEMS

    events = (*NAMED.values(), *CHARACTERS.values())
    reachable = {e.name for e in events if isinstance(e, d.Command)}
    reachable |= {k.removeprefix("command_") for k, _ in HELP_ITEMS}
    reachable |= {"call_staff", "help"}  # footer keys 9 and 0
    assert set(d.COMMANDS) | set(d.SETTING_COMMANDS) <= reachable


def test_unknown_keys_do_nothing():
    assert event_for_key("capslock") is None


def test_keypad_keys_count_whatever_modifiers_kivy_reports():
    """Kivy 2.3 reports numpad 0 (key code 256 = KMOD_LALT) with Alt, and Num Lock as a modifier."""
    from terminal.keypad import for_key_down

    assert for_key_down("numpad0", "Ā", ["alt", "numlock"]) == d.Choose(0)
    assert for_key_down("numpadenter", None, ["numlock"]) == d.Activate()
    assert for_key_down("numlock", "Ĭ", []) == d.Command("repeat")


def test_shifted_characters_wait_for_the_typed_text_and_chords_are_ignored():
    from terminal.keypad import WAIT_FOR_TEXT, for_key_down, for_text

    assert for_key_down("=", "=", ["shift"]) == WAIT_FOR_TEXT
    assert for_key_down("8", "8", ["shift"]) == WAIT_FOR_TEXT
    assert for_text("+") == d.Command("louder")
    assert for_text("*") == d.Command("faster")
    assert for_text("7") == d.Choose(7)
    assert for_text("é") is None
    assert for_key_down("r", "r", ["ctrl"]) is None
    assert for_key_down("shift", "İ", ["shift"]) is None
    assert for_key_down("8", "8", []) == d.Choose(8)
