"""Three civil-status visits read and print correctly, papers with alternatives included.

Starts the real catalogue and phrase packs, the terminal session (pure dialogue), the SQLite
journal, the codec with a real centre key and the PNG printer (the slip drawn with Pillow);
speech goes to the fake speaker and is read through the real speech reader (voices.reading).
"""

from __future__ import annotations

import re

import pytest

from cases.codec import decode
from cases.journal import Journal
from cases.keys import load_key
from procedures.catalogue import load_catalogue
from procedures.model import Need
from terminal import dialogue as d
from terminal.config import parse_config
from terminal.ports import FakeClock, FakeSpeaker
from terminal.session import Ports, Session
from terminal.wiring import SlipPrinter, build_context, make_encoder
from voices.reading import speakable

LAI_KHAI_SINH = "1.004884"
KHAI_TU = "1.000656"
KET_HON = "1.000894"


def _visit(tmp_path, code: str):
    """Walk one visit: every "only when" case applies, papers with alternatives are had through
    the last one (the ID number read out), ordinary papers alternate had / missing."""
    config = parse_config({"printer": {"uri": f"png:{tmp_path / 'slips'}"}})
    journal = Journal(config.journal_path)
    speaker = FakeSpeaker()
    ports = Ports(speaker, journal, SlipPrinter(config), FakeClock(), make_encoder(config))
    session = Session(build_context(config), ports)
    session.start()
    session.handle(d.Activate())
    session.handle(d.Press("lang:vi"))
    session.handle(d.Heard(f"proc:{code}"))
    session.handle(d.Press("continue"))
    questions: list[str] = []
    while session.screen.name == "paper":
        v = session.state.visit
        if v.stage == "have":
            questions.append(session.screen.title)
        if v.stage == "when":
            key = "button_yes"
        elif v.stage == "where":
            key = "next"
        elif session.screen.option("button_yes") is None:
            key = [o.key for o in session.screen.options if o.key.startswith("alt:")][-1]
        else:
            key = "button_yes" if v.paper % 2 == 0 else "button_no"
        session.handle(d.Press(key))
    for key in ("prio:elderly", "done", "deliver:centre", "button_yes"):
        session.handle(d.Press(key))
    assert session.screen.name == "printed", session.screen.name
    session.handle(d.Press("hear_slip"))  # the whole slip read aloud, on request
    said = [text for batch in speaker.said for _, text in batch]
    return config, journal, session, questions, said


@pytest.mark.real
@pytest.mark.parametrize("code", [LAI_KHAI_SINH, KHAI_TU, KET_HON])
def test_a_civil_status_visit_reads_and_prints_correctly(tmp_path, code):
    procedure = load_catalogue().get(code)
    config, journal, session, questions, said = _visit(tmp_path, code)
    try:
        # every paper was asked about, in words that read right
        expected = []
        for paper in procedure.papers:
            if paper.alternatives:
                expected.append(f"{paper.short}: ông/bà có thứ nào dưới đây?")
            else:
                expected.append(f"Ông/bà đã có {paper.in_sentence} chưa?")
        assert questions == expected
        for title in questions:
            assert not re.search(r"có (Đã|Chưa|Nếu|Chỉ) ", title), title
        # what was said reads as Vietnamese: numbers in words, no English "photo", dates with mùng
        for text in said:
            spoken = speakable(text)
            assert not re.search(r"\d", spoken), spoken
            assert "photo" not in spoken.lower()
        # a resident without the card heard that VNeID or her ID number will do
        assert any(
            "tài khoản vneid mức 2" in t.lower() and "số định danh cá nhân" in t.lower()
            for t in said
        )
        # the journal holds the case with the alternative she has; the QR payload carries it
        payload = session.state.visit.payload
        row = journal.case_by_payload(payload)
        assert row is not None and row.procedure_code == code
        identity = next(i for i, p in enumerate(procedure.papers) if p.id == "giay-to-tuy-than")
        last = len(procedure.papers[identity].alternatives) - 1
        assert row.chosen_for(identity) == last
        case = decode(payload, load_key(config.key_path), load_catalogue())
        assert case.chosen_for(identity) == last
        # the slip: printed as a PNG, and its lines say which one and what is missing
        assert list((tmp_path / "slips").glob("*.png"))
        slip = [text for text, _ in session.state.visit.slip]
        assert "Đã có: Giấy tờ tùy thân (số định danh cá nhân)" in slip
        for i, paper in enumerate(procedure.papers):
            if not case.have[i] and paper.need is Need.ALWAYS:
                at = slip.index(f"CÒN THIẾU: {paper.short}")
                assert any(t.startswith("Cách lấy: ") for t in slip[at + 1 : at + 4])
        text = " ".join(slip)
        assert "Đã ghi chú" not in text
        assert "Mang bản chính đến chứng thực bản sao" not in text
        spoken_slip = [spoken for _, spoken in session.state.visit.slip]
        assert spoken_slip and all(s in said for s in spoken_slip)
    finally:
        journal.close()


@pytest.mark.real
def test_the_re_registration_does_not_ask_for_the_original_it_replaces(tmp_path):
    procedure = load_catalogue().get(LAI_KHAI_SINH)
    old = next(p for p in procedure.papers if p.short == "Bản sao giấy khai sinh cũ")
    assert "bản chính" not in old.where_to_get.lower()
    assert "căn cước hoặc hộ chiếu" in old.where_to_get


@pytest.mark.real
def test_death_registration_asks_for_the_last_address_only_if_staff_cannot_find_it(tmp_path):
    procedure = load_catalogue().get(KHAI_TU)
    home = next(p for p in procedure.papers if p.id == "giay-to-ve-noi-o-cua-nguoi-mat")
    assert home.need is Need.ON_REQUEST
    _, journal, session, questions, _ = _visit(tmp_path, KHAI_TU)
    try:
        slip = [text for text, _ in session.state.visit.slip]
        assert f"Ông/bà đã có {home.in_sentence} chưa?" in questions
        index = procedure.papers.index(home)
        assert index % 2 == 1 and session.state.visit.have[index] is False  # answered "no"
        at = slip.index(f"Nếu cần: {home.short}")
        assert slip[at + 1] == home.when
    finally:
        journal.close()
