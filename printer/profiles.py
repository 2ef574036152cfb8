"""Paper profiles: dot width and whether the printer has a cutter, as data, not if-branches."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PaperProfile:
    """One kind of receipt paper and printer mechanism."""

    paper_mm: int
    """Roll width in millimetres."""
    width_dots: int
    """Printable width at 203 dpi."""
    cutter: bool
    """The usual printer for this paper has an automatic cutter (cut after each slip)."""
    feed_lines: int
    """Blank lines fed after the slip so it tears off below the QR code."""


PROFILES: dict[int, PaperProfile] = {
    58: PaperProfile(58, 384, cutter=False, feed_lines=4),
    80: PaperProfile(80, 576, cutter=True, feed_lines=0),
}
"""58 mm printers rarely cut; 80 mm ones usually do. A URI may override: ``?cut=yes|no``,
``?dots=512`` (older 80 mm printers print 512 dots)."""

WIDTHS = (384, 512, 576)


def profile_for(paper_mm: int) -> PaperProfile:
    """The profile for 58 or 80 mm paper. Raises ValueError for another width."""
    try:
        return PROFILES[paper_mm]
    except KeyError:
        raise ValueError(f"paper {paper_mm} mm: expected 58 or 80") from None
