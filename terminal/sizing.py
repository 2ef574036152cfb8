"""Text and target sizes in pixels, from millimetres on the kiosk's physical screen.

Why millimetres: the accessibility numbers are physical (capital letters at least 6 mm tall at
the normal text size; touch targets at least 9 mm with space between). Kivy's ``dp`` is 1 pixel
on a desktop (density 1) and SDL does not know the physical size of a kiosk panel, so the
terminal is told its diagonal (``terminal.screen_inches``, default 15.6, the smallest screen in
the 15–21" range and so the one with the smallest pixels) and works out pixels per millimetre:

    px_per_mm = hypot(width_px, height_px) / (screen_inches × 25.4)

A 15.6" 1920×1080 panel has 5.56 px/mm (141 dpi); a 21.5" one 4.03 px/mm (102 dpi). The body
font (DejaVu Sans Bold, capital height 0.729 em) is sized so that a capital is 6.0 mm:

    font_px = 6.0 mm × px_per_mm / 0.729       → 45.8 px on 15.6" 1080p (≈ 46 sp at density 1)

The three text steps are ×1.0, ×1.25 and ×1.5. Buttons are at least 12 mm high (≥ 9 mm) and
3 mm apart. Each button's picture (issue 19) is drawn 10.5 mm tall at every text size (the rule
asks for 10 mm), and the button is tall enough to keep it clear of its focus border. A screen's
subject picture (the paper, procedure, service or group it is about) is twice that, 21 mm. In a
development window the same proportions apply to the window's own size, so a
screenshot shows what the kiosk shows, scaled.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from terminal.settings import TEXT_SIZES

CAP_MM = 6.0
"""Capital letter height at the normal text size."""
CAP_RATIO = 0.729
"""Capital height / em of DejaVu Sans Bold (Roboto Bold: 0.711, close enough to round up)."""
SIZE_FACTORS = {"normal": 1.0, "large": 1.25, "largest": 1.5}
TARGET_MM = 12.0
"""Minimum button height (the rule asks for 9 mm)."""
GAP_MM = 3.0
"""Space between buttons and around the edges."""
PICTURE_MM = 10.5
"""Height of the drawn part of a button's picture (the rule asks for at least 10 mm)."""
SUBJECT_MM = 2 * PICTURE_MM
"""Height of the drawn part of a screen's subject picture (at least 20 mm)."""


@dataclass(frozen=True)
class Sizes:
    px_per_mm: float
    font_body: float
    font_title: float
    font_big: float
    font_number: float
    gap: float
    target_min: float
    border: float
    focus_border: float
    picture: float
    """Height in pixels of the drawn part of a button's picture."""
    subject: float
    """Height in pixels of the drawn part of a screen's subject picture."""

    def cap_mm(self) -> float:
        """Expected capital height of body text in millimetres."""
        return self.font_body * CAP_RATIO / self.px_per_mm


def sizes(width_px: int, height_px: int, screen_inches: float, text_size: str) -> Sizes:
    """Pixel sizes for a window of this size on a screen with this diagonal."""
    if text_size not in TEXT_SIZES:
        text_size = "normal"
    px_per_mm = math.hypot(width_px, height_px) / (screen_inches * 25.4)
    body = math.ceil(CAP_MM * px_per_mm / CAP_RATIO * SIZE_FACTORS[text_size])
    return Sizes(
        px_per_mm=px_per_mm,
        font_body=body,
        font_title=math.ceil(body * 1.15),
        font_big=math.ceil(body * 2.6),
        font_number=math.ceil(body * 1.15),
        gap=math.ceil(GAP_MM * px_per_mm),
        target_min=math.ceil(max(TARGET_MM * px_per_mm, body * 1.7)),
        border=max(2.0, round(0.5 * px_per_mm)),
        focus_border=max(6.0, round(1.6 * px_per_mm)),
        picture=math.ceil(PICTURE_MM * px_per_mm),
        subject=math.ceil(SUBJECT_MM * px_per_mm),
    )
