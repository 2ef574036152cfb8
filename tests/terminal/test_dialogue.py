"""The pure dialogue: every path of the visit and every global command, with plain values."""

from __future__ import annotations

import pytest

from procedures.model import Need as PaperNeed
from terminal import dialogue as d
from terminal.screens import SCREENS, build_screen
from terminal.settings import Settings
from tests.terminal.conftest import BIRTH, Run, make_ctx, state_on, to_procedure, walk_papers

ALL_SCREENS = tuple(SCREENS)


def test_start_shows_the_attract_screen_and_says_nothing(ctx):
    run = Run(ctx)
    assert run.screen == "attract"
    assert not run.of(d.Say)
    assert run.of(d.ApplySettings)[0].settings == ctx.defaults


def test_any_touch_on_attract_opens_the_language_screen(ctx):
    run = Run(ctx)(d.Choose(5))
    assert run.screen == "language"
    assert [o.key for o in run.model.options] == ["lang:vi", "lang:en"]
    assert "chọn ngôn ngữ" in run.said()


def test_vietnamese_is_the_default_language(ctx):
    run = Run(ctx)(d.Activate(), d.Choose(1))
    assert run.state.settings.lang == "vi"
    assert run.screen == "home"


def test_english_changes_screen_and_speech_language(ctx):
    run = Run(ctx)(d.Activate(), d.Choose(2))
    assert run.state.settings.lang == "en"
    assert run.model.title == "What do you need to do?"
    assert "What do you need to do?" in run.said()


def test_voice_input_off_is_said_once_a_day_not_once_a_visit(ctx):
    run = Run(ctx)(d.Tick(0.0, day="2026-01-05"), d.Activate(), d.Choose(1))
    assert "chưa nghe được giọng nói" in run.said()
    run(d.Command("back"), d.Choose(1))
    assert "chưa nghe được giọng nói" not in run.said()
    run.state = d.reset_state(run.state)[0]  # the next resident, the same day
    run(d.Activate(), d.Choose(1))
    assert run.screen == "home" and "chưa nghe được giọng nói" not in run.said()
    run.state = d.reset_state(run.state)[0]
    run(d.Tick(1.0, day="2026-01-06"), d.Activate(), d.Choose(1))  # the next day
    assert "chưa nghe được giọng nói" in run.said()


def test_voice_input_on_is_not_announced(voice_ctx):
    run = Run(voice_ctx)(d.Activate(), d.Choose(1))
    assert "chưa nghe được giọng nói" not in run.said()


def test_a_group_lists_its_procedures_in_pages_of_six(ctx):
    run = Run(ctx)(d.Activate(), d.Choose(1)).choose("group:ho_tich")
    codes = ctx.group_codes["ho_tich"]
    seen = []
    while True:
        m = run.model
        choices = [o for o in m.options if o.role == "choice"]
        assert len(choices) <= 6
        choices_n = len([o for o in m.options if o.role == "choice"])
        assert [o.number for o in m.options if o.role == "choice"] == list(range(1, choices_n + 1))
        assert {o.number for o in m.options if o.role == "page"} <= {7, 8}
        seen += [o.key[5:] for o in choices]
        if m.option("more") is None:
            break
        run.choose("more")
        assert "Trang" in run.said()
    assert tuple(seen) == codes
    run.choose("prev")
    assert run.state.visit.page == len(codes) // 6 - (1 if len(codes) % 6 == 0 else 0) - 1


@pytest.mark.parametrize("screen", ["home", "group", "help"])
def test_long_lists_never_show_more_than_six_choices(ctx, screen):
    model = build_screen(state_on(ctx, screen))
    assert sum(o.role == "choice" for o in model.options) <= 6
    assert model.page is not None


def test_a_clear_request_opens_its_procedure(ctx):
    run = Run(ctx)(d.Activate(), d.Choose(1), d.Text("làm giấy khai sinh cho cháu"))
    assert run.screen == "procedure"
    assert run.state.visit.code == BIRTH


def test_an_unclear_request_asks_back_with_numbered_choices(ctx):
    run = Run(ctx)(d.Activate(), d.Choose(1), d.Text("giấy tờ"))
    assert run.screen == "ask"
    procs = [o for o in run.model.options if o.key.startswith("proc:")]
    assert 2 <= len(procs) <= 4
    assert f"Bấm 1 {procs[0].label}, 2 {procs[1].label}" in run.said()
    run(d.Choose(2))
    assert run.screen == "procedure"
    assert run.state.visit.code == "1.000894"


def test_look_alikes_are_asked_apart_by_one_plain_question(ctx):
    run = Run(ctx)(d.Activate(), d.Choose(1), d.Text("làm lại giấy khai sinh cho ông"))
    question = d.question_of(run.state)
    assert question is not None and question.id == "birth_registered"
    m = run.model
    assert m.title == "Giấy khai sinh đã làm lần nào chưa?"
    answers = [o for o in m.options if o.key.startswith("answer:")]
    assert [o.label for o in answers] == [a.text for a in question.answers]
    # then the candidate the question does not cover, while it fits on one page, and "none"
    assert [o.key for o in m.options[len(answers) :]] == ["other"]
    assert len(m.options) <= 6 and m.page is None
    said = run.said()
    assert "Giấy khai sinh đã làm lần nào chưa?" in said
    assert ", 3 Đã làm, nhưng giấy và sổ gốc đều mất," in said
    run(d.Choose(3))
    assert run.screen == "procedure"
    assert run.state.visit.code == "1.004884"


def test_a_candidate_outside_the_question_is_offered_after_the_answers(ctx):
    from dataclasses import replace

    from terminal.state import Visit

    home = state_on(ctx, "home")
    visit = Visit(screen="ask", candidates=("1.011606", "1.011607", "2.000884"))
    state = replace(home, visit=replace(visit, question="poor_household"))
    keys = [o.key for o in build_screen(state).options]
    assert keys == ["answer:0", "answer:1", "answer:2", "proc:2.000884", "other"]


def test_an_answer_can_be_said(voice_ctx):
    run = Run(voice_ctx)(d.Activate(), d.Choose(1), d.Text("làm lại giấy khai sinh"))
    grammar = dict(run.of(d.Listen)[-1].choices)
    assert "chưa làm, em bé mới sinh" in grammar["answer:0"]
    run(d.Heard("answer:0"))
    assert run.state.visit.code == BIRTH


def test_back_from_an_answer_returns_to_the_question(ctx):
    run = Run(ctx)(d.Activate(), d.Choose(1), d.Text("làm lại giấy khai sinh"), d.Choose(1))
    run(d.Command("back"))
    assert run.screen == "ask"
    assert run.model.title == "Giấy khai sinh đã làm lần nào chưa?"


def test_no_question_when_the_candidates_are_not_look_alikes(ctx):
    run = Run(ctx)(d.Activate(), d.Choose(1), d.Text("giấy tờ"))
    assert run.state.visit.question is None
    assert run.model.title == "Ý ông/bà là việc nào?"


def test_question_for_needs_the_best_candidate_and_one_more(ctx):
    qs = ctx.questions
    assert d.question_for(("1.001193", "1.004884"), qs).id == "birth_registered"
    assert d.question_for(("1.000894", "1.001193"), qs) is None  # best not covered with another
    assert d.question_for(("1.001193", "2.000884"), qs) is None  # only one covered
    assert d.question_for((), qs) is None
    # the question covering most candidates wins
    assert d.question_for(("1.011607", "1.011606", "1.011608"), qs).id == "poor_household"


def test_a_request_done_elsewhere_shows_says_and_prints_where_to_go(ctx):
    run = Run(ctx)(d.Activate(), d.Choose(1), d.Text("làm hộ chiếu"))
    referral = run.state.visit.referral
    assert run.screen == "none" and referral is not None and referral.id == "passport"
    m = run.model
    assert m.title == "Việc này không làm ở đây"
    assert referral.text in m.lines
    assert referral.text in run.said()
    assert [o.key for o in m.options] == ["print_referral", "staff", "other"]
    assert ("referral", "passport") in [(e.kind, e.detail) for e in run.of(d.JournalEvent)]
    run.choose("print_referral")
    note = run.of(d.PrintNote)[-1]
    assert note.heading == referral.name
    assert referral.text in [text for text, _ in note.lines]
    assert "đang in" in run.said()
    run(d.NotePrinted(ok=True))
    assert "Đã in xong" in run.said()
    assert ("referral_print", "passport ok") in [(e.kind, e.detail) for e in run.of(d.JournalEvent)]
    run(d.NotePrinted(ok=False, problem="paper_out"))
    assert "Máy in đang lỗi" in run.said()
    run.choose("staff")  # staff is still offered
    assert run.screen == "staff"


def test_a_spoken_request_done_elsewhere_gets_its_referral(voice_ctx):
    run = Run(voice_ctx)(d.Activate(), d.Choose(1))
    grammar = dict(run.of(d.Listen)[-1].choices)
    assert "hộ chiếu" in grammar["ref:passport"]
    run(d.Heard("ref:passport"))
    assert run.screen == "none" and run.state.visit.referral.id == "passport"
    assert run.state.visit.referral.text in run.said()
    assert ("referral", "passport") in [(e.kind, e.detail) for e in run.of(d.JournalEvent)]


def test_a_referral_in_english_is_shown_in_english(ctx):
    run = Run(ctx)(d.Activate(), d.Choose(2), d.Text("hộ chiếu"))
    assert run.model.title == "This is not done here"
    assert run.state.visit.referral.text_en in run.model.lines


def test_a_request_not_done_here_offers_staff(ctx):
    run = Run(ctx)(d.Activate(), d.Choose(1), d.Text("xin việc làm"))
    assert run.screen == "none"
    assert run.model.option("staff") is not None
    run.choose("staff")
    assert run.screen == "staff"
    assert run.of(d.JournalEvent)[0].kind == "call_staff"


def test_procedure_screen_says_the_summary_first_and_who_fee_time_on_request(ctx):
    """Short first: the first sentence and the menu; the rest is shown and read on "details"."""
    run = to_procedure(Run(ctx))
    p = ctx.procedures[BIRTH]
    said = run.said()
    first = p.summary.split(". ")[0]
    assert first in said
    for part in (p.who, p.fee, p.time):
        assert part not in said
        assert any(part in line for line in run.model.lines)
    assert "3 Ai làm, lệ phí, thời gian" in said
    run.choose("details")
    assert run.screen == "procedure"
    for part in (p.who, p.fee, p.time, p.summary.split(". ")[1]):
        assert part in run.said()


def test_police_procedures_refer_to_the_commune_police(ctx):
    run = to_procedure(Run(ctx), "1.004222")
    assert "Công an xã" in run.model.lines[0]
    assert "VNeID" in run.model.lines[0]
    assert run.model.option("staff") is not None
    run.choose("continue")  # print the checklist anyway
    assert run.screen == "paper"


def test_checklist_asks_paper_by_paper(ctx):
    run = to_procedure(Run(ctx)).choose("continue")
    p = ctx.procedures[BIRTH]
    assert run.model.title == f"Ông/bà đã có {p.papers[0].in_sentence} chưa?"
    assert run.model.prompt == f"Giấy tờ 1 trên {len(p.papers)}"
    assert "Ông bà đã có" in run.said()
    run.choose("button_yes")
    assert run.state.visit.paper == 1


def test_a_missing_paper_says_where_to_get_it(ctx):
    run = to_procedure(Run(ctx)).choose("continue").choose("button_no")
    p = ctx.procedures[BIRTH]
    assert run.state.visit.stage == "where"
    assert p.papers[0].where_to_get in run.said()
    run.choose("next")
    assert run.state.visit.paper == 1
    assert run.state.visit.have[0] is False


def test_sometimes_papers_ask_when_first(ctx):
    run = to_procedure(Run(ctx)).choose("continue")
    p = ctx.procedures[BIRTH]
    run.choose("button_yes").choose("alt:0").choose("alt:0")  # form, birth paper, identity
    assert run.state.visit.stage == "when"
    case = p.papers[3].when.removeprefix("Chỉ khi ").rstrip(".")
    assert run.model.title == f"{p.papers[3].short} chỉ cần khi {case}. Ông/bà có cần không?"
    assert run.said().startswith(f"{p.papers[3].short} chỉ cần khi {case}.")
    run.choose("button_yes")  # applies → asked whether they have it
    assert run.state.visit.stage == "have"
    run.choose("button_no")
    assert run.state.visit.have[3] is False


def test_a_sometimes_paper_that_does_not_apply_is_neither_had_nor_missing(ctx):
    run = walk_papers(to_procedure(Run(ctx)).choose("continue"))
    assert run.screen == "priority"
    v = run.state.visit
    papers = ctx.procedures[BIRTH].papers
    sometimes = {i for i, p in enumerate(papers) if p.need is PaperNeed.SOMETIMES}
    assert sometimes and all(v.have[i] is False for i in sometimes)
    assert all(v.have[i] for i in range(len(v.have)) if i not in sometimes)
    assert d.draft_of(run.state).not_needed == frozenset(sometimes)


def test_priority_needs_delivery_and_confirm_build_the_case(ctx):
    run = walk_papers(to_procedure(Run(ctx)).choose("continue"), answer="button_no")
    run.choose("prio:elderly")
    assert run.screen == "needs"
    run.choose("need:hard_of_hearing")
    assert "đã chọn" in run.said()
    run.choose("need:wheelchair").choose("need:wheelchair")
    assert "đã bỏ chọn" in run.said()
    assert run.state.visit.needs == {"hard_of_hearing"}
    assert run.model.option("need:hard_of_hearing").selected is True
    run.choose("done").choose("deliver:post")
    assert run.screen == "confirm"
    lines = " ".join(run.model.lines)
    assert "Người cao tuổi" in lines and "Nghe kém" in lines and "bưu điện" in lines
    assert "Còn thiếu" in lines
    run.choose("button_yes")
    assert run.screen == "printing"
    draft = run.of(d.PrintCase)[0].draft
    assert draft.code == BIRTH
    assert draft.priority == "elderly"
    assert draft.needs == {"hard_of_hearing"}
    assert draft.delivery == "post"
    assert draft.have == (False,) * len(ctx.procedures[BIRTH].papers)
    assert draft.not_needed == {3, 4, 5}  # the "only when ..." papers did not apply


def test_confirm_no_walks_the_checklist_again(ctx):
    run = Run(ctx)
    run.state = state_on(ctx, "confirm")
    run.choose("button_no")
    assert run.screen == "paper"
    assert run.state.visit.paper == 0
    assert not run.of(d.PrintCase)


def test_printed_slip_is_read_aloud_then_survey(ctx):
    run = Run(ctx)
    run.state = state_on(ctx, "printing")
    slip = (
        ("Đăng ký khai sinh", "đăng ký khai sinh"),
        ("Đã có: Giấy chứng sinh", "đã có giấy chứng sinh"),
        ("Còn thiếu: Tờ khai", "còn thiếu tờ khai"),
    )
    kinds = ("heading", "have", "missing")
    run(d.Printed(ok=True, ticket="A001", payload="P", case_id=7, slip=slip, slip_kinds=kinds))
    assert run.screen == "printed"
    said = run.said()
    assert said.startswith("Mời ông bà lấy phiếu ở khe máy in. còn thiếu tờ khai")
    assert "A001" in said and "giấy chứng sinh" not in said
    assert run.model.big == "A001"
    assert run.model.lines == tuple(text for text, _ in slip)  # the whole slip is shown
    run.choose("hear_slip")
    assert "đăng ký khai sinh" in run.said() and "đã có giấy chứng sinh" in run.said()
    run.choose("continue")
    assert run.screen == "survey"
    run.choose("sat:neutral")
    assert run.of(d.JournalSatisfaction) == [d.JournalSatisfaction(7, "neutral")]
    assert run.screen == "thanks"
    assert "A001" in run.model.prompt
    run.choose("finish")
    assert run.screen == "attract"


def test_print_failure_shows_qr_and_ticket_and_offers_retry(ctx):
    run = Run(ctx)
    run.state = state_on(ctx, "printing")
    run(d.Printed(ok=False, ticket="U004", payload="H1:T1:U004", case_id=3, problem="paper_out"))
    m = run.model
    assert run.screen == "print_failed"
    assert m.qr == "H1:T1:U004" and m.big == "U004"
    assert "cán bộ" in run.said() and "U004" in run.said()
    run.choose("retry")
    retry = run.of(d.RetryPrint)[0]
    assert (retry.case_id, retry.ticket, retry.payload) == (3, "U004", "H1:T1:U004")
    assert run.screen == "printing"


def test_a_journal_failure_asks_for_staff(ctx):
    run = Run(ctx)
    run.state = state_on(ctx, "printing")
    run(d.Printed(ok=False, recorded=False, problem="journal"))
    assert run.screen == "error_journal"
    assert run.model.option("staff") is not None


def test_unclear_speech_says_sorry_and_the_choices(voice_ctx):
    run = Run(voice_ctx)(d.Activate(), d.Choose(1), d.Unclear())
    assert run.said().startswith("Xin lỗi, tôi chưa nghe rõ.")
    assert "Bấm 1 Hộ tịch, 2 Chứng thực" in run.said()
    assert run.screen == "home"


AGAIN = (
    "Tôi vẫn chưa nghe rõ. Ông bà bấm số hoặc chạm vào màn hình cũng được. "
    "Cần người giúp thì nói: gọi cán bộ."
)


def test_a_second_unclear_answer_in_a_row_says_the_keys_and_call_staff_will_do(voice_ctx):
    """A voice the recogniser does not hear well must not be left asking forever."""
    run = Run(voice_ctx)(d.Activate(), d.Choose(1), d.Unclear())
    assert AGAIN not in run.said()
    run(d.Unclear())
    assert run.said().startswith(AGAIN)
    assert "Bấm 1 Hộ tịch, 2 Chứng thực" in run.said()  # the choices are still read
    run(d.Unclear())
    assert run.said().startswith(AGAIN)
    assert run.screen == "home"


def test_an_answer_not_for_this_screen_continues_the_run(voice_ctx):
    run = Run(voice_ctx)(d.Activate(), d.Choose(1), d.Unclear(), d.Heard("sat:satisfied"))
    assert run.said().startswith(AGAIN)


@pytest.mark.parametrize(
    "between", [d.Focus(2), d.Command("louder"), d.Heard("command_repeat")], ids=str
)
def test_a_key_or_an_understood_answer_ends_the_run(voice_ctx, between):
    run = Run(voice_ctx)(d.Activate(), d.Choose(1), d.Unclear(), between, d.Unclear())
    assert run.said().startswith("Xin lỗi, tôi chưa nghe rõ.")
    assert AGAIN not in run.said()


def test_the_run_starts_again_in_the_next_visit(voice_ctx):
    run = Run(voice_ctx)(d.Activate(), d.Choose(1), d.Unclear())
    state, _ = d.reset_state(run.state)
    assert state.unclear_run == 0


def test_in_english_too(voice_ctx):
    run = Run(voice_ctx)(d.Activate())
    run.choose("lang:en")
    run(d.Unclear(), d.Unclear())
    assert run.said().startswith("I still did not hear that clearly.")
    assert "say: call staff" in run.said()


def test_an_intent_not_on_this_screen_counts_as_unclear(voice_ctx):
    run = Run(voice_ctx)(d.Activate(), d.Choose(1), d.Heard("sat:satisfied"))
    assert run.screen == "home"
    assert "chưa nghe rõ" in run.said()


def test_a_procedure_can_be_named_by_voice_on_home(voice_ctx):
    run = Run(voice_ctx)(d.Activate(), d.Choose(1), d.Heard(f"proc:{BIRTH}"))
    assert run.screen == "procedure"


def test_focus_speaks_the_choice_with_its_details_then_enter_confirms(ctx):
    run = Run(ctx)(d.Activate(), d.Choose(1), d.Focus(3))
    assert run.screen == "home"
    assert run.state.visit.focus == "group:bao_tro_xa_hoi"
    group = next(g for g in ctx.groups if g.id == "bao_tro_xa_hoi")
    assert run.said() == f"{group.name}: {group.spoken_name}. Bấm Enter để chọn."
    assert run.of(d.Show)[0].screen.focus == "group:bao_tro_xa_hoi"
    run(d.Activate())
    assert run.screen == "group" and run.state.visit.group == "bao_tro_xa_hoi"


def test_arrows_move_the_focus_through_every_button(ctx):
    run = Run(ctx)(d.Activate(), d.Choose(1))
    keys = [o.key for o in run.model.all_options]
    seen = []
    for _ in keys:
        run(d.FocusMove(1))
        seen.append(run.state.visit.focus)
    assert seen == keys
    run(d.FocusMove(1))
    assert run.state.visit.focus == keys[0]


def test_enter_with_nothing_focused_repeats_the_screen(ctx):
    run = Run(ctx)(d.Activate(), d.Choose(1))
    first = run.said()
    run(d.Activate())
    assert run.screen == "home"
    assert "Bấm 1 Hộ tịch" in run.said() and run.said() in first


def test_a_number_that_is_not_there_is_said(ctx):
    run = Run(ctx)(d.Activate(), d.Choose(1)).choose("more").choose("group:cu_tru")
    run(d.Choose(8))
    assert run.screen == "group"
    assert "Không có số 8" in run.said()


@pytest.mark.parametrize("screen", [s for s in ALL_SCREENS if s != "attract"])
def test_every_user_event_first_stops_speech(ctx, screen):
    state = state_on(ctx, screen)
    for ev in (d.Choose(1), d.Focus(1), d.Command("repeat"), d.FocusMove(1)):
        _, effects = d.step(state, ev)
        assert isinstance(effects[0], d.StopSpeech)


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("screen", ALL_SCREENS)
def test_every_screen_builds_in_both_languages(ctx, screen, lang):
    from dataclasses import replace

    state = state_on(ctx, screen)
    state = replace(state, settings=replace(state.settings, lang=lang))
    model = build_screen(state)
    assert model.title and model.speech
    assert all(o.spoken for o in model.all_options)


# -- global commands from every screen ----------------------------------------------------------
SCREENS_WITH_FOOTER = [s for s in ALL_SCREENS if s not in ("attract", "printing")]


@pytest.mark.parametrize("screen", SCREENS_WITH_FOOTER)
def test_repeat_says_the_screen_again(ctx, screen):
    state = state_on(ctx, screen)
    new, effects = d.step(state, d.Command("repeat"))
    assert new.visit == state.visit
    says = [e for e in effects if isinstance(e, d.Say)]
    assert says and says[0].items == build_screen(state).speech


@pytest.mark.parametrize("screen", SCREENS_WITH_FOOTER)
def test_stop_only_stops(ctx, screen):
    state = state_on(ctx, screen)
    new, effects = d.step(state, d.Command("stop"))
    assert effects == (d.StopSpeech(),)
    assert new.visit == state.visit


@pytest.mark.parametrize("screen", SCREENS_WITH_FOOTER)
@pytest.mark.parametrize(
    ("command", "field", "delta"),
    [("slower", "rate_step", -1), ("faster", "rate_step", 1),
     ("louder", "volume_step", 1), ("softer", "volume_step", -1)],
)
def test_rate_and_volume_step_from_every_screen(ctx, screen, command, field, delta):
    state = state_on(ctx, screen)
    new, effects = d.step(state, d.Command(command))
    assert getattr(new.settings, field) == getattr(state.settings, field) + delta
    assert d.ApplySettings(new.settings) in effects
    assert new.visit == state.visit
    assert any(isinstance(e, d.Say) for e in effects)


def test_rate_stops_at_its_ends_and_says_so(ctx):
    run = Run(ctx)(d.Activate(), d.Choose(1))
    for _ in range(10):
        run(d.Command("slower"))
    assert run.state.settings.rate_step == 0
    assert "chậm nhất" in run.said()
    for _ in range(10):
        run(d.Command("louder"))
    assert run.state.settings.volume_step == ctx.limits.volume_steps - 1
    assert "to nhất" in run.said()


@pytest.mark.parametrize("screen", SCREENS_WITH_FOOTER)
def test_call_staff_from_every_screen(ctx, screen):
    state = state_on(ctx, screen)
    new, effects = d.step(state, d.Command("call_staff"))
    assert new.visit.screen == "staff"
    if screen != "staff":
        assert d.JournalEvent("call_staff", screen) in effects
        back, _ = d.step(new, d.Command("back"))
        assert back.visit.screen == screen


@pytest.mark.parametrize("screen", SCREENS_WITH_FOOTER)
def test_help_from_every_screen_says_where_you_are(ctx, screen):
    state = state_on(ctx, screen)
    new, effects = d.step(state, d.Command("help"))
    assert new.visit.screen == "help"
    said = " ".join(t for e in effects if isinstance(e, d.Say) for _, t in e.items)
    assert "đang ở" in said
    if screen != "help":
        assert build_screen(state).title in said
        resumed, _ = d.step(new, d.Press("resume"))
        assert resumed.visit == state.visit


@pytest.mark.parametrize(
    "screen", [s for s in SCREENS_WITH_FOOTER if s not in ("print_failed", "staff_code")]
)
def test_start_over_from_every_screen_goes_home(ctx, screen):
    state = state_on(ctx, screen)
    new, effects = d.step(state, d.Command("start_over"))
    assert new.visit.screen == "home"
    assert new.visit.code is None and new.visit.needs == frozenset()
    assert new.settings == state.settings


@pytest.mark.parametrize("screen", SCREENS_WITH_FOOTER)
def test_back_from_every_screen(ctx, screen):
    state = state_on(ctx, screen)
    new, effects = d.step(state, d.Command("back"))
    if screen == "language":
        assert new.visit.screen == "attract"
    elif state.history:
        assert new.visit == state.history[-1]
    else:  # after printing there is no way back into the print
        assert new.visit == state.visit
        assert any(isinstance(e, d.Say) for e in effects)


@pytest.mark.parametrize("screen", ["attract", "printing"])
def test_commands_on_screens_without_buttons_do_no_harm(ctx, screen):
    state = state_on(ctx, screen)
    for name in d.COMMANDS:
        new, _ = d.step(state, d.Command(name))
        assert new.visit.screen in (screen, "language", "home", "help", "staff")


def test_back_returns_the_previous_answer_screen(ctx):
    run = to_procedure(Run(ctx)).choose("continue").choose("button_yes")
    assert run.state.visit.paper == 1
    run(d.Command("back"))
    assert run.state.visit.paper == 0 and run.screen == "paper"


def test_start_over_after_printing_records_a_skipped_survey(ctx):
    run = Run(ctx)
    run.state = state_on(ctx, "printed")
    run(d.Command("start_over"))
    assert run.of(d.JournalSatisfaction) == [d.JournalSatisfaction(1, "skipped")]


def test_text_size_and_theme_change_from_help(ctx):
    run = Run(ctx)(d.Activate(), d.Choose(1), d.Command("help"))
    run.choose("text_bigger")
    assert run.state.settings.text_size == "large"
    run.choose("theme_next")
    assert run.state.settings.theme == "white_on_black"
    assert "nền đen" in run.said()
    run.choose("text_bigger").choose("text_bigger")
    assert run.state.settings.text_size == "largest"
    assert "to nhất" in run.said()


# -- idle ---------------------------------------------------------------------------------------
def _idle_ctx():
    return make_ctx(idle_warning_seconds=5, idle_reset_seconds=5, max_extensions=10)


def test_idle_warns_aloud_and_on_screen_then_resets():
    ctx = _idle_ctx()
    run = Run(ctx)(d.Activate(), d.Choose(1))
    run(d.Tick(100.0), d.Tick(104.0))
    assert not run.state.idle.warned
    run(d.Tick(105.0))
    assert run.state.idle.warned
    assert "còn ở đây không" in run.said()
    assert run.of(d.Show)[0].screen.warning
    run(d.Tick(106.0), d.Tick(110.9))
    assert run.screen == "home"
    run(d.Tick(111.0))
    assert run.screen == "attract"


def test_any_action_extends_at_least_ten_times():
    ctx = _idle_ctx()
    run = Run(ctx)(d.Activate(), d.Choose(1))
    t = 100.0
    for i in range(10):
        run(d.Tick(t), d.Tick(t + 5))
        assert run.state.idle.warned
        run(d.Focus(1))  # any action
        assert not run.state.idle.warned
        assert run.state.idle.extensions == i + 1
        assert run.of(d.Show)[-1].screen.warning is None
        t += 10
    # the eleventh warning can no longer be answered: the session resets
    run(d.Tick(t), d.Tick(t + 5), d.Choose(1))
    assert run.state.idle.warned
    run(d.Tick(t + 6), d.Tick(t + 11))
    assert run.screen == "attract"


def test_the_quiet_period_waits_while_the_terminal_speaks():
    ctx = _idle_ctx()
    run = Run(ctx)(d.Activate(), d.Choose(1))
    for t in range(100, 120):
        run(d.Tick(float(t), busy=True))
    assert not run.state.idle.warned
    run(d.Tick(120.0), d.Tick(125.0))
    assert run.state.idle.warned


def test_reset_restores_every_default_and_says_nothing():
    ctx = _idle_ctx()
    run = Run(ctx)(d.Activate(), d.Choose(2))
    for cmd in ("faster", "louder", "text_bigger", "theme_next"):
        run(d.Command(cmd))
    run(d.Text("làm giấy khai sinh"))
    changed = run.state.settings
    assert changed != ctx.defaults
    assert changed.lang == "en"
    run(d.Tick(0.0), d.Tick(5.0), d.Tick(6.0), d.Tick(11.0))
    assert run.screen == "attract"
    assert run.state.settings == ctx.defaults == Settings()
    assert run.state.visit == d.initial_state(ctx).visit
    assert run.state.history == ()
    assert d.ApplySettings(ctx.defaults) in run.last
    assert not run.of(d.Say)


def test_silence_on_the_survey_is_recorded_as_skipped():
    ctx = _idle_ctx()
    run = Run(ctx)
    run.state = state_on(ctx, "survey")
    run(d.Tick(0.0), d.Tick(5.0), d.Tick(6.0), d.Tick(11.0))
    assert run.screen == "attract"
    assert d.JournalSatisfaction(1, "skipped") in run.last


def test_thanks_screen_resets_by_itself(ctx):
    run = Run(ctx)
    run.state = state_on(ctx, "thanks")
    run(d.Tick(0.0), d.Tick(ctx.thanks_seconds))
    assert run.screen == "attract"
    assert not [e for e in run.last if isinstance(e, d.JournalSatisfaction)]


def test_attract_screen_does_not_time_out(ctx):
    run = Run(ctx)
    run(d.Tick(0.0), d.Tick(10_000.0))
    assert run.screen == "attract" and not run.last


@pytest.mark.parametrize("screen", ["home", "group", "help"])
def test_option_numbers_are_the_same_at_every_text_size_and_page(ctx, screen):
    """Choices 1-6 on every page, 7 a page back, 8 more; what does not fit is shown in parts."""
    from dataclasses import replace

    state = state_on(ctx, screen)
    numbers = set()
    for size in ("normal", "large", "largest"):
        sized = replace(state, settings=replace(state.settings, text_size=size))
        numbers.add(tuple((o.key, o.number) for o in build_screen(sized).options))
    assert len(numbers) == 1
    model = build_screen(state)
    assert model.option("more").number == 8 and model.option("prev") is None
    paged = replace(state, visit=replace(state.visit, page=1))
    assert build_screen(paged).option("prev").number == 7


def test_read_on_says_the_part_and_what_came_into_view(ctx):
    run = to_procedure(Run(ctx))
    m = run.model
    run(d.ReadOn(2, 3, lines=(2, 3), prompt=False, keys=("continue",)))
    assert run.said() == (
        f"Phần 2 trên 3. {m.lines_spoken[2]} {m.lines_spoken[3]} Bấm 1 Xem giấy tờ cần mang."
    )
    assert run.screen == "procedure"


def test_voice_lost_is_said_once_and_the_prompts_change_for_this_and_later_visits(ctx):
    voiced = make_ctx(voice=True)
    run = Run(voiced)(d.Activate()).choose("lang:vi")
    assert run.screen == "home"
    assert run.model.prompt == voiced.packs["vi"].screen("prompt_home")
    new, effects = d.step(run.state, d.VoiceLost("microphone unplugged"))
    said = [text for e in effects if isinstance(e, d.Say) for _, text in e.items]
    off = voiced.packs["vi"].spoken("speech_voice_input_off")
    assert said == [off]
    assert any(isinstance(e, d.JournalEvent) and e.kind == "voice_input_lost" for e in effects)
    assert not new.ctx.voice_input
    assert d.step(new, d.VoiceLost())[1] == ()  # said once only
    shown = next(e.screen for e in effects if isinstance(e, d.Show))
    assert shown.prompt == voiced.packs["vi"].screen("prompt_home_no_voice")
    after_reset, _ = d.reset_state(new)
    assert not after_reset.ctx.voice_input  # the next visit hears the short notice once


def test_confirm_lists_only_papers_that_apply_missing_first(ctx):
    """Papers answered "not my case" are neither had nor missing (as on the slip)."""
    run = walk_papers(to_procedure(Run(ctx)).choose("continue"), answer="button_no")
    run.choose("prio:none").choose("done").choose("deliver:centre")
    papers = ctx.procedures[BIRTH].papers
    applying = [p.short for p in papers if not p.when]
    not_applying = [p.short for p in papers if p.when]
    lines = run.model.lines
    assert lines[1] == "Còn thiếu: " + ", ".join(applying)
    assert lines[2] == "Đã có: 0 giấy tờ"
    assert not any(name in " ".join(lines) for name in not_applying)
    assert "Còn thiếu: " + ", ".join(applying) in run.said()


def _failed(ctx, **kw):
    run = Run(make_ctx(**kw) if kw else ctx)
    run.state = state_on(run.state.ctx, "printing")
    return run(d.Printed(ok=False, ticket="U004", payload="H1:T1:U004", case_id=3))


def test_print_failure_screen_outlasts_the_idle_reset_and_start_over(ctx):
    run = _failed(ctx)
    for t in (0, 100, 10_000, 100_000):
        run(d.Tick(float(t)))
    assert run.screen == "print_failed" and run.model.qr == "H1:T1:U004"
    run(d.Command("start_over"))
    assert run.screen == "print_failed" and "U004" in run.said()
    assert run.model.option("continue") is None  # the resident cannot dismiss it


def test_call_staff_from_print_failure_keeps_the_qr_and_ticket(ctx):
    run = _failed(ctx)(d.Press("command_call_staff"))
    assert run.screen == "staff"
    assert run.model.qr == "H1:T1:U004" and run.model.big == "U004"
    assert "quét mã" in run.model.prompt
    for t in (0, 10_000):
        run(d.Tick(float(t)))
    assert run.screen == "staff"
    run(d.Command("help"))
    run(d.Tick(0.0), d.Tick(10_000.0))
    assert run.screen == "help"
    run(d.Command("back"), d.Command("back"))
    assert run.screen == "print_failed"


def test_staff_dismiss_the_print_failure_with_their_code():
    from dataclasses import replace

    ctx = replace(make_ctx(), check_staff_code=lambda code: code == "2468")
    run = _failed(ctx)
    run.state = replace(run.state, ctx=ctx)
    run.choose("staff_dismiss")
    assert run.screen == "staff_code"
    assert all(o.number is None for o in run.model.options)
    run(d.Focus(1), d.Focus(2), d.Activate())
    assert run.screen == "staff_code" and "chưa đúng" in run.said()
    assert run.model.lines == ("Mã: —", "Mã chưa đúng. Xin nhập lại.")
    assert run.of(d.JournalEvent)[0].kind == "staff_code_refused"
    run(d.Focus(2), d.Press("digit:4"), d.Choose(6), d.Focus(8))
    assert run.model.lines == ("Mã: ●●●●",)
    run(d.Activate())
    assert run.screen == "attract"
    assert d.JournalEvent("print_failure_dismissed", "case 3") in run.of(d.JournalEvent)


def test_after_too_many_wrong_codes_the_terminal_checks_none_for_a_while():
    """The real guard (terminal.wiring.StaffCodeGuard) on a fake clock, through the dialogue:
    five wrong codes lock the PIN for a minute, when even the right code is not checked and
    the screen says how long to wait; then the right code dismisses the failure."""
    from dataclasses import replace

    from terminal.wiring import StaffCodeGuard

    now = [1000.0]
    guard = StaffCodeGuard(lambda code: code == "2468", clock=lambda: now[0])
    ctx = replace(make_ctx(), check_staff_code=guard, staff_code_wait=guard.wait)
    run = _failed(ctx)
    run.state = replace(run.state, ctx=ctx)
    run.choose("staff_dismiss")
    locked = "Nhập sai nhiều lần. Xin chờ 1 phút rồi nhập lại."
    for _ in range(4):
        run(d.Focus(1), d.Activate())
        assert "Mã chưa đúng. Xin nhập lại." in run.said()
        assert "Mã chưa đúng. Xin nhập lại." in run.model.lines
    run(d.Focus(1), d.Activate())  # the fifth wrong code locks: said so at once, not "again"
    assert locked in run.said() and "chưa đúng" not in run.said()
    assert locked in run.model.lines
    assert d.JournalEvent("staff_code_locked", "60 s") in run.of(d.JournalEvent)
    run(d.Focus(2), d.Focus(4), d.Focus(6), d.Focus(8), d.Activate())
    assert run.screen == "staff_code"
    assert locked in run.said() and locked in run.model.lines
    assert run.of(d.JournalEvent) == [d.JournalEvent("staff_code_locked", "60 s")]
    now[0] += 61
    run(d.Focus(2), d.Focus(4), d.Focus(6), d.Focus(8), d.Activate())
    assert run.screen == "attract"


def test_the_staff_code_guard_doubles_its_lock_and_a_right_code_starts_again():
    from terminal.wiring import StaffCodeGuard

    now = [0.0]
    guard = StaffCodeGuard(lambda code: code == "2468", clock=lambda: now[0])
    assert [guard("1") for _ in range(4)] == [False] * 4 and guard.wait() == 0
    assert not guard("1") and guard.wait() == 60  # the fifth wrong code locks a minute
    assert not guard("2468")  # locked: not even the right code
    now[0] += 60
    assert not guard("1") and guard.wait() == 120  # the next wrong one: twice as long
    now[0] += 120
    assert guard("2468") and guard.wait() == 0
    assert not guard("1") and guard.wait() == 0  # counting starts again
    now[0] += 10_000
    for _ in range(20):
        guard("1")
        now[0] += guard.wait()
    assert StaffCodeGuard(lambda code: False, clock=lambda: 0.0).wait() == 0
    guard("1")
    assert guard.wait() == 3600  # never more than an hour


def test_the_desk_taking_the_case_closes_the_print_failure(ctx):
    run = _failed(ctx)(d.Press("command_call_staff"))
    run(d.CaseClosed(99))
    assert run.screen == "staff"
    run(d.CaseClosed(3))
    assert run.screen == "thanks" and "U004" in run.model.prompt


def test_the_attract_cue_is_soft_at_most_once_a_minute_and_only_in_its_hours():
    ctx = make_ctx(attract_cue_seconds=60, attract_cue_hours="07:00-17:00")
    run = Run(ctx)
    run(d.Tick(100.0, minute=8 * 60))
    assert "Bấm phím bất kỳ" in run.said()
    assert run.of(d.ApplySettings)[0].settings.volume_step == 1
    run(d.Tick(130.0, minute=8 * 60))
    assert not run.of(d.Say)  # not again within a minute
    run(d.Tick(161.0, minute=8 * 60 + 1))
    assert "Bấm phím bất kỳ" in run.said()
    run(d.Tick(1000.0, minute=22 * 60))
    assert not run.of(d.Say)  # quiet hours
    run(d.Tick(2000.0, minute=9 * 60, busy=True))
    assert not run.of(d.Say)  # never over other speech
    run(d.Activate())
    assert run.of(d.ApplySettings)[0].settings == ctx.defaults  # a visit: normal volume


def test_the_attract_cue_can_be_turned_off():
    run = Run(make_ctx(attract_cue_seconds=0))
    run(d.Tick(100.0, minute=8 * 60), d.Tick(1000.0, minute=9 * 60))
    assert not run.of(d.Say, last=False)


def test_typing_counts_as_activity_and_changes_nothing_else(ctx):
    run = Run(make_ctx(idle_warning_seconds=5, idle_reset_seconds=5))
    run(d.Activate(), d.Choose(1), d.Press("more"), d.Press("type"))
    assert run.screen == "type"
    for t in range(0, 60, 3):  # a slow typist: a key every 3 s for a minute
        run(d.Tick(float(t)), d.Typing())
        assert not run.of(d.Show) and not run.of(d.Say)
    run(d.Tick(60.0))
    assert run.screen == "type" and not run.state.idle.warned


def test_the_page_position_is_shown_under_a_paged_list(ctx):
    run = Run(ctx)(d.Activate(), d.Choose(1))
    assert run.model.page_label == "Trang 1 trên 2"
    run.choose("more")
    assert run.model.page_label == "Trang 2 trên 2"
    assert build_screen(state_on(ctx, "priority")).page_label == ""


@pytest.mark.parametrize("screen", ["printed", "print_failed", "survey", "thanks"])
def test_back_after_printing_says_the_screen_again_not_that_this_is_the_first_step(ctx, screen):
    run = Run(ctx)
    run.state = state_on(ctx, screen)
    run(d.Command("back"))
    assert run.screen == screen
    assert "bước đầu" not in run.said() and run.said()


# -- papers any one of several things will do for ------------------------------------------------


def _to_identity_paper(ctx) -> Run:
    run = to_procedure(Run(ctx)).choose("continue")
    run.choose("button_yes").choose("alt:0")  # the form; the birth paper: giấy chứng sinh
    assert run.state.visit.paper == 2
    return run


def test_a_paper_with_alternatives_is_asked_once_which_one_she_has(ctx):
    run = _to_identity_paper(ctx)
    identity = ctx.procedures[BIRTH].papers[2]
    assert identity.short == "Giấy tờ tùy thân"
    assert run.model.title == "Giấy tờ tùy thân: ông/bà có thứ nào dưới đây?"
    labels = [o.label for o in run.model.options]
    assert labels[:5] == [
        "Căn cước",
        "Tài khoản VNeID mức 2",
        "Hộ chiếu",
        "Số định danh cá nhân",
        "Chưa có thứ nào",
    ]
    keys = [o.key for o in run.model.options]
    assert keys == ["alt:0", "alt:1", "alt:2", "alt:3", "button_no", "details"]
    run.choose("alt:1")
    v = run.state.visit
    assert v.paper == 3 and v.have[2] is True and v.which[2] == 1


def test_a_resident_without_the_card_hears_that_vneid_or_her_number_will_do(ctx):
    run = _to_identity_paper(ctx)
    said = run.said()
    assert "Giấy tờ tùy thân: một thứ là đủ. Ông bà có thứ nào?" in said
    assert "2 Tài khoản VNeID mức 2" in said and "4 Số định danh cá nhân" in said
    # more about the paper, on request: what to do without the card
    run.choose("details")
    assert "Không có căn cước thì dùng tài khoản VNeID mức 2" in run.said()
    assert "đọc số định danh cá nhân" in run.said()
    # and she can answer with the number, by voice too
    assert "số định danh cá nhân" in run.model.option("alt:3").say
    run(d.Heard("alt:3"))  # a fact heard by voice is repeated back first (issue 17)
    assert run.state.visit.pending == "alt:3" and run.state.visit.have[2] is None
    run(d.Heard("answer_right"))
    assert run.state.visit.which[2] == 3 and run.state.visit.have[2] is True


def test_none_of_the_alternatives_says_where_to_get_one(ctx):
    run = _to_identity_paper(ctx)
    run.choose("button_no")
    v = run.state.visit
    assert v.stage == "where" and v.have[2] is False and v.which[2] is None
    assert ctx.procedures[BIRTH].papers[2].where_to_get in run.said()


def test_the_alternative_she_has_goes_into_the_case(ctx):
    run = _to_identity_paper(ctx).choose("alt:1")
    walk_papers(run, answer="button_no")
    run.choose("prio:none").choose("done").choose("deliver:centre").choose("button_yes")
    draft = run.of(d.PrintCase)[0].draft
    assert draft.chosen == {(1, 0), (2, 1)}
    assert draft.have[1] and draft.have[2]


def test_walking_the_checklist_again_forgets_the_alternatives(ctx):
    run = _to_identity_paper(ctx).choose("alt:1")
    walk_papers(run, answer="button_no")
    run.choose("prio:none").choose("done").choose("deliver:centre").choose("button_no")
    assert run.state.visit.which == (None,) * len(ctx.procedures[BIRTH].papers)


@pytest.mark.parametrize("between", [d.ReadOn(2, 2), d.Typing()], ids=str)
def test_reading_on_or_typing_answers_nothing_and_the_run_goes_on(voice_ctx, between):
    run = Run(voice_ctx)(d.Activate(), d.Choose(1), d.Unclear(), between, d.Unclear())
    assert run.said().startswith(AGAIN)
