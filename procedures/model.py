"""The catalogue as typed, immutable objects.

These classes are the contract between the catalogue files and everything that shows, speaks or
prints a procedure. They hold Vietnamese text exactly as written in the YAML files (NFC).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Need(StrEnum):
    """Whether a paper must always be brought."""

    ALWAYS = "always"
    """Every resident asking for this procedure brings it."""
    SOMETIMES = "sometimes"
    """Only in the case stated in ``Paper.when``; the checklist asks if that case is hers."""
    ON_REQUEST = "on_request"
    """Only when staff ask for it, in the case stated in ``Paper.when``, which the resident cannot
    know beforehand (e.g. "only when staff cannot find your address on the computer"). The
    checklist does not ask whether the case applies: it asks whether she has the paper, and the
    slip lists a missing one under "if needed"."""


class Channel(StrEnum):
    """A way to hand in the papers."""

    CENTRE = "centre"
    """At the commune's Public Administration Service Centre."""
    POST = "post"
    """By post."""
    PORTAL = "portal"
    """Online, on the National Public Service Portal (dichvucong.gov.vn)."""
    VNEID = "vneid"
    """Online, in the VNeID app."""
    POLICE = "police"
    """At the commune police station (residence procedures)."""


class HandledBy(StrEnum):
    """Who does the procedure."""

    CENTRE = "centre"
    """The commune centre itself: the terminal walks the checklist and prints a slip."""
    COMMUNE_POLICE = "commune_police"
    """The commune police: the terminal explains and refers the resident there."""


@dataclass(frozen=True, slots=True)
class Paper:
    """One paper to bring."""

    short: str
    """Short name for the slip and the button, e.g. "Giấy chứng sinh"."""
    explain: str
    """One or two plain sentences: what this paper is."""
    need: Need
    """Always needed, or only in a stated case."""
    when: str | None
    """The case in which it is needed (required unless ``need`` is ALWAYS), e.g. "Chỉ khi ..."."""
    where_to_get: str
    """Where to get it when the resident does not have it."""


@dataclass(frozen=True, slots=True)
class Procedure:
    """One administrative procedure."""

    code: str
    """The national code, e.g. "1.001193"."""
    slug: str
    """The file name without ``.yaml``, e.g. "dang-ky-khai-sinh"."""
    name: str
    """The official name."""
    short_name: str
    """Short name for the slip and screen headings."""
    spoken_name: str
    """How the voice names it inside a sentence (lower case start, no abbreviations)."""
    group: str
    """The id of its group (see ``Group``)."""
    handled_by: HandledBy
    """The centre itself, or a referral to the commune police."""
    summary: str
    """Two or three short plain sentences."""
    who: str
    """Who may ask for it, plainly."""
    papers: tuple[Paper, ...]
    """Papers to bring, in the order the checklist walks them. Order is part of the QR format."""
    fee: str
    """Fee, plainly, e.g. "Miễn phí." or "8.000 đồng một bản."."""
    time: str
    """Processing time, plainly."""
    submit: tuple[Channel, ...]
    """Ways to hand in the papers."""
    result: str
    """What the resident gets at the end."""
    legal_basis: tuple[str, ...]
    """Laws, decrees and circulars the procedure rests on."""
    source: tuple[str, ...]
    """Where the facts were taken from."""
    checked: str
    """Date the facts were checked, ISO format YYYY-MM-DD."""
    phrases: tuple[str, ...]
    """Everyday phrasings residents use for it (unique to this procedure)."""
    shared_phrases: tuple[str, ...] = field(default=())
    """Phrasings deliberately shared with other procedures (they lead to an ask-back)."""

    @property
    def handled_here(self) -> bool:
        return self.handled_by is HandledBy.CENTRE


@dataclass(frozen=True, slots=True)
class Group:
    """A group of procedures on the first choice screen."""

    id: str
    """Machine id, e.g. "ho_tich"."""
    name: str
    """Screen name, e.g. "Hộ tịch"."""
    spoken_name: str
    """Spoken name, e.g. "khai sinh, khai tử, kết hôn"."""
    order: int
    """Position on the choice screen."""
