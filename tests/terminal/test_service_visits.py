"""Every reason a resident comes (issue 18) in the pure dialogue: "Việc khác", a service in plain
words ending in a ticket, the "handed in already?" question, feedback with its optional call
back (consent first, the number typed, read back digit by digit, never spoken whole)."""

from __future__ import annotations

import pytest

from cases.case import FEEDBACK_TOPICS
from terminal import dialogue as d
from terminal.screens import build_screen, group_digits
from tests.terminal.conftest import BIRTH, PHONE, Run, state_on


def home(ctx) -> Run:
    return Run(ctx)(d.Activate()).choose("lang:vi")


def spoken_items(effects) -> list[str]:
    return [text for e in effects if isinstance(e, d.Say) for _, text in e.items]


def test_the_first_screen_offers_other_help_with_its_hints(ctx):
    run = home(ctx)
    opt = run.model.option("services")  # on the first page, as its last item
    assert opt is not None and opt.number == 6 and run.model.page == (1, 2)
    assert opt.label.startswith("Việc khác\nnhận kết quả, VNeID")
    run.choose("services")
    assert run.screen == "services"
    keys = [o.key for o in run.model.options if o.key.startswith("svc:")]
    # the most asked for first (no journal counts yet: the curated order), six a page
    assert keys[:3] == ["svc:pick_up_result", "svc:vneid_help", "svc:late_result"]
    assert run.model.page == (1, 2)


def test_other_help_is_reachable_by_voice_from_the_first_page(voice_ctx):
    run = Run(voice_ctx)(d.Activate()).choose("lang:vi")
    grammar = dict(run.of(d.Listen)[-1].choices)
    assert "việc khác" in grammar["services"]
    assert "kích hoạt vneid" in grammar["svc:vneid_help"]
    run(d.Heard("services"))
    assert run.screen == "services"


def test_help_me_activate_vneid_ends_in_a_ticket_without_a_checklist(ctx):
    run = home(ctx)(d.Text("giúp tôi kích hoạt vneid"))
    assert run.screen == "service" and run.state.visit.service == "vneid_help"
    m = run.model
    assert m.title == "Hỗ trợ tài khoản VNeID"
    assert any("công an xã" in line for line in m.lines)  # no account yet: the commune police
    assert "Mang theo: Thẻ căn cước; Điện thoại thông minh" in "\n".join(m.lines)
    assert "Nơi phục vụ: Quầy Hỗ trợ dịch vụ công trực tuyến" in m.lines
    said = run.said()
    assert "Mang theo: Thẻ căn cước" in said and "Quầy Hỗ trợ dịch vụ công trực tuyến" in said
    assert "Bấm 1 Lấy số thứ tự." in said
    run.choose("continue")
    assert run.screen == "priority"
    run.choose("prio:elderly")
    assert run.screen == "printing"
    (job,) = run.of(d.PrintCase)
    assert job.draft == d.CaseDraft(
        code="", have=(), priority="elderly", needs=frozenset(), delivery="centre", lang="vi",
        service="vneid_help",
    )
    run(d.Printed(ok=True, ticket="U-101", payload="H1-T1-U101-VN-0-10C-X", case_id=7,
                  slip=(("Hỗ trợ VNeID", "Hỗ trợ VNeID"), ("Thẻ căn cước", "Thẻ căn cước."),
                        ("Đến: Quầy Hỗ trợ", "Ông bà đến quầy hỗ trợ.")),
                  slip_kinds=("heading", "bring", "service")))
    assert run.screen == "printed"
    said = run.said()  # like a procedure's slip: what matters first, the whole slip on request
    assert "Thẻ căn cước." in said and "Ông bà đến quầy hỗ trợ." in said
    assert "Hỗ trợ VNeID" not in said
    run.choose("continue")
    assert run.screen == "survey"


def test_an_ask_among_services_offers_them(ctx):
    run = home(ctx)(d.Text("quên mật khẩu"))
    assert run.screen == "ask"
    assert [o.key for o in run.model.options] == ["svc:vneid_help", "svc:submit_online", "other"]
    run.choose("svc:submit_online")
    assert run.screen == "service" and run.state.visit.service == "submit_online"


@pytest.mark.parametrize("text", ["giấy hẹn", "kết quả chưa có"])  # the procedure first, or not
def test_a_request_about_a_result_asks_whether_the_papers_were_handed_in(ctx, text):
    run = home(ctx)(d.Text(text))
    assert run.screen == "ask"
    m = run.model
    assert m.title == "Ông/bà đã nộp hồ sơ đăng ký khai sinh chưa?"
    answers = [o.label for o in m.options if o.key.startswith("answer:")]
    assert answers == ["Chưa nộp, tôi muốn làm đăng ký khai sinh", "Đã nộp, tôi đến nhận kết quả",
                       "Đã nộp, quá hẹn mà chưa có kết quả"]
    assert "Ông bà đã nộp hồ sơ đăng ký khai sinh chưa?" in run.said()  # "ông bà" aloud
    for number, screen, target in ((1, "procedure", BIRTH), (2, "service", "pick_up_result"),
                                   (3, "service", "late_result")):
        again = home(ctx)(d.Text(text), d.Choose(number))
        assert again.screen == screen
        assert target in (again.state.visit.code, again.state.visit.service)


def test_feedback_without_a_call_back_keeps_only_its_topic(ctx):
    run = home(ctx)(d.Text("tôi muốn góp ý"))
    assert run.screen == "service" and run.state.visit.service == "feedback"
    assert "Bấm 1 Góp ý." in run.said()
    run.choose("continue")
    assert run.screen == "feedback"
    assert [o.key for o in run.model.options] == [f"fb:{t}" for t in FEEDBACK_TOPICS]
    assert "không ghi tên" in run.said()
    run.choose("fb:staff_attitude")
    assert run.screen == "callback"
    run.choose("button_no")
    assert run.screen == "priority"
    run.choose("prio:none")
    (job,) = run.of(d.PrintCase)
    assert (job.draft.service, job.draft.topic, job.draft.phone) == (
        "feedback", "staff_attitude", "")


def to_phone(ctx) -> Run:
    run = home(ctx)(d.Text("tôi muốn góp ý"))
    run.choose("continue").choose("fb:wrong_data").choose("button_yes")
    return run


def test_the_consent_is_shown_and_spoken_before_any_digit_is_typed(ctx):
    run = to_phone(ctx)
    assert run.screen == "consent"
    lines = "\n".join(run.model.lines)
    assert "chỉ ghi số điện thoại để cán bộ gọi lại" in lines
    assert "không in ra giấy, không có trong mã QR" in lines and "số bị xoá" in lines
    said = run.said()
    assert "không in ra giấy" in said and "Ông bà có đồng ý không?" in said
    run.choose("button_no")  # no consent: no number, no call back
    assert run.screen == "priority" and not run.state.visit.call_back


def test_the_number_is_typed_said_digit_by_digit_read_back_and_kept_only_for_the_case(ctx):
    run = to_phone(ctx).choose("button_yes")
    assert run.screen == "phone"
    assert {o.key for o in run.model.options} >= {f"digit:{n}" for n in range(10)}
    run(d.Choose(0), d.Press("digit:9"), d.Focus(1), d.Choose(7))
    assert run.state.visit.phone == "0917"
    assert run.said() == "7"  # the digit just typed, alone
    run(d.Command("back"))  # Back deletes the last digit while there is one
    assert run.screen == "phone" and run.state.visit.phone == "091"
    assert run.said() == "Đã xoá số cuối."
    run(d.Activate())  # too short: said why, nothing lost
    assert run.screen == "phone" and run.state.visit.phone == "091"
    assert "10 hoặc 11 số" in run.said()
    run(*(d.Choose(int(n)) for n in PHONE[3:]))
    run(d.Choose(5))  # a twelfth digit is not taken
    assert run.state.visit.phone == PHONE[:10] + "5"
    run(d.Press("phone_delete"))
    assert run.state.visit.phone == PHONE
    assert f"Số đã bấm: {group_digits(PHONE)}" in run.model.lines
    run(d.Press("phone_ok"))
    assert run.screen == "phone_check"
    assert run.model.lines == (group_digits(PHONE),)
    said = [t for e in run.of(d.Say) for _, t in e.items]
    assert said[0] == "Số điện thoại ông bà vừa bấm là"
    assert said[1:11] == list(PHONE)  # read back one digit an item
    run.choose("button_no")  # not right: typed again, from nothing
    assert run.screen == "phone" and run.state.visit.phone == ""
    assert all(v.phone == "" for v in run.state.history)
    run(d.Text(PHONE), d.Activate()).choose("button_yes")  # text mode types a whole line
    assert run.screen == "priority"
    run.choose("prio:elderly")
    (job,) = run.of(d.PrintCase)
    assert (job.draft.topic, job.draft.phone) == ("wrong_data", PHONE)
    assert run.state.visit.phone == "" and run.state.history == ()
    # never said, shown in a journal event, or listened for as one text
    for effect in run.effects:
        if isinstance(effect, d.Say):
            assert all(PHONE not in t and group_digits(PHONE) not in t for _, t in effect.items)
        if isinstance(effect, d.JournalEvent):
            assert PHONE not in effect.detail
        if isinstance(effect, d.Listen):
            assert not any(PHONE in p for _, phrases in effect.choices for p in phrases)


def test_the_number_is_wiped_when_the_visit_ends_or_starts_over(ctx):
    run = to_phone(ctx).choose("button_yes")(d.Text(PHONE))
    assert run.state.visit.phone == PHONE
    run(d.Command("start_over"))
    assert run.screen == "home"
    assert all(v.phone == "" for v in (run.state.visit, *run.state.history))
    run = to_phone(ctx).choose("button_yes")(d.Text(PHONE))
    new, _ = d.reset_state(run.state)
    assert new.visit.phone == "" and new.history == ()


def test_a_topic_and_the_consent_heard_by_voice_are_repeated_back_first(voice_ctx):
    run = Run(voice_ctx)(d.Activate()).choose("lang:vi")(d.Heard("svc:feedback"))
    run.choose("continue")(d.Heard("fb:waiting"))
    assert run.screen == "feedback" and run.state.visit.pending == "fb:waiting"
    assert "Chờ quá lâu" in run.said()
    run(d.Heard("answer_right"))
    assert run.screen == "callback"
    run(d.Heard("button_yes"))
    assert run.state.visit.pending == "button_yes"
    run(d.Heard("answer_right"))
    assert run.screen == "consent"
    run(d.Heard("button_yes"))
    assert run.screen == "consent" and run.state.visit.pending == "button_yes"
    run(d.Heard("answer_right"))
    assert run.screen == "phone"
    grammar = dict(run.of(d.Listen)[-1].choices)
    assert not any(key.startswith("digit:") for key in grammar)  # digits only by key


def test_the_phone_screen_says_nothing_of_an_earlier_number_as_one_text(ctx):
    state = state_on(ctx, "phone_check")
    model = build_screen(state)
    assert model.lines_spoken == ("",)  # a part coming into view never reads it whole
    assert all(PHONE not in t for _, t in model.speech)
