"""Answers heard by voice that record a fact about the resident are repeated back and confirmed
(the pure dialogue and the text mode); touch, keys and navigation are never confirmed."""

from __future__ import annotations

import pytest

from terminal import dialogue as d
from terminal.textmode import parse
from tests.terminal.conftest import Run, walk_papers


def _screen_and_commands(run: Run) -> set[str]:
    """What the next listening turn is for: the screen's choices and every global command."""
    return {o.key for o in run.model.all_options if o.say} | {f"command_{n}" for n in d.COMMANDS}


def on_paper(voice_ctx) -> Run:
    run = Run(voice_ctx)(d.Activate()).choose("lang:vi")
    run(d.Text("làm giấy khai sinh")).choose("continue")
    assert run.screen == "paper" and run.state.visit.stage == "have"
    return run


CHECK_YES = "Ông bà chọn Có rồi, đúng không?"
CHECK_NO = "Ông bà chọn Chưa có, đúng không?"
CHECK_NONE = "Ông bà chọn Chưa có thứ nào, đúng không?"
"""The second paper of a birth registration can be one of several papers (issue 15)."""
SHOWN_YES = "Ông/bà chọn Có rồi, đúng không?"
SHOWN_NO = "Ông/bà chọn Chưa có, đúng không?"
"""The screen writes "Ông/bà" where the voice says "Ông bà"."""
HINT = "Đúng thì nói: đúng, hoặc bấm phím bất kỳ. Sai thì nói: không."


def test_a_spoken_paper_answer_is_repeated_back_in_one_short_sentence(voice_ctx):
    """The first check of a visit says how to answer it; the screen shows Đúng / Không."""
    run = on_paper(voice_ctx)(d.Heard("button_yes"))
    assert run.screen == "paper" and run.state.visit.pending == "button_yes"
    assert run.state.visit.have[0] is None  # nothing recorded yet
    assert run.model.prompt == SHOWN_YES
    assert [(o.key, o.label) for o in run.model.options] == [
        ("answer_right", "Đúng"),
        ("answer_wrong", "Không"),
    ]
    assert run.said() == f"{CHECK_YES} {HINT}"
    assert any(isinstance(e, d.Listen) for e in run.last)


def test_later_checks_in_the_visit_are_one_sentence(voice_ctx):
    """After the first check, only the sentence itself is spoken (no hint, no options); the
    hint stays on the screen."""
    run = on_paper(voice_ctx)(d.Heard("button_yes"), d.Heard("answer_right"))
    assert run.state.visit.paper == 1
    run(d.Heard("button_no"))
    assert run.state.visit.pending == "button_no"
    assert run.said() == CHECK_NONE
    assert run.model.lines == (HINT,)


@pytest.mark.parametrize(
    "event", [d.Unclear(), d.Heard("group:ho_tich")], ids=["unclear", "not an answer here"]
)
def test_an_unclear_answer_to_a_later_check_brings_the_hint_back(voice_ctx, event):
    run = on_paper(voice_ctx)(d.Heard("button_yes"), d.Heard("answer_right"))
    run(d.Heard("button_no"), event)
    assert run.state.visit.pending == "button_no"
    assert run.said() == f"Xin lỗi, tôi chưa nghe rõ. {CHECK_NONE} {HINT}"


@pytest.mark.parametrize("repeat", [d.Command("repeat"), d.Heard("command_repeat")])
def test_repeat_says_the_check_with_its_hint(voice_ctx, repeat):
    run = on_paper(voice_ctx)(d.Heard("button_yes"), d.Heard("answer_right"))
    run(d.Heard("button_no"), repeat)
    assert run.state.visit.pending == "button_no"
    assert run.said() == f"{CHECK_NONE} {HINT}"


def test_the_hint_is_said_again_in_the_next_visit(voice_ctx):
    run = on_paper(voice_ctx)(d.Heard("button_yes"))
    assert HINT in run.said()
    state, _ = d.reset_state(run.state)
    run.state = state
    run(d.Activate()).choose("lang:vi")
    run(d.Text("làm giấy khai sinh")).choose("continue")
    run(d.Heard("button_yes"))
    assert run.said() == f"{CHECK_YES} {HINT}"


@pytest.mark.parametrize(
    "confirm",
    [d.Heard("answer_right"), d.Heard("button_yes"), d.Activate(), d.Focus(1), d.Choose(1)],
    ids=["says đúng", "says có", "Enter", "key 1", "touch Đúng"],
)
def test_right_or_any_key_takes_the_answer(voice_ctx, confirm):
    run = on_paper(voice_ctx)(d.Heard("button_yes"), confirm)
    assert run.state.visit.have[0] is True
    assert run.state.visit.pending is None
    assert run.state.visit.paper == 1  # on to the next paper


@pytest.mark.parametrize(
    "undo",
    [
        d.Heard("answer_wrong"),
        d.Heard("button_no"),
        d.Command("back"),
        d.Choose(2),
        d.Press("command_back"),
        d.Heard("command_back"),
    ],
    ids=["says không", "says no", "Back key", "touch Không", "touch Back", "says quay lại"],
)
def test_no_or_back_asks_the_same_question_again(voice_ctx, undo):
    run = on_paper(voice_ctx)(d.Heard("button_no"), undo)
    v = run.state.visit
    assert (v.pending, v.paper, v.stage, v.have[0]) == (None, 0, "have", None)
    assert run.model.prompt != SHOWN_NO
    assert "Ông bà đã có tờ khai khai sinh chưa?" in run.said()


def test_key_two_focuses_no_then_enter_undoes(voice_ctx):
    run = on_paper(voice_ctx)(d.Heard("button_yes"), d.Focus(2))
    assert run.state.visit.pending == "button_yes"
    assert "Không" in run.said()
    run(d.Activate())
    assert run.state.visit.pending is None and run.state.visit.have[0] is None


def test_repeat_and_louder_keep_the_answer_waiting(voice_ctx):
    run = on_paper(voice_ctx)(d.Heard("button_no"), d.Command("repeat"))
    assert run.state.visit.pending == "button_no"
    assert run.said() == f"{CHECK_NO} {HINT}"
    run(d.Command("louder"))
    assert run.state.visit.pending == "button_no"
    run(d.Heard("answer_right"))
    assert run.state.visit.have[0] is False and run.state.visit.stage == "where"


def test_unclear_during_the_check_asks_it_again(voice_ctx):
    run = on_paper(voice_ctx)(d.Heard("button_yes"), d.Unclear())
    assert run.state.visit.pending == "button_yes"
    assert run.said() == f"Xin lỗi, tôi chưa nghe rõ. {CHECK_YES} {HINT}"


def test_another_spoken_answer_is_checked_instead(voice_ctx):
    run = on_paper(voice_ctx)(d.Heard("button_yes"))
    run(d.Heard("answer_wrong"), d.Heard("button_no"))
    assert run.state.visit.pending == "button_no"


def test_touch_and_keys_are_never_checked(voice_ctx):
    run = on_paper(voice_ctx)
    run.choose("button_yes")
    assert run.state.visit.pending is None and run.state.visit.have[0] is True


@pytest.mark.parametrize(
    "screen,key,label",
    [
        ("priority", "prio:elderly", "Người cao tuổi"),
        ("needs", "need:hard_of_hearing", None),
        ("delivery", "deliver:post", None),
    ],
)
def test_priority_needs_and_delivery_by_voice_are_checked(voice_ctx, screen, key, label):
    run = on_paper(voice_ctx)
    walk_papers(run)
    while run.screen != screen:
        run.choose({"priority": "prio:none", "needs": "done"}[run.screen])
    run(d.Heard(key))
    assert run.state.visit.pending == key
    if label:
        assert run.model.prompt == f"Ông/bà chọn {label}, đúng không?"
    run(d.Heard("answer_right"))
    v = run.state.visit
    assert v.pending is None
    assert v.priority == "elderly" or key in {f"need:{n}" for n in v.needs} or v.delivery == "post"
    # the next listening turn is for the screen now shown, not for the check any more
    (listen,) = run.of(d.Listen)
    assert {k for k, _ in listen.choices} == _screen_and_commands(run)


@pytest.mark.parametrize("intent", ["command_repeat", "command_louder"])
def test_commands_by_voice_are_not_checked(voice_ctx, intent):
    run = on_paper(voice_ctx)(d.Heard(intent))
    assert run.state.visit.pending is None


def test_navigation_by_voice_is_not_checked(voice_ctx):
    run = Run(voice_ctx)(d.Activate()).choose("lang:vi")
    run(d.Heard("group:ho_tich"))
    assert run.screen == "group" and run.state.visit.pending is None


def test_text_mode_typed_answer_is_checked_and_đúng_takes_it(voice_ctx):
    """In the text mode a typed phrase stands for a spoken one (Heard); a digit is a key."""
    run = on_paper(voice_ctx)
    run(parse("có rồi", run.model))
    assert run.state.visit.pending == "button_yes"
    event = parse("đúng", run.model)
    assert event == d.Heard("answer_right")
    run(event)
    assert run.state.visit.have[0] is True
    run(parse("1", run.model))  # a digit: no check
    assert run.state.visit.pending is None


def test_which_alternative_she_has_is_confirmed_too(voice_ctx):
    """Saying which of a paper's alternatives she has records a fact: it is repeated back."""
    run = on_paper(voice_ctx)(d.Heard("button_yes"), d.Heard("answer_right"))
    assert run.model.option("alt:0") is not None  # the birth papers: one of several
    label = run.model.option("alt:0").label
    run(d.Heard("alt:0"))
    assert run.state.visit.pending == "alt:0"
    assert run.said() == f"Ông bà chọn {label}, đúng không?"
    run(d.Heard("answer_right"))
    assert run.state.visit.pending is None and run.state.visit.have[1] is True


def test_a_second_unclear_answer_to_the_check_says_the_keys_will_do(voice_ctx):
    run = on_paper(voice_ctx)(d.Heard("button_yes"), d.Unclear(), d.Unclear())
    assert run.state.visit.pending == "button_yes"
    assert run.said() == (
        "Tôi vẫn chưa nghe rõ. Ông bà bấm số hoặc chạm vào màn hình cũng được. "
        f"Cần người giúp thì nói: gọi cán bộ. {CHECK_YES} {HINT}"
    )


CHECK_START_OVER = "Ông bà chọn Về đầu, đúng không?"


def test_a_spoken_start_over_mid_visit_is_checked_and_đúng_takes_it(voice_ctx):
    """ "Về đầu" heard by voice would throw the visit away (other speech is taken for a command
    now and then): it is repeated back first, and only "đúng" (or a key) goes home."""
    run = on_paper(voice_ctx)(d.Heard("button_yes"), d.Heard("answer_right"))
    run(d.Heard("command_start_over"))
    v = run.state.visit
    assert (run.screen, v.pending, v.paper, v.have[0]) == ("paper", "command_start_over", 1, True)
    assert run.model.prompt == "Ông/bà chọn Về đầu, đúng không?"
    assert run.said() == CHECK_START_OVER  # the visit's second check: one sentence
    run(d.Heard("answer_right"))
    assert run.screen == "home" and run.state.visit.pending is None
    (listen,) = run.of(d.Listen)  # listening for the home screen's choices again
    assert _screen_and_commands(run) <= {k for k, _ in listen.choices}
    assert "answer_right" not in {k for k, _ in listen.choices}


@pytest.mark.parametrize(
    "undo",
    [d.Heard("answer_wrong"), d.Command("back"), d.Choose(2), d.Heard("command_back")],
    ids=["says không", "Back key", "touch Không", "says quay lại"],
)
def test_không_keeps_the_visit_where_it_was(voice_ctx, undo):
    run = on_paper(voice_ctx)(d.Heard("button_yes"), d.Heard("answer_right"))
    run(d.Heard("command_start_over"), undo)
    v = run.state.visit
    assert (run.screen, v.pending, v.paper, v.have[0]) == ("paper", None, 1, True)


def test_start_over_by_key_or_touch_or_on_the_home_screen_is_not_checked(voice_ctx):
    for event in (d.Command("start_over"), d.Press("command_start_over")):
        run = on_paper(voice_ctx)(event)
        assert run.screen == "home" and run.state.visit.pending is None
    home = Run(voice_ctx)(d.Activate()).choose("lang:vi")
    home(d.Heard("command_start_over"))
    assert home.screen == "home" and home.state.visit.pending is None


def test_start_over_said_while_an_answer_waits_is_checked_instead(voice_ctx):
    run = on_paper(voice_ctx)(d.Heard("button_no"), d.Heard("command_start_over"))
    v = run.state.visit
    assert (run.screen, v.pending, v.have[0]) == ("paper", "command_start_over", None)
    run(d.Activate())  # any key takes it
    assert run.screen == "home"


@pytest.mark.parametrize(
    "typed,intent",
    [
        ("dạ, có rồi ạ", "button_yes"),
        ("Dạ chưa có ạ", "button_no"),
        ("dạ nhắc lại", "command_repeat"),
    ],
)
def test_text_mode_takes_an_answer_with_the_polite_words_around_it(voice_ctx, typed, intent):
    """ "dạ … ạ" around an answer, as residents say it to an official: the text mode takes it
    as the voice does (``dialogue.courtesy_phrasings``)."""
    run = on_paper(voice_ctx)
    assert parse(typed, run.model) == d.Heard(intent)
    assert parse("dạ", run.model) == d.Unclear()  # a polite word alone is not an answer


def test_text_mode_typed_start_over_is_checked(voice_ctx):
    run = on_paper(voice_ctx)
    event = parse("làm lại từ đầu", run.model)
    assert event == d.Heard("command_start_over")
    run(event)
    assert run.state.visit.pending == "command_start_over" and run.screen == "paper"
    run(parse("đúng", run.model))
    assert run.screen == "home"
