"""Keys → dialogue events, for a USB numeric keypad and an ordinary keyboard. Pure, no Kivy.

Every function is one key press, never timed, held or chorded:

============================  ========================  =====================================
keypad                        keyboard                  does
============================  ========================  =====================================
0-9                           0-9                       move the focus to that number, speak it
Enter                         Enter                     choose the focused button
. (Del) / Backspace           Backspace                 back
+ / −                         + / −                     louder / softer
× / ÷                         * / /                     faster / slower
0 then Enter                  F1 or H                   help (lists every other function)
9 then Enter                  F9                        call staff
—                             Up/Down/Left/Right, Tab   move the focus and speak it
—                             F2 or R                   repeat
—                             Esc or Space              stop speaking
—                             F3 / F4 / F5              bigger text / smaller text / colours
============================  ========================  =====================================

Any key also stops the speech at once (the session does it before the key's own action).
"""

from __future__ import annotations

from terminal import dialogue as d

NUMPAD_DIGITS = {f"numpad{n}": n for n in range(10)}
NAMED: dict[str, d.Event] = {
    "enter": d.Activate(),
    "numpadenter": d.Activate(),
    "backspace": d.Command("back"),
    "numpaddecimal": d.Command("back"),
    "delete": d.Command("back"),
    "numpadadd": d.Command("louder"),
    "numpadsubstract": d.Command("softer"),
    "numpadsubtract": d.Command("softer"),
    "numpadmul": d.Command("faster"),
    "numpaddivide": d.Command("slower"),
    "f1": d.Command("help"),
    "f2": d.Command("repeat"),
    "f3": d.Command("text_bigger"),
    "f4": d.Command("text_smaller"),
    "f5": d.Command("theme_next"),
    "f9": d.Command("call_staff"),
    "escape": d.Command("stop"),
    "spacebar": d.Command("stop"),
    "up": d.FocusMove(-1),
    "left": d.FocusMove(-1),
    "down": d.FocusMove(1),
    "right": d.FocusMove(1),
    "tab": d.FocusMove(1),
}
CHARACTERS: dict[str, d.Event] = {
    "+": d.Command("louder"),
    "-": d.Command("softer"),
    "*": d.Command("faster"),
    "/": d.Command("slower"),
    "h": d.Command("help"),
    "r": d.Command("repeat"),
}


def event_for_key(name: str | None, text: str | None = None) -> d.Event | None:
    """The dialogue event of one key (``name`` as Kivy names keys, ``text`` its character)."""
    name = (name or "").lower()
    if name in NUMPAD_DIGITS:
        return d.Focus(NUMPAD_DIGITS[name])
    if name in NAMED:
        return NAMED[name]
    if text:
        if text.isdigit() and len(text) == 1:
            return d.Focus(int(text))
        if text in CHARACTERS:
            return CHARACTERS[text]
        if text.lower() in CHARACTERS:
            return CHARACTERS[text.lower()]
    if len(name) == 1 and name.isdigit():
        return d.Focus(int(name))
    return None
