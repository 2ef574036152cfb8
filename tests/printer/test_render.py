"""The slip image: 1-bit, the printer's width, large bold print, words wrapped and never cut."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw

from cases.codec import encode
from printer.render import (
    BODY_EM_DOTS,
    DOTS_PER_MM,
    MARGIN,
    MARK,
    PAPER_INDENT,
    PICTURE_DOTS,
    body_points,
    draw_mark,
    font,
    font_path,
    layout,
    length_mm,
    picture,
    render_slip,
    wrap,
)
from printer.slip import build_slip
from tests.printer.helpers import CENTRE, KEY, PHONE, birth_case


def _ink_columns(image: Image.Image) -> tuple[int, int]:
    left, _, right, _ = image.convert("L").point(lambda v: 255 - v).getbbox()
    return left, right


def _catalogue_texts(catalogue) -> list[str]:
    texts = []
    for proc in catalogue.procedures.values():
        texts += [proc.short_name, proc.fee, proc.time]
        for paper in proc.papers:
            texts += [paper.short, paper.where_to_get, paper.when or ""]
    return [t for t in texts if t]


def test_font_is_a_vietnamese_bold_sans_with_every_letter_needed():
    path = font_path()
    assert path.name in ("BeVietnamPro-Bold.ttf", "DejaVuSans-Bold.ttf")
    fnt = font()
    # each Vietnamese letter must be a real glyph, not the same empty box as an unknown char
    missing = fnt.getmask("\U000f0000").getbbox()
    for char in "ăâđêôơưĂÂĐÊÔƠƯáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ":
        for c in (char, char.upper()):
            assert fnt.getmask(c).getbbox() != missing, c


def test_body_text_is_at_least_18_point_at_203_dpi():
    assert BODY_EM_DOTS >= 51
    assert body_points() >= 18.0
    assert font().size == BODY_EM_DOTS


def test_body_capital_letters_are_at_least_4_5_mm_tall():
    image = Image.new("L", (200, 120), 255)
    ImageDraw.Draw(image).text((10, 10), "H", font=font(), fill=0)
    _, top, _, bottom = image.point(lambda v: 255 - v).getbbox()
    assert bottom - top >= 36  # dots; 8 dots = 1 mm


@pytest.mark.parametrize("width", [384, 512, 576])
def test_slip_image_is_one_bit_at_the_printer_width(slip, width):
    image = render_slip(slip, width)
    assert image.mode == "1"
    assert image.width == width
    assert image.height > 1000


@pytest.mark.parametrize("width", [384, 576])
def test_no_ink_in_the_side_margins(slip, width):
    left, right = _ink_columns(render_slip(slip, width))
    assert left >= MARGIN
    assert right <= width - MARGIN


def test_wrap_keeps_every_word_and_fits_every_catalogue_text_at_58_mm(catalogue):
    fnt = font()
    usable = 384 - 2 * MARGIN - PAPER_INDENT  # paper lines, after mark and picture: narrowest
    for text in _catalogue_texts(catalogue):
        lines = wrap(text, fnt, usable)
        assert " ".join(lines).split() == text.split() or "".join(lines) == "".join(text.split())
        for line in lines:
            assert fnt.getlength(line) <= usable, line


def test_wrap_splits_a_word_longer_than_a_line_without_losing_letters():
    fnt = font()
    word = "Giấychứngsinhgiấychứngsinhgiấychứngsinh"
    lines = wrap(word, fnt, 300)
    assert len(lines) > 1
    assert "".join(lines) == word
    assert all(fnt.getlength(line) <= 300 for line in lines)


def test_wrap_never_breaks_at_a_no_break_space():
    fnt = font()
    lines = wrap("Cần hỏi, gọi: 0221\u00a03868\u00a0123", fnt, 560)
    assert any("0221\u00a03868\u00a0123" in line for line in lines)


def test_a_no_break_group_wider_than_a_line_breaks_at_its_no_break_spaces():
    lines = wrap("gọi: 0221\u00a03868\u00a0123", font(), 368)
    assert "".join(lines).replace(" ", "") == "gọi:02213868123"
    assert all(len(part) >= 3 for line in lines for part in line.split())


def test_longest_catalogue_slips_render_within_58_mm_width(catalogue):
    def size(proc):
        return sum(len(p.where_to_get) + len(p.when or "") for p in proc.papers) + len(proc.fee)

    for proc in sorted(catalogue.procedures.values(), key=size)[-2:]:
        case = birth_case(proc, procedure_code=proc.code, have=(False,) * len(proc.papers))
        slip = build_slip(case, proc, CENTRE, PHONE, encode(case, KEY))
        left, right = _ink_columns(render_slip(slip, 384))
        assert left >= MARGIN and right <= 384 - MARGIN, proc.code


def test_ticket_number_is_drawn_much_larger_than_body(slip):
    from printer.render import layout

    ops, _ = layout(slip, 384)
    ticket = next(op for op in ops if op.text == "U-012")
    assert ticket.size >= 2 * BODY_EM_DOTS
    assert font(ticket.size).getlength("U-012") <= 384 - 2 * MARGIN


def test_have_and_missing_marks_differ_in_shape_not_colour(slip):
    kinds = [op.kind for op in layout(slip, 384)[0]]
    assert kinds.count("mark_have") == 4
    assert kinds.count("mark_missing") == 3  # one always needed, two "if needed"


def test_the_tick_and_the_cross_are_large_and_easy_to_tell_apart():
    """Both at least 5 mm (a capital letter is 4.75 mm); over half of their ink together is in
    one and not the other, and only the cross reaches into the top-left corner."""
    marks = []
    for have in (True, False):
        image = Image.new("L", (MARK + 20, MARK + 20), 255)
        draw_mark(ImageDraw.Draw(image), 10, 10, have=have)
        ink = image.point(lambda v: 255 if v < 128 else 0)
        left, top, right, bottom = ink.getbbox()
        assert min(right - left, bottom - top) >= 5 * DOTS_PER_MM, have
        assert left >= 10 and top >= 10 and right <= MARK + 10 and bottom <= MARK + 10
        marks.append(set(zip(*[list(v) for v in _ink_points(ink)], strict=True)))
    tick, cross = marks
    assert len(tick ^ cross) > 0.5 * len(tick | cross)
    corner = {(x, y) for x in range(10, 10 + MARK // 3) for y in range(10, 10 + MARK // 3)}
    assert cross & corner and not tick & corner


def _ink_points(ink: Image.Image) -> tuple[list[int], list[int]]:
    xs, ys = [], []
    for i, v in enumerate(ink.getdata()):
        if v:
            xs.append(i % ink.width)
            ys.append(i // ink.width)
    return xs, ys


@pytest.mark.parametrize("width", [384, 576])
def test_each_paper_line_starts_with_its_mark_and_its_picture_8_mm_tall(slip, width):
    """The mark, then the paper's picture, then its words; the picture beside the first line."""
    ops, _ = layout(slip, width)
    papers = [line for line in slip.lines if line.kind in ("have", "missing")]
    images = [op for op in ops if op.kind == "image" and op.image is not None]
    pictures = [op for op in images if op.image.size == (PICTURE_DOTS, PICTURE_DOTS)]
    assert len(pictures) == len(papers) == 7
    assert PICTURE_DOTS / DOTS_PER_MM >= 8.0
    marks = [op for op in ops if op.kind.startswith("mark_")]
    for line, mark, pic in zip(papers, marks, pictures, strict=True):
        assert pic.image.tobytes() == picture(line.icon).tobytes()
        words = next(op for op in ops if op.kind == "text" and op.y >= mark.y - MARK)
        assert mark.x < pic.x < pic.x + PICTURE_DOTS < words.x
        assert abs((pic.y + PICTURE_DOTS / 2) - (mark.y + MARK / 2)) <= 1
        assert words.y <= pic.y + PICTURE_DOTS // 2 <= words.y + 66  # beside the first line


def test_a_paper_picture_is_printed_clean_in_1_bit(slip):
    ink = picture("paper/id_card")
    assert ink.mode == "1" and ink.size == (PICTURE_DOTS, PICTURE_DOTS)
    black = ink.histogram()[0] / PICTURE_DOTS**2
    assert 0.15 <= black <= 0.75
    assert picture("paper/no_such_paper") is None and picture("") is None


def test_length_is_reported_in_millimetres():
    assert length_mm(Image.new("1", (384, 800))) == pytest.approx(100.1, abs=0.1)


def test_too_narrow_width_is_refused(slip):
    with pytest.raises(ValueError, match="384"):
        render_slip(slip, 200)


def test_nfd_text_is_drawn_as_nfc(case, birth):
    import unicodedata

    nfd = unicodedata.normalize("NFD", CENTRE)
    slip_nfd = build_slip(case, birth, nfd, PHONE, "P")
    slip_nfc = build_slip(case, birth, CENTRE, PHONE, "P")
    assert slip_nfd.lines[0].text == slip_nfc.lines[0].text
    assert render_slip(slip_nfd, 384).tobytes() == render_slip(slip_nfc, 384).tobytes()
