"""The slip as a 1-bit image at the printer's dot width, in large bold Vietnamese print.

Vietnamese never goes to the printer as text: ESC/POS code pages garble its diacritics. The
slip is drawn here with a Vietnamese font and sent as a raster image.

Sizes are in printer dots (203 dpi: 8 dots per millimetre). Body text has an em of
``BODY_EM_DOTS`` = 52 dots = 18.4 pt, above the 18 pt (50.75 dots) large-print minimum; with
Be Vietnam Pro Bold its capital letters are 38 dots (4.75 mm) tall. Text wraps at spaces; a
word longer than a whole line is split between letters, never cut off.

Each paper's line starts with a mark, ✓ (she has it) or ✗ (still needed), 6 mm, then the
paper's picture (``procedures/icons``, 64 dots = 8 mm, cut to 1 bit at half coverage), then its
words in a column of their own; both sit beside the first line, so a one-line paper takes no
more paper than before. A thing to bring for one of the centre's services starts with an
empty box of the same size, for the resident to tick.

The font is Be Vietnam Pro Bold (OFL), a sans-serif drawn for Vietnamese, installed from PyPI
as ``fontpkg-be-vietnam-pro``; when that package is missing, DejaVu Sans Bold (Debian
``fonts-dejavu-core``) is used. ``HOTRO_SLIP_FONT`` names another TTF file.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from printer.qr import qr_image
from printer.slip import Slip, SlipLine
from procedures.pictures import Pictures, load_pictures

__all__ = ["FontError", "qr_image", "render_slip", "font_path", "wrap", "BODY_EM_DOTS"]

DPI = 203
DOTS_PER_MM = DPI / 25.4
BODY_EM_DOTS = 52
"""Body font size (em) in dots: 52 / 203 inch = 18.4 pt."""
MIN_BODY_PT = 18.0
MARGIN = 8
"""Blank dots at the left and right edges."""
TICKET_MAX_EM = 220
"""The ticket number is drawn as large as fits the width, up to this em."""
LINE_GAP = 2
"""Extra dots between printed lines of one item."""
ITEM_GAP = 12
"""Dots between two items."""
MARK = 48
"""Side of the ✓ (has it) and ✗ (still needed) marks, in dots (6 mm: taller than a capital)."""
MARK_STROKE = 10
"""Width of the marks' strokes, in dots (1.25 mm)."""
PICTURE_DOTS = 64
"""Side of a paper's picture, in dots: 8 mm at 203 dpi."""
PAPER_INDENT = MARK + 6 + PICTURE_DOTS + 10
"""Where a paper's words start: after its mark and its picture."""
WHERE_INDENT = MARK
"""Where the lines under a paper (where to get it) start, right of the bar under its mark."""
BOX_STROKE = 5
"""Width of the lines of the empty box beside a thing to bring for a service, in dots."""
BRING_INDENT = MARK + 14
"""Where the words of a thing to bring for a service start: after its box."""

_DEJAVU = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
    "/usr/local/share/fonts/DejaVuSans-Bold.ttf",
)


class FontError(RuntimeError):
    """No Vietnamese-capable bold font was found."""


def font_path() -> Path:
    """The bold Vietnamese font to print with (see the module docstring for the order)."""
    override = os.environ.get("HOTRO_SLIP_FONT")
    if override:
        path = Path(override).expanduser()
        if not path.is_file():
            raise FontError(f"HOTRO_SLIP_FONT={override}: no such font file")
        return path
    try:
        import fontpkg_be_vietnam_pro

        path = Path(fontpkg_be_vietnam_pro.ROOT) / "files" / "BeVietnamPro-Bold.ttf"
        if path.is_file():
            return path
    except ImportError:
        pass
    for candidate in _DEJAVU:
        if Path(candidate).is_file():
            return Path(candidate)
    raise FontError(
        "no Vietnamese bold font: install the Python package fontpkg-be-vietnam-pro "
        "(pip install fontpkg-be-vietnam-pro) or the Debian package fonts-dejavu-core"
    )


@cache
def _font(size: int, path: str) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)


def font(size: int = BODY_EM_DOTS) -> ImageFont.FreeTypeFont:
    return _font(size, str(font_path()))


def body_points(em_dots: int = BODY_EM_DOTS) -> float:
    """Font size in typographic points of an em of ``em_dots`` printer dots."""
    return em_dots / DPI * 72


def wrap(text: str, fnt: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """``text`` broken into lines no wider than ``width`` dots: at spaces, else between letters.

    No-break spaces (U+00A0, e.g. inside a phone number) are kept unless the group alone is
    wider than a line.

    Joining the lines with spaces gives back the text's words (letters of a split word join
    with nothing), so nothing is ever lost.
    """
    words = [w for w in unicodedata.normalize("NFC", text).split(" ") if w]
    lines: list[str] = []
    current = ""
    while words:
        word = words.pop(0)
        if "\u00a0" in word and fnt.getlength(word) > width:
            words[:0] = word.split("\u00a0")  # too wide even alone: break at no-break spaces
            continue
        candidate = f"{current} {word}" if current else word
        if fnt.getlength(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
            current = ""
        while fnt.getlength(word) > width:  # a word wider than a line: split between letters
            cut = len(word) - 1
            while cut > 1 and fnt.getlength(word[:cut]) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


@dataclass(frozen=True, slots=True)
class _Op:
    """One thing to draw at a vertical position."""

    y: int
    kind: str  # text | invtext | bar | rule | vbar | mark_have | mark_missing | box | image
    x: int = 0
    text: str = ""
    size: int = BODY_EM_DOTS
    image: Image.Image | None = None
    height: int = 0


def _line_height(fnt: ImageFont.FreeTypeFont) -> int:
    ascent, descent = fnt.getmetrics()
    return ascent + descent


def _ticket_size(text: str, width: int) -> int:
    size = TICKET_MAX_EM
    while size > BODY_EM_DOTS and font(size).getlength(text) > width:
        size -= 4
    return size


def layout(slip: Slip, width_dots: int) -> tuple[list[_Op], int]:
    """Where everything goes, and the slip's height in dots."""
    usable = width_dots - 2 * MARGIN
    body = font()
    body_h = _line_height(body)
    ops: list[_Op] = []
    y = MARGIN

    def text_block(
        line: SlipLine, x: int, avail: int, centre: bool = False, inverted: bool = False
    ) -> None:
        nonlocal y
        for part in wrap(line.text, body, avail):
            px = x + (avail - int(body.getlength(part))) // 2 if centre else x
            ops.append(_Op(y, "invtext" if inverted else "text", px, part, BODY_EM_DOTS))
            y += body_h + LINE_GAP
        y -= LINE_GAP

    previous = ""
    for line in slip.lines:
        after_papers = previous in ("have", "missing", "where", "bring") and line.kind == "info"
        if line.kind in ("heading", "qr") or after_papers:
            ops.append(_Op(y + ITEM_GAP // 2, "rule", height=3))
            y += ITEM_GAP + 3
        if line.kind == "ticket":
            size = _ticket_size(line.text, usable)
            fnt = font(size)
            left, top, right, bottom = fnt.getbbox(line.text)
            px = MARGIN + (usable - (right - left)) // 2 - left
            ops.append(_Op(y - top, "text", px, line.text, size))
            y += bottom - top
        elif line.kind == "heading":
            rows = len(wrap(line.text, body, usable - 12))
            bar = 6 + rows * (body_h + LINE_GAP) - LINE_GAP + 10
            ops.append(_Op(y, "bar", height=bar))
            y += 6
            text_block(line, MARGIN + 6, usable - 12, centre=True, inverted=True)
            y += 10
        elif line.kind in ("have", "missing"):
            # ✓ or ✗, the paper's picture, then its words; both centred on the first line
            middle = y + body_h // 2
            ops.append(_Op(middle - MARK // 2, "mark_" + line.kind, MARGIN))
            image = picture(line.icon)
            if image is not None:
                ops.append(_Op(middle - PICTURE_DOTS // 2, "image", MARGIN + MARK + 6, image=image))
            top = y
            text_block(line, MARGIN + PAPER_INDENT, usable - PAPER_INDENT)
            y = max(y, top + PICTURE_DOTS)
        elif line.kind == "bring":  # a thing to bring for a service: an empty box to tick
            ops.append(_Op(y + body_h // 2 - MARK // 2, "box", MARGIN))
            text_block(line, MARGIN + BRING_INDENT, usable - BRING_INDENT)
        elif line.kind == "where":  # a bar under the mark groups it with its missing paper
            start = y - ITEM_GAP
            text_block(line, MARGIN + WHERE_INDENT, usable - WHERE_INDENT)
            ops.append(_Op(start, "vbar", MARGIN + MARK // 2 - 3, height=y - start))
        elif line.kind == "qr":
            code = qr_image(slip.payload, usable)
            ops.append(_Op(y, "image", MARGIN + (usable - code.width) // 2, image=code))
            y += code.height + 4
            text_block(line, MARGIN, usable, centre=True)
        else:  # title, caption, info, service
            text_block(line, MARGIN, usable, centre=line.kind in ("title", "caption"))
        y += ITEM_GAP
        previous = line.kind
    return ops, y + MARGIN


def render_slip(slip: Slip, width_dots: int) -> Image.Image:
    """The slip as a mode "1" image ``width_dots`` wide (384 for 58 mm, 512/576 for 80 mm)."""
    if width_dots < 300:
        raise ValueError(f"width {width_dots} dots: slips need at least 300 (58 mm paper = 384)")
    ops, height = layout(slip, width_dots)
    canvas = Image.new("L", (width_dots, height), 255)
    draw = ImageDraw.Draw(canvas)
    path = str(font_path())
    for op in ops:
        if op.kind == "text":
            draw.text((op.x, op.y), op.text, font=_font(op.size, path), fill=0)
        elif op.kind == "invtext":
            draw.text((op.x, op.y), op.text, font=_font(op.size, path), fill=255)
        elif op.kind == "vbar":
            draw.rectangle((op.x, op.y, op.x + 5, op.y + op.height), fill=0)
        elif op.kind in ("bar", "rule"):
            draw.rectangle((MARGIN, op.y, width_dots - MARGIN - 1, op.y + op.height - 1), fill=0)
        elif op.kind in ("mark_have", "mark_missing"):
            draw_mark(draw, op.x, op.y, have=op.kind == "mark_have")
        elif op.kind == "box":  # an empty box (MARK square) the resident ticks herself
            draw.rectangle((op.x, op.y, op.x + MARK, op.y + MARK), outline=0, width=BOX_STROKE)
        elif op.kind == "image" and op.image is not None:
            canvas.paste(op.image.convert("L"), (op.x, op.y))
    return canvas.point(lambda v: 255 if v >= 128 else 0).convert("1", dither=Image.Dither.NONE)


def draw_mark(draw: ImageDraw.ImageDraw, x: int, y: int, *, have: bool) -> None:
    """✓ (the resident has the paper) or ✗ (still needed) in a ``MARK`` square at (x, y): two
    shapes nobody confuses, even on a faint print; the words beside them say it too."""
    s, w = MARK, MARK_STROKE
    if have:
        edge = w // 2
        tick = [
            (x + edge, y + s * 11 // 20),
            (x + s * 2 // 5, y + s - edge - 2),
            (x + s - edge, y + edge),
        ]
        draw.line(tick, fill=0, width=w, joint="curve")
    else:
        inset = w // 2 + 3
        draw.line([(x + inset, y + inset), (x + s - inset, y + s - inset)], fill=0, width=w)
        draw.line([(x + s - inset, y + inset), (x + inset, y + s - inset)], fill=0, width=w)


@cache
def picture(meaning: str, dots: int = PICTURE_DOTS) -> Image.Image | None:
    """The picture of ``meaning`` (``procedures/icons``) as printed: ``dots`` square, black where
    its mask covers at least half a dot, white elsewhere (mode "1"); None for no picture."""
    found = _pictures().get(meaning) if meaning else None
    if found is None:
        return None
    with Image.open(found.path) as source:
        alpha = source.getchannel("A")
    alpha = alpha.resize((dots, dots), Image.Resampling.LANCZOS)
    return alpha.point(lambda v: 0 if v >= 128 else 255).convert("1", dither=Image.Dither.NONE)


@cache
def _pictures() -> Pictures:
    """The shipped pictures, looked up once (``hotro procedures check`` checks their files)."""
    return load_pictures(check_files=False)


def length_mm(image: Image.Image) -> float:
    """Paper used by an image, in millimetres."""
    return image.height / DOTS_PER_MM
