"""The short slip of a visit for one of the centre's services (issue 18): ticket, service, what
to bring, which counter, the QR code; no checklist; for feedback its topic and, when asked, that
an officer will call back (never the number). Rendered for real (Pillow, 1-bit) and read back."""

from __future__ import annotations

from datetime import datetime

import pytest
import zxingcpp

from cases.case import Case, Ticket
from cases.codec import decode, encode
from printer.render import MARGIN, render_slip
from printer.slip import build_service_slip
from procedures.catalogue import load_catalogue
from tests.printer.helpers import CENTRE, KEY, PHONE

CATALOGUE = load_catalogue()


def case_for(service: str, **changes) -> Case:
    values = dict(terminal_id="T1", ticket=Ticket(105, False), procedure_code="", have=(),
                  created=datetime(2026, 11, 23, 9, 41, 7), service=service)
    values.update(changes)
    return Case(**values)


def slip_for(case: Case):
    service = CATALOGUE.services[case.service]
    return build_service_slip(case, service, CENTRE, PHONE, encode(case, KEY, CATALOGUE))


def test_a_service_slip_says_what_to_bring_and_where_to_go_without_a_checklist():
    slip = slip_for(case_for("vneid_help"))
    kinds = [line.kind for line in slip.lines]
    assert kinds[:4] == ["title", "caption", "ticket", "heading"]
    assert slip.of_kind("heading")[0].text == "Hỗ trợ VNeID"
    assert slip.of_kind("ticket")[0].text == "A-105"
    assert [line.text for line in slip.of_kind("bring")] == list(
        CATALOGUE.services["vneid_help"].bring)
    said = slip.spoken
    assert "Ông bà đến Quầy Hỗ trợ dịch vụ công trực tuyến." in said
    assert "Ông bà mang theo." in said
    assert not slip.of_kind("have") and not slip.of_kind("missing")
    assert not any("Lệ phí" in line.text or "Giấy tờ cần mang" in line.text
                   for line in slip.lines)
    assert kinds[-1] == "qr" and slip.lines[-1].text == "Đưa phiếu này cho cán bộ"


def test_a_feedback_slip_names_its_topic_and_the_call_back_never_a_number():
    slip = slip_for(case_for("feedback", topic="waiting", call_back=True))
    service = [line.text for line in slip.of_kind("service")]
    assert service[:2] == ["Góp ý về: Chờ quá lâu", "Cán bộ sẽ gọi điện lại cho ông/bà."]
    quiet = slip_for(case_for("feedback", topic="suggestion"))
    assert "Cán bộ sẽ gọi điện lại cho ông/bà." not in [line.text for line in quiet.lines]


def test_the_slip_must_be_for_the_case_s_service():
    case = case_for("vneid_help")
    with pytest.raises(ValueError):
        build_service_slip(case, CATALOGUE.services["feedback"], CENTRE, PHONE, "X")


@pytest.mark.parametrize("width", [384, 576])
@pytest.mark.parametrize("service", sorted(CATALOGUE.services))
def test_every_service_slip_renders_within_the_paper_and_its_qr_code_reads(width, service):
    case = case_for(service, topic="other" if service == "feedback" else "")
    slip = slip_for(case)
    image = render_slip(slip, width)
    assert image.mode == "1" and image.width == width
    left, _, right, _ = image.convert("L").point(lambda v: 255 - v).getbbox()
    assert left >= MARGIN - 1 and right <= width - MARGIN + 1
    (code,) = zxingcpp.read_barcodes(image.convert("L"))
    assert decode(code.text, KEY, CATALOGUE) == case
