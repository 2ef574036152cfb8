"""The session runtime with fake ports: ordering of journal and printer, voice turns, keypad."""

from __future__ import annotations

from terminal import dialogue as d
from terminal.keypad import event_for_key
from terminal.ports import (
    FakeClock,
    FakeJournal,
    FakeListener,
    FakePrinter,
    FakeSpeaker,
    Heard,
    fake_encode,
)
from terminal.session import Ports, Session
from tests.terminal.conftest import BIRTH, make_ctx


def make(ctx, printer_ok=True, journal_fail=False, listener=None):
    journal = FakeJournal(fail=journal_fail)
    printer = FakePrinter(ok=printer_ok, log=journal.log)
    speaker = FakeSpeaker()
    ports = Ports(speaker, journal, printer, FakeClock(), fake_encode, listener)
    shown = []
    s = Session(ctx, ports, terminal_id="T1", on_screen=shown.append)
    s.start()
    return s, ports, shown


def keys(session, *names):
    for name in names:
        ev = event_for_key(name)
        assert ev is not None, name
        session.handle(ev)


def press_number(session, n):
    keys(session, f"numpad{n}")  # a digit chooses at once


def option_number(session, key):
    opt = session.screen.option(key)
    assert opt is not None, (key, [o.key for o in session.screen.all_options])
    return opt.number


def test_whole_visit_by_keypad_alone(ctx):
    s, ports, shown = make(ctx)
    keys(s, "numpad5")  # any key wakes the terminal
    assert s.screen.name == "language"
    press_number(s, 1)
    press_number(s, option_number(s, "group:ho_tich"))
    while s.screen.option(f"proc:{BIRTH}") is None:
        press_number(s, option_number(s, "more"))
    press_number(s, option_number(s, f"proc:{BIRTH}"))
    press_number(s, 1)  # see the papers
    while s.screen.name == "paper":
        press_number(s, 1 if s.state.visit.stage == "where" else 2)
    press_number(s, option_number(s, "prio:pregnant"))
    press_number(s, option_number(s, "need:low_vision"))
    press_number(s, option_number(s, "done"))
    press_number(s, option_number(s, "deliver:centre"))
    assert s.screen.name == "confirm"
    press_number(s, 1)
    assert s.screen.name == "printed"
    case = ports.printer.printed[0][0]
    assert case.ticket.label == "U-001"
    assert case.priority.value == "pregnant"
    assert [n.value for n in case.needs] == ["low_vision"]
    press_number(s, option_number(s, "continue"))
    press_number(s, option_number(s, "sat:satisfied"))
    assert s.screen.name == "thanks"
    press_number(s, 1)
    assert s.screen.name == "attract"
    assert ("record_satisfaction", 1, "satisfied") in ports.journal.log


def test_keypad_volume_rate_help_and_back_keys(ctx):
    s, ports, _ = make(ctx)
    keys(s, "enter", "numpad1", "numpadenter")
    rate, volume = s.state.settings.rate_step, s.state.settings.volume_step
    keys(s, "numpadadd", "numpadmul")
    assert (s.state.settings.rate_step, s.state.settings.volume_step) == (rate + 1, volume + 1)
    assert ports.speaker.settings[-1] == ("vi", rate + 1, volume + 1)
    keys(s, "numpadsubstract", "numpaddivide")
    assert (s.state.settings.rate_step, s.state.settings.volume_step) == (rate, volume)
    keys(s, "numpad0", "numpadenter")
    assert s.screen.name == "help"
    keys(s, "numpaddecimal")
    assert s.screen.name == "home"
    keys(s, "numpad9", "numpadenter")
    assert s.screen.name == "staff"
    assert ("record_event", "call_staff", "home") in ports.journal.log


def _say_to(session, listener, phrase):
    """Speech ends, the terminal listens, the resident says ``phrase``."""
    session.ports.speaker.finish()
    session.speech_finished()
    grammar = listener.grammars[-1]
    intent = next((i for i, phrases in grammar if phrase in phrases), None)
    assert intent is not None, (phrase, grammar)
    listener.hear(Heard("heard", intent, phrase))


def test_whole_visit_by_voice_alone(voice_ctx):
    """Every answer that records a fact is repeated back and taken on "đúng"."""
    listener = FakeListener()
    s, ports, _ = make(voice_ctx, listener=listener)
    s.handle(d.Activate())  # the first touch or key (or a staff member) wakes the terminal
    for phrase in ("tiếng việt", "làm giấy khai sinh"):
        _say_to(s, listener, phrase)
    assert s.screen.name == "procedure"
    _say_to(s, listener, "xem giấy tờ")
    checks = 0

    def answer(phrase: str) -> None:
        nonlocal checks
        _say_to(s, listener, phrase)
        if s.state.visit.pending is not None:
            checks += 1
            _say_to(s, listener, "đúng")
            assert s.state.visit.pending is None

    while s.screen.name == "paper":
        stage = s.state.visit.stage
        answer({"when": "không", "have": "có rồi", "where": "tiếp tục"}[stage])
    for phrase in ("người cao tuổi", "nghe kém", "xong", "trung tâm", "đúng rồi"):
        answer(phrase)
    assert checks >= 5  # papers, priority, needs, delivery
    assert s.screen.name == "printed"
    assert ports.printer.printed[0][0].priority.value == "elderly"
    for phrase in ("tiếp tục", "hài lòng", "kết thúc"):
        _say_to(s, listener, phrase)
    assert s.screen.name == "attract"


def test_voice_grammar_holds_choices_and_global_commands(voice_ctx):
    listener = FakeListener()
    s, ports, _ = make(voice_ctx, listener=listener)
    s.handle(d.Activate())
    ports.speaker.finish()
    s.speech_finished()
    intents = [i for i, _ in listener.grammars[-1]]
    assert {"lang:vi", "lang:en", "command_back", "command_help", "command_call_staff"} <= set(
        intents
    )


def test_terminal_listens_only_after_speaking(voice_ctx):
    listener = FakeListener()
    s, ports, _ = make(voice_ctx, listener=listener)
    s.handle(d.Activate())
    assert ports.speaker.speaking
    assert not listener.grammars
    ports.speaker.finish()
    s.speech_finished()
    assert listener.grammars


def test_unclear_voice_says_sorry_then_choices(voice_ctx):
    listener = FakeListener()
    s, ports, _ = make(voice_ctx, listener=listener)
    s.handle(d.Activate())
    ports.speaker.finish()
    s.speech_finished()
    listener.hear(Heard("unclear"))
    assert ports.speaker.last_text.startswith("Xin lỗi, tôi chưa nghe rõ.")
    assert "Bấm 1 Tiếng Việt" in ports.speaker.last_text


def test_silence_keeps_listening_on_the_same_screen(voice_ctx):
    listener = FakeListener()
    s, ports, _ = make(voice_ctx, listener=listener)
    s.handle(d.Activate())
    ports.speaker.finish()
    s.speech_finished()
    listener.hear(Heard("silence"))
    assert len(listener.grammars) == 2
    assert s.screen.name == "language"


def test_a_late_voice_result_from_an_old_screen_is_ignored(voice_ctx):
    listener = FakeListener()
    s, ports, _ = make(voice_ctx, listener=listener)
    s.handle(d.Activate())
    ports.speaker.finish()
    s.speech_finished()
    callback = listener.pending
    s.handle(d.Choose(1))  # touched meanwhile: now on home
    callback(Heard("heard", "lang:en", "english"))
    assert s.state.settings.lang == "vi"


def test_no_listener_means_no_listening(ctx):
    s, ports, _ = make(ctx, listener=None)
    s.handle(d.Activate())
    ports.speaker.finish()
    s.speech_finished()  # nothing to do, nothing breaks
    assert s.screen.name == "language"


def test_any_touch_or_key_stops_speech_at_once(ctx):
    s, ports, _ = make(ctx)
    s.handle(d.Activate())
    assert ports.speaker.speaking
    before = ports.speaker.stops
    s.handle(d.Focus(2))
    assert ports.speaker.stops > before


def _to_confirm(s):
    s.handle(d.Activate())
    s.handle(d.Choose(1))
    s.handle(d.Text("làm giấy khai sinh"))
    s.handle(d.Choose(1))
    while s.screen.name == "paper":
        s.handle(d.Choose(1 if s.state.visit.stage != "when" else 2))
    for key in ("prio:none", "done", "deliver:centre"):
        s.handle(d.Choose(s.screen.option(key).number))
    assert s.screen.name == "confirm"


def test_the_case_is_journaled_before_printing(ctx):
    s, ports, _ = make(ctx)
    _to_confirm(s)
    s.handle(d.Choose(1))
    kinds = [e[0] for e in ports.journal.log]
    assert kinds == ["record_case", "print", "record_print"]
    case, payload = ports.journal.log[0][1], ports.journal.log[0][2]
    assert payload == fake_encode(case)
    assert case.ticket.label == "A-001"
    assert ports.journal.log[2] == ("record_print", 1, True, None)


def test_the_slip_is_read_aloud_after_printing(ctx):
    s, ports, _ = make(ctx)
    _to_confirm(s)
    s.handle(d.Choose(1))
    said = ports.speaker.last_text
    assert said.startswith("Mời ông bà lấy phiếu ở khe máy in.")
    assert "A-001" in said
    s.handle(d.Choose(s.screen.option("hear_slip").number))
    said = ports.speaker.last_text
    assert "Số A-001" in said
    assert ctx.procedures[BIRTH].papers[0].short in said


def test_printer_failure_keeps_the_case_and_retries_the_same_ticket(ctx):
    s, ports, _ = make(ctx, printer_ok=False)
    _to_confirm(s)
    s.handle(d.Choose(1))
    assert s.screen.name == "print_failed"
    assert s.screen.qr == ports.journal.log[0][2]
    assert ("record_print", 1, False, "paper_out") in ports.journal.log
    ports.printer.ok = True
    s.handle(d.Choose(s.screen.option("retry").number))
    assert s.screen.name == "printed"
    assert [e[0] for e in ports.journal.log].count("record_case") == 1
    assert [c.ticket.label for c, _ in ports.printer.printed] == ["A-001", "A-001"]


def test_a_journal_failure_prints_nothing(ctx):
    s, ports, _ = make(ctx, journal_fail=True)
    _to_confirm(s)
    s.handle(d.Choose(1))
    assert s.screen.name == "error_journal"
    assert ports.printer.printed == []


def test_idle_reset_with_a_fake_clock_restores_speaker_defaults():
    ctx = make_ctx(idle_warning_seconds=5, idle_reset_seconds=5)
    s, ports, _ = make(ctx)
    s.handle(d.Activate())
    s.handle(d.Choose(2))
    s.handle(d.Command("faster"))
    ports.speaker.finish()
    clock = ports.clock
    s.tick()
    clock.advance(5)
    s.tick()
    assert s.screen.warning
    assert "Are you still there?" in ports.speaker.last_text
    ports.speaker.finish()
    s.tick()
    clock.advance(5)
    s.tick()
    assert s.screen.name == "attract"
    lang, rate, volume = ports.speaker.settings[-1]
    assert (lang, rate, volume) == ("vi", ctx.defaults.rate_step, ctx.defaults.volume_step)


def test_volume_and_rate_confirm_then_resume_the_prompt_where_it_was_cut(ctx):
    s, ports, _ = make(ctx)
    s.handle(d.Activate())
    s.handle(d.Choose(1))  # home: its prompt is being spoken
    prompt = ports.speaker.said[-1]
    keys(s, "numpadadd")
    said = ports.speaker.said[-1]
    assert said[0][1].startswith("Âm lượng")
    assert said[1:] == prompt  # a fake speaker never got past the first item
    keys(s, "numpadmul")
    said = ports.speaker.said[-1]
    assert said[0][1].startswith("Tốc độ") and said[1:] == prompt
    ports.speaker.finish()
    keys(s, "numpadsubtract")  # nothing was playing: the level only
    assert len(ports.speaker.said[-1]) == 1


def _to_referral(s):
    s.handle(d.Activate())
    s.handle(d.Choose(1))
    s.handle(d.Text("làm hộ chiếu"))
    assert s.screen.name == "none" and s.screen.option("print_referral") is not None


def test_the_referral_is_printed_through_the_printer_port_and_journaled(ctx):
    s, ports, _ = make(ctx)
    _to_referral(s)
    s.handle(d.Choose(option_number(s, "print_referral")))
    heading, lines = ports.printer.notes[-1]
    assert heading == "Hộ chiếu"
    assert any("Công an tỉnh" in text for text, _ in lines)
    assert ("record_event", "referral_print", "passport ok") in ports.journal.log
    assert "Đã in xong" in ports.speaker.last_text
    assert not [e for e in ports.journal.log if e[0] == "record_case"]  # no case, no ticket


def test_a_failed_referral_print_says_so_and_keeps_staff_on_offer(ctx):
    s, ports, _ = make(ctx, printer_ok=False)
    _to_referral(s)
    s.handle(d.Choose(option_number(s, "print_referral")))
    assert "Máy in đang lỗi" in ports.speaker.last_text
    assert ("record_event", "referral_print", "passport paper_out") in ports.journal.log
    assert s.screen.name == "none" and s.screen.option("staff") is not None
