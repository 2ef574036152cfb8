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
    """Only in the case stated in ``Paper.when``."""


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
    """The case in which it is needed (required when ``need`` is SOMETIMES), e.g. "Chỉ khi ..."."""
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


class CounterType(StrEnum):
    """Which kind of counter serves a service (the desk maps its counters to these)."""

    GENERAL = "general"
    """The one-stop counter (Bộ phận một cửa): papers, forms, feedback, meeting an officer."""
    DIGITAL = "digital"
    """The digital help desk ("Hướng dẫn – Hỗ trợ dịch vụ công trực tuyến") and the community
    digital team (Tổ công nghệ số cộng đồng): VNeID, online submission, online payment."""
    RESULTS = "results"
    """Where results are handed back (trả kết quả): picking up, asking about a late result."""


@dataclass(frozen=True, slots=True)
class Service:
    """Help the centre gives that is not an administrative procedure (issue 18): VNeID help,
    picking up a result, feedback, reading a paper aloud ..."""

    id: str
    """Short id, e.g. "vneid_help"."""
    name: str
    """Screen name, e.g. "Hỗ trợ tài khoản VNeID"."""
    short_name: str
    """For the slip, headings and numbered lists."""
    spoken_name: str
    """How the voice names it inside a sentence (lower case start)."""
    summary: str
    """What the centre does for the resident: two short plain sentences."""
    bring: tuple[str, ...]
    """What to bring, e.g. "Giấy hẹn", "Điện thoại", "Căn cước hoặc VNeID"."""
    counter: CounterType
    """Which kind of counter serves it."""
    icon: str
    """Meaning id of its picture, ``service/<id>`` (``procedures.pictures``)."""
    phrases: tuple[str, ...]
    """Everyday ways residents ask for it (used by no procedure and no other service)."""


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


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer of a distinguishing question, and the procedure it leads to."""

    text: str
    """A few everyday words, shown, spoken and said by the resident to choose it."""
    code: str
    """The procedure this answer leads to."""


@dataclass(frozen=True, slots=True)
class Question:
    """The one plain question that tells look-alike procedures apart."""

    id: str
    """Short id, e.g. "birth_registered"."""
    text: str
    """The question, e.g. "Giấy khai sinh đã làm lần nào chưa?"."""
    answers: tuple[Answer, ...]
    """2 to 5 answers, in screen order."""

    @property
    def codes(self) -> frozenset[str]:
        """Every procedure an answer leads to."""
        return frozenset(a.code for a in self.answers)
