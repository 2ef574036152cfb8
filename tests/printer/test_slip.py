"""The slip as pure data: what is printed and spoken, from the phrase pack and the catalogue."""

from __future__ import annotations

import unicodedata

import pytest

from cases.codec import encode
from printer.slip import KINDS, build_slip
from tests.printer.helpers import CENTRE, KEY, PHONE, birth_case
from voices.phrases import load_pack


def test_slip_starts_with_centre_ticket_and_procedure(slip, birth):
    kinds = [line.kind for line in slip.lines[:4]]
    assert kinds == ["title", "caption", "ticket", "heading"]
    assert slip.lines[0].text == CENTRE
    assert slip.lines[1].text == "Số ưu tiên"
    assert slip.of_kind("ticket")[0].text == "U-012"
    assert slip.of_kind("heading")[0].text == birth.short_name


def test_ordinary_ticket_has_the_ordinary_caption(birth):
    from cases.case import Ticket

    case = birth_case(birth, ticket=Ticket(7, False))
    slip = build_slip(case, birth, CENTRE, PHONE, encode(case, KEY))
    assert slip.of_kind("ticket")[0].text == "A-007"
    assert slip.of_kind("caption")[0].text == "Số thứ tự"


def test_papers_had_and_missing_are_marked_with_words(slip, birth, case):
    have = [line.text for line in slip.of_kind("have")]
    missing = [line.text for line in slip.of_kind("missing")]
    assert have == [f"Đã có: {birth.papers[i].short}" for i in (0, 2, 4, 5)]
    assert missing == [
        f"CÒN THIẾU: {birth.papers[1].short}",
        f"Nếu cần: {birth.papers[3].short}",
        f"Nếu cần: {birth.papers[6].short}",
    ]


def test_each_missing_paper_is_followed_by_where_to_get_it(slip, birth):
    texts = [line.text for line in slip.lines]
    for paper in (birth.papers[1], birth.papers[6]):
        i = next(i for i, t in enumerate(texts) if t.endswith(f": {paper.short}"))
        where = "Cách lấy: " + " ".join(paper.where_to_get.split())
        assert where in texts[i + 1 : i + 4]


def test_a_missing_paper_with_alternatives_prints_them_on_one_line(slip, birth):
    born = birth.papers[1]
    assert [a.name for a in born.alternatives] == [
        "Giấy chứng sinh",
        "Giấy chứng sinh điện tử",
        "Giấy của người làm chứng",
        "Giấy cam đoan về việc sinh",
    ]
    texts = [line.text for line in slip.lines]
    i = texts.index(f"CÒN THIẾU: {born.short}")
    assert texts[i + 1] == (
        "Một trong: Giấy chứng sinh, hoặc giấy chứng sinh điện tử, hoặc giấy của người làm "
        "chứng, hoặc giấy cam đoan về việc sinh"
    )
    assert slip.lines[i + 1].kind == "where"
    assert slip.lines[i + 1].spoken.startswith("Chỉ cần một trong các thứ: Giấy chứng sinh, hoặc")
    assert texts[i + 2].startswith("Cách lấy: ")


def test_a_paper_had_through_an_alternative_says_which(birth):
    vneid = next(k for k, a in enumerate(birth.papers[2].alternatives) if "VNeID" in a.name)
    case = birth_case(birth, chosen=frozenset({(2, vneid)}))
    slip = build_slip(case, birth, CENTRE, PHONE, encode(case, KEY))
    have = [line for line in slip.of_kind("have") if "tùy thân" in line.text]
    assert [line.text for line in have] == ["Đã có: Giấy tờ tùy thân (tài khoản VNeID mức 2)"]
    assert have[0].spoken == "Đã có: Giấy tờ tùy thân, là tài khoản VNeID mức 2."


def test_each_paper_line_names_the_papers_picture_and_no_other_line_has_one(slip, birth):
    papers = slip.of_kind("have") + slip.of_kind("missing")
    by_text = {line.text.split(": ", 1)[1]: line.icon for line in papers}
    assert {paper.short: paper.icon for paper in birth.papers} == by_text
    assert by_text["Tờ khai khai sinh"] == "paper/form"
    assert all(line.icon == "" for line in slip.lines if line not in papers)


def test_a_paper_had_through_an_alternative_shows_that_ones_picture(birth):
    vneid = next(k for k, a in enumerate(birth.papers[2].alternatives) if "VNeID" in a.name)
    case = birth_case(birth, chosen=frozenset({(2, vneid)}))
    slip = build_slip(case, birth, CENTRE, PHONE, encode(case, KEY))
    line = next(x for x in slip.of_kind("have") if "VNeID" in x.text)
    assert line.icon == "paper/vneid" != birth.papers[2].icon


def test_a_missing_paper_needed_only_sometimes_says_when(slip, birth):
    texts = [line.text for line in slip.lines]
    i = texts.index(f"Nếu cần: {birth.papers[3].short}")
    assert texts[i + 1] == birth.papers[3].when
    assert texts[i + 2].startswith("Cách lấy: ")


def test_fee_time_delivery_phone_and_date_are_printed(slip, birth):
    info = [line.text for line in slip.of_kind("info")]
    assert "Lệ phí: " + " ".join(birth.fee.split()) in info
    assert "Thời gian: " + " ".join(birth.time.split()) in info
    assert "Nhận kết quả tại Trung tâm." in info
    assert "Cần hỏi, gọi: 0221\u00a03868\u00a0123" in info
    assert "In lúc 09:41, ngày 23/11/2026" in info


def test_no_phone_means_no_phone_line(case, birth):
    slip = build_slip(case, birth, CENTRE, "  ", "P")
    assert not any("gọi" in line.text for line in slip.lines)


def test_all_papers_had_says_so(birth):
    case = birth_case(birth, have=(True,) * len(birth.papers))
    slip = build_slip(case, birth, CENTRE, PHONE, "P")
    assert not slip.of_kind("missing")
    assert "Ông/bà đã đủ giấy tờ." in [line.text for line in slip.lines]


def test_slip_ends_with_the_qr_code_carrying_the_payload(slip, case):
    assert slip.lines[-1].kind == "qr"
    assert slip.payload == encode(case, KEY)


def test_every_line_has_nfc_text_and_spoken_form_and_known_kind(slip):
    for line in slip.lines:
        assert line.kind in KINDS
        assert line.text and line.spoken
        assert unicodedata.is_normalized("NFC", line.text)
        assert unicodedata.is_normalized("NFC", line.spoken)
    assert len(slip.spoken) == len(slip.lines)


def test_spoken_form_reads_the_ticket_letter_and_number(slip):
    assert slip.of_kind("ticket")[0].spoken == "U-012."  # read "u, không một hai."
    assert slip.of_kind("caption")[0].spoken == "Số ưu tiên của ông bà là"


def test_english_slip_uses_the_english_pack(case, birth):
    slip = build_slip(case, birth, CENTRE, PHONE, "P", lang="en")
    assert slip.of_kind("caption")[0].text == "Your priority number"
    assert slip.of_kind("missing")[0].text.startswith("STILL NEEDED: ")


def test_case_and_procedure_must_agree_on_paper_count(birth):
    case = birth_case(birth, have=(True,))
    with pytest.raises(ValueError, match="papers"):
        build_slip(case, birth, CENTRE, PHONE, "P")


def test_slip_phrases_exist_in_both_languages_with_same_placeholders():
    vi, en = load_pack("vi"), load_pack("en")
    slip_ids = {i for i in vi.ids if i.startswith("slip_")}
    assert slip_ids == {i for i in en.ids if i.startswith("slip_")}
    for phrase_id in slip_ids:
        assert vi.placeholders_of(phrase_id) == en.placeholders_of(phrase_id), phrase_id


def test_phone_number_is_spoken_digit_by_digit(slip):
    line = next(line for line in slip.of_kind("info") if "gọi" in line.text)
    assert line.spoken == "Cần hỏi thêm, gọi số 0 2 2 1, 3 8 6 8, 1 2 3."


def test_a_paper_that_does_not_apply_is_left_off_the_slip(birth):
    have = tuple(i in (0, 1, 2) for i in range(len(birth.papers)))
    case = birth_case(birth, have=have, not_needed=frozenset(range(3, len(birth.papers))))
    texts = " ".join(line.text for line in build_slip(case, birth, CENTRE, PHONE, "P").lines)
    for paper in birth.papers[3:]:
        assert paper.short not in texts
    assert "Ông/bà đã đủ giấy tờ." in texts


def test_a_note_slip_has_no_ticket_and_no_qr_code():
    from datetime import datetime

    from printer.render import render_slip
    from printer.slip import build_note

    text = "Hộ chiếu do Công an tỉnh (phòng xuất nhập cảnh) cấp."
    lines = (("Việc này không làm ở Trung tâm", "Việc này không làm ở Trung tâm."), (text, text))
    note = build_note("Hộ chiếu", lines, CENTRE, PHONE, datetime(2026, 12, 5, 9, 30), "vi")
    assert [line.kind for line in note.lines[:2]] == ["title", "heading"]
    assert note.lines[1].text == "Hộ chiếu"
    assert text in [line.text for line in note.lines]
    assert not note.of_kind("qr") and not note.of_kind("ticket") and note.payload == ""
    assert note.lines[-1].text == "In lúc 09:30, ngày 05/12/2026"
    assert any(PHONE.split()[0] in line.text for line in note.lines)
    image = render_slip(note, 384)
    assert image.mode == "1" and image.width == 384
