"""The real adapters behind the ports: VoiceOut, the slip printer, the codec, the journal."""

from __future__ import annotations

import time
from datetime import datetime

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
        have=(True, False, True, True, True, True),
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
    assert any("A012" in text for text, _ in report.lines)
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
    assert decoded.ticket.label == "A012"


def test_no_model_means_voice_input_off():
    assert find_model(Config()) is None
    wiring = build_ports(Config(), speech=False)
    try:
        assert wiring.listener is None
        assert any("voice input: off" in note for note in wiring.notes)
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
