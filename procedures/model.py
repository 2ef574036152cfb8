"""The catalogue as typed, immutable objects.

These classes are the contract between the catalogue files and everything that shows, speaks or
prints a procedure. They hold Vietnamese text exactly as written in the YAML files (NFC).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

DEFAULT_PAPER_ICON = "paper/paper"
"""The picture of a paper whose entry in ``papers.yaml`` names none: a plain sheet."""


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
class SharedPaper:
    """One paper of the shared paper list (``papers.yaml``): named and explained once, used by
    every procedure that asks for it. A place for per-paper attributes (e.g. a picture)."""

    id: str
    """Machine id, e.g. "giay-to-tuy-than"; procedures name it in ``papers: - paper: <id>``."""
    name: str
    """Its name as it reads in a list and inside "Ông/bà đã có … chưa?", e.g. "Giấy chứng sinh"
    (the question lowers the first letter; see ``in_sentence``)."""
    explain: str
    """One or two plain sentences: what this paper is."""
    where_to_get: str
    """Where to get it when the resident does not have it."""
    need: Need = Need.ALWAYS
    """Whether procedures need it always; a procedure may say otherwise."""
    when: str | None = None
    """The usual case in which it is needed (when ``need`` is not ALWAYS); a procedure may say
    otherwise."""
    any_of: tuple[str, ...] = ()
    """Ids of other shared papers, any one of which is this paper (e.g. "giấy tờ tùy thân": a
    card, a VNeID account, a passport or the ID number read out). Empty for an ordinary paper."""
    icon: str = DEFAULT_PAPER_ICON
    """Meaning id of its picture, ``paper/<meaning>`` (``procedures.pictures``), e.g.
    ``paper/id_card``; ``paper/paper`` (a plain sheet) when the file gives none."""

    @property
    def in_sentence(self) -> str:
        """``name`` as it reads inside a sentence ("giấy chứng sinh", but "VNeID ...")."""
        return in_sentence(self.name)


def in_sentence(name: str) -> str:
    """A name as it reads inside a sentence: the first letter lowered, unless the first word is
    an abbreviation or a name written with capitals inside it ("VNeID", "CT01")."""
    first = name.split(" ", 1)[0]
    if not first or any(c.isupper() for c in first[1:]) or any(c.isdigit() for c in first):
        return name
    return first[0].lower() + name[1:]


@dataclass(frozen=True, slots=True)
class Paper:
    """One paper to bring for one procedure (a shared paper with this procedure's details)."""

    short: str
    """The shared paper's name, for the slip, the button and the question."""
    explain: str
    """The shared paper's explanation, followed by this procedure's ``note``, if any."""
    need: Need
    """Always needed, or only in a stated case."""
    when: str | None
    """The case in which it is needed (required unless ``need`` is ALWAYS), e.g. "Chỉ khi ..."."""
    where_to_get: str
    """Where to get it when the resident does not have it."""
    id: str = ""
    """The shared paper's id in ``papers.yaml``."""
    note: str = ""
    """What this procedure adds to the shared explanation (already part of ``explain``)."""
    alternatives: tuple[SharedPaper, ...] = ()
    """The things any one of which is this paper, in the order they are offered; empty for an
    ordinary paper. The checklist asks once which one the resident has (or none), the slip
    prints them on one line, the desk shows the one she has. Their order is part of the QR
    format (a case records the index of the one she has)."""
    icon: str = DEFAULT_PAPER_ICON
    """The shared paper's picture (meaning id, e.g. ``paper/id_card``)."""

    @property
    def in_sentence(self) -> str:
        """``short`` as it reads inside "Ông/bà đã có … chưa?"."""
        return in_sentence(self.short)

    def alternative(self, index: int | None) -> SharedPaper | None:
        """The alternative at ``index``, or None (no index, or out of range)."""
        if index is None or not 0 <= index < len(self.alternatives):
            return None
        return self.alternatives[index]


FACTS = ("code", "name", "who", "papers", "fee", "time", "submit", "result", "legal_basis")
"""The facts of a procedure a source can stand for (``hotro procedures show CODE --sources``)."""


@dataclass(frozen=True, slots=True)
class Source:
    """Where facts of a procedure were taken from, and when they were checked there."""

    url: str
    """A web address, or ``github:owner/repo[@commit]:path`` for a file in a public repository."""
    facts: tuple[str, ...]
    """Which facts (``FACTS``) it stands for."""
    checked: str
    """Date the facts were checked against it, ``YYYY-MM-DD``."""
    note: str = ""
    """What it is, for staff (e.g. "trang chi tiết Cổng Dịch vụ công, bản crawl 06/2026")."""


@dataclass(frozen=True, slots=True)
class Unsure:
    """A fact the sources leave unsure: the catalogue leaves it out or hedges it."""

    fact: str
    """What is unsure: a field (``time``, ``fee``, ``who``, ``summary``, ``result``, ``papers``,
    ``code``, ``name``, ``legal_basis``, ``submit``), a paper (``papers.<id>``), or ``other``."""
    why: str
    """What the sources leave unsure, for staff (Vietnamese)."""


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
    """Where the facts were taken from (the addresses of ``sources``)."""
    checked: str
    """Date the facts were checked, ISO format YYYY-MM-DD."""
    phrases: tuple[str, ...]
    """Everyday phrasings residents use for it (unique to this procedure)."""
    shared_phrases: tuple[str, ...] = field(default=())
    """Phrasings deliberately shared with other procedures (they lead to an ask-back)."""
    unsure: tuple[Unsure, ...] = field(default=())
    """Facts the sources leave unsure; each is left out or hedged (``hotro procedures check``)."""
    sources: tuple[Source, ...] = field(default=())
    """Each source with the facts it stands for and the date it was checked."""
    icon: str = ""
    """Meaning id of its picture: ``procedure/<code>`` (its own) or ``group/<group>`` (its
    group's, when nothing better fits; also what a file without ``icon`` gets)."""

    def sources_of(self, fact: str) -> tuple[Source, ...]:
        """The sources that stand for ``fact`` (one of ``FACTS``)."""
        return tuple(s for s in self.sources if fact in s.facts)

    def unsure_of(self, fact: str) -> tuple[Unsure, ...]:
        """What the sources leave unsure about ``fact`` (``papers.<id>`` counts for ``papers``)."""
        return tuple(
            u
            for u in self.unsure
            if u.fact == fact or (fact == "papers" and u.fact.startswith("papers."))
        )

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


SERVICES_GROUP = "viec_khac"
"""The group the centre's services are shown and counted under ("Việc khác" on the first screen,
a row of the month report's groups); it is not in ``groups.yaml`` (no procedure belongs to it)."""


@dataclass(frozen=True, slots=True)
class Service:
    """Help the centre gives that is not an administrative procedure (issue 18): VNeID help,
    picking up a result, feedback, reading a paper aloud ..."""

    id: str
    """Short id, e.g. "vneid_help"."""
    code: str
    """Its code in the slip's QR payload: two or three upper-case letters, e.g. "VN"
    (``cases.codec``); never changed once slips carry it."""
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

    @property
    def bring_text(self) -> str:
        """The things to bring as one list, as the service screen says it and the studio
        records it (one text, so the recorded clip always matches)."""
        return "; ".join(self.bring)


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
    icon: str = ""
    """Meaning id of its picture, ``group/<id>`` (``procedures.pictures``)."""


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
