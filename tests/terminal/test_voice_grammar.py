"""Every choice on every terminal screen can be said: the screen's voice grammar (what the
dialogue asks the listener for) builds, and no choice loses all its sentences to collisions."""

from __future__ import annotations

import pytest

from terminal import dialogue as d
from terminal.screens import SCREENS
from tests.terminal.conftest import make_ctx, state_on
from voices.grammar import Phrasing, build_grammar

AFTER_PRINTING = {"printed", "print_failed", "error_journal", "survey", "thanks"}
SCREENS_WITH_CHOICES = sorted(set(SCREENS) - {"attract", "printing"})  # those two: no choice


def _reach(ctx, screen: str):
    """``state_on`` for the screens of the visit up to the confirmation; the rest by printing."""
    if screen not in AFTER_PRINTING:
        return state_on(ctx, screen)
    state, _ = d.step(state_on(ctx, "confirm"), d.Press("button_yes"))
    ok = screen != "print_failed"
    result = d.Printed(ok=ok, recorded=screen != "error_journal", ticket="A001", payload="P",
                       case_id=1, slip=(("Phiếu", "Phiếu"),))
    state, _ = d.step(state, result)
    for key in {"survey": ["continue"], "thanks": ["continue", "sat:satisfied"]}.get(screen, []):
        option = d.build_screen(state).option(key)
        state, _ = d.step(state, d.Choose(option.number))
    assert state.visit.screen == screen
    return state


@pytest.fixture(scope="module")
def voiced():
    return make_ctx(voice=True)


def _listen_choices(state) -> tuple:
    listen = [e for e in d.present(state) if isinstance(e, d.Listen)]
    assert len(listen) == 1
    return listen[0].choices


@pytest.mark.parametrize("screen", SCREENS_WITH_CHOICES)
def test_every_choice_on_the_screen_keeps_something_to_say(voiced, screen) -> None:
    state = _reach(voiced, screen)
    choices = _listen_choices(state)
    assert choices, f"{screen}: nothing can be said"
    grammar = build_grammar([Phrasing(key, tuple(says)) for key, says in choices if says])
    lost = [key for key, says in choices if says and key not in grammar.intents]
    assert lost == [], f"{screen}: {lost} cannot be said; collisions: {grammar.collisions}"
    # every numbered button can also be chosen by its number
    numbered = {o.key for o in d.build_screen(state).options if o.number is not None}
    assert numbered <= set(grammar.intents), screen


def _screen_grammars(ctx):
    """The voice grammar of every screen with choices, as the listener builds it."""
    from voices.listen import Choice, is_command

    for screen in SCREENS_WITH_CHOICES:
        yield build_grammar(
            [
                Phrasing(key, tuple(says), -1 if is_command(Choice(key, ())) else 0)
                for key, says in _listen_choices(_reach(ctx, screen))
                if says
            ]
        )


def test_sound_alikes_on_the_vietnamese_screens_are_the_ones_the_readme_lists(voiced) -> None:
    """``voices.listen.sound_alikes`` over every screen's voice grammar (the check behind
    ``hotro listen``'s warning): the pairs the README names are found, by design, on the paper,
    confirm and survey screens, among the home topics, and where a screen's phrasing is a global
    command's with a word more; a new pair shows up here first."""
    from voices.listen import Thresholds, sound_alikes

    limit = Thresholds().sound_alike
    found: set[frozenset[str]] = set()
    for grammar in _screen_grammars(voiced):
        found |= {frozenset((a, b)) for a, _, b, _, _ in sound_alikes(grammar, limit)}
    named = [
        ("có", "chưa có"),
        ("có", "không có"),
        ("đúng", "chưa đúng"),
        ("hài lòng", "không hài lòng"),
        ("hài lòng", "chưa hài lòng"),
        ("đăng ký khai sinh", "đăng ký lại khai sinh"),
        ("căn cước", "cắt nước"),
        ("hưu trí", "lưu trú"),
        # a screen's phrasing that is a global command's with a word more (the commands are
        # listened for on every screen): bigger text against louder, the slip against repeat
        ("chữ to hơn", "to hơn"),
        ("chữ nhỏ lại", "nhỏ lại"),
        ("nghe lại phiếu", "nghe lại"),
        ("đọc lại phiếu", "đọc lại"),
        ("đọc to lên", "to lên"),
    ]
    assert {frozenset(p) for p in named} <= found
    assert len(found) == 29, sorted(tuple(sorted(p)) for p in found)  # a new pair: look at it


def test_clipped_forms_on_the_vietnamese_screens_are_the_ones_the_readme_lists(voiced) -> None:
    """``voices.listen.clipped_forms`` over every screen's voice grammar: a sentence that is
    another choice's with one sound less is never taken by voice (``Thresholds.refuse_clipped``),
    so each one would be a phrasing a resident cannot use. There are none today (a new one shows
    up here first: rephrase it, or take it into the README)."""
    from voices.listen import clipped_forms

    found: dict[str, str] = {}
    for grammar in _screen_grammars(voiced):
        found |= {short: long for short, (long, _) in clipped_forms(grammar).items()}
    assert found == {}


@pytest.mark.parametrize("screen", SCREENS_WITH_CHOICES)
def test_every_screen_with_choices_also_listens_for_the_global_commands(voiced, screen) -> None:
    """"nhắc lại", "to lên", "về đầu"… can be said on every screen (the README's promise), not
    only where the screen shows them; a screen with nothing to choose is not listened on."""
    keys = {key for key, _ in _listen_choices(_reach(voiced, screen))}
    assert {f"command_{name}" for name in d.COMMANDS} <= keys, screen


def test_screens_with_nothing_to_choose_are_not_listened_on(voiced) -> None:
    for screen in ("attract", "printing"):
        assert _listen_choices(state_on(voiced, screen)) == (), screen


def test_the_polite_words_are_listened_for_around_the_answers_of_every_screen(voiced) -> None:
    """"dạ" before and "ạ" after any answer ("dạ, có rồi ạ"): every screen keeps "dạ"; "ạ" is
    left out only where a resident speaks a request in her own words (home, type, none), whose
    procedure phrasings hold the word "a", one mark from "ạ" (``Courtesy.safe_for``)."""
    from voices.grammar import Courtesy
    from voices.phrases import load_pack

    courtesy = Courtesy.of(*d.courtesy_phrasings(load_pack("vi")))
    assert courtesy == Courtesy(("dạ",), ("ạ",))
    kept = {}
    for screen in SCREENS_WITH_CHOICES:
        choices = _listen_choices(_reach(voiced, screen))
        grammar = build_grammar([Phrasing(k, tuple(s)) for k, s in choices if s], courtesy)
        kept[screen] = grammar.courtesy
    assert {s for s, c in kept.items() if c.before != ("dạ",)} == set()
    assert {s for s, c in kept.items() if c.after != ("ạ",)} == {"home", "type", "none"}
