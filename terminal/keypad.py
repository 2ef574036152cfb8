"""Keys → dialogue events, for a USB numeric keypad and an ordinary keyboard. Pure, no Kivy.

Every function is one key press, never timed, held or chorded:

============================  ========================  =====================================
keypad (17 keys)              keyboard                  does
============================  ========================  =====================================
0-9                           0-9                       choose that number at once (as on a phone
                                                        line: "bấm 1 hộ tịch, 2 chứng thực …")
Enter                         Enter                     choose the focused button; with none, repeat
Num Lock                      F2 or R                   repeat what the screen says
. (Del)                       Backspace, Delete         back
+ / −                         + / −                     louder / softer
× / ÷ (* and /)               * / /                     faster / slower
0                             F1 or H                   help (lists every other function)
9                             F9                        call staff
—                             Up/Down/Left/Right, Tab   move the focus and speak it (Enter chooses)
—                             Esc or Space              stop speaking
—                             F3 / F4 / F5              bigger text / smaller text / colours
============================  ========================  =====================================

The keypad's keys work the same with Num Lock on or off (SDL names them by position:
``numpad0`` … ``numpad9``, ``numpaddecimal``), so the Num Lock key itself is free to be the
repeat key. Kivy 2.3 reports numpad 0 with the Alt modifier (it compares key codes with modifier
bits: 256 is both ``numpad0`` and ``KMOD_LALT``), so modifiers never block a keypad key.
Shifted characters of a full keyboard (``+`` is Shift+= on a US layout, ``*`` is Shift+8) are
taken from the text the key types, which follows the keyboard layout, not from the key's name.

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
    "numlock": d.Command("repeat"),
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


MODIFIER_KEYS = frozenset(
    {"shift", "rshift", "lshift", "ctrl", "lctrl", "rctrl", "alt", "alt-gr", "ralt", "lalt",
     "super", "lsuper", "rsuper", "meta", "compose", "capslock", "scrolllock"}
)
WAIT_FOR_TEXT = "text"
"""``for_key_down``'s answer when the character typed (``on_textinput``) decides."""


def for_key_down(
    name: str | None, text: str | None, modifiers: list[str] | tuple[str, ...] = ()
) -> d.Event | str | None:
    """What a key press means: an event now, ``WAIT_FOR_TEXT``, or None (ignore the key).

    Keypad keys and named keys count whatever the modifiers say (see the module note on Kivy's
    Alt). Other keys held with Ctrl, Alt or Super are left alone. A shifted character key waits
    for the character it types, so ``+`` and ``*`` work on any keyboard layout."""
    name = (name or "").lower()
    if name in MODIFIER_KEYS:
        return None
    if name in NUMPAD_DIGITS or name in NAMED:
        return event_for_key(name, text)
    mods = set(modifiers or ())
    if mods & {"ctrl", "alt", "meta"}:
        return None
    if "shift" in mods and text and text.isprintable():
        return WAIT_FOR_TEXT
    return event_for_key(name, text)


def for_text(text: str) -> d.Event | None:
    """The event of a typed character (after ``WAIT_FOR_TEXT``), or None."""
    if len(text) == 1 and text.isdigit():
        return d.Choose(int(text))
    return CHARACTERS.get(text) or CHARACTERS.get(text.lower())


def event_for_key(name: str | None, text: str | None = None) -> d.Event | None:
    """The dialogue event of one key (``name`` as Kivy names keys, ``text`` its character)."""
    name = (name or "").lower()
    if name in NUMPAD_DIGITS:
        return d.Choose(NUMPAD_DIGITS[name])
    if name in NAMED:
        return NAMED[name]
    if text:
        if text.isdigit() and len(text) == 1:
            return d.Choose(int(text))
        if text in CHARACTERS:
            return CHARACTERS[text]
        if text.lower() in CHARACTERS:
            return CHARACTERS[text.lower()]
    if len(name) == 1 and name.isdigit():
        return d.Choose(int(name))
    return None
