"""What the slip says, as pure data: each line's printed text and how it is read aloud.

The words come from the phrase pack (``voices/phrases/<lang>/slip.yaml``, ids ``slip_*``) and
from the catalogue (paper names, where to get them, fee, time); nothing is written here. The
same ``Slip`` is rendered to an image (``printer.render``) and read aloud by the terminal
(``Slip.spoken``), so the print and the voice cannot drift apart.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from cases.case import Case, Delivery
from procedures.model import Need, Procedure, Service

if TYPE_CHECKING:
    from voices.phrases import PhrasePack

NBSP = "\u00a0"
"""No-break space: the renderer wraps only at ordinary spaces."""

KINDS = (
    "title", "caption", "ticket", "heading", "have", "missing", "where", "info", "qr", "bring",
    "service",
)
"""Line kinds; the renderer styles each kind (``caption``: small centred text over the ticket;
``bring``: a thing to bring for a service, with an empty box to tick; ``service``: what a
service slip says first, read first too: the feedback's topic, the call back, where to go)."""


@dataclass(frozen=True, slots=True)
class SlipLine:
    """One printed item (it may wrap onto several printed lines)."""

    kind: str
    """One of ``KINDS``: how it is drawn."""
    text: str
    """Printed text, NFC."""
    spoken: str
    """What the terminal says for it, NFC."""
    icon: str = ""
    """Meaning id of the picture printed at the start of the line (a paper's, e.g.
    ``paper/id_card``: ``have`` and ``missing`` lines); "" for none."""


@dataclass(frozen=True, slots=True)
class Slip:
    """A whole slip: its lines in print order and the QR payload."""

    lines: tuple[SlipLine, ...]
    payload: str
    """The signed payload drawn as the QR code (``cases.codec``)."""

    @property
    def spoken(self) -> tuple[str, ...]:
        """Everything printed, as the terminal reads it aloud, in print order."""
        return tuple(line.spoken for line in self.lines if line.spoken)

    def of_kind(self, kind: str) -> tuple[SlipLine, ...]:
        return tuple(line for line in self.lines if line.kind == kind)


def _nfc(text: str) -> str:
    """NFC, with runs of ordinary white space (not no-break spaces) made single spaces."""
    return unicodedata.normalize("NFC", " ".join(text.replace(NBSP, "\0").split())).replace(
        "\0", NBSP
    )


def build_slip(
    case: Case,
    procedure: Procedure,
    centre_name: str,
    centre_phone: str,
    payload: str,
    lang: str = "vi",
) -> Slip:
    """The slip for ``case``: ticket, papers had and missing, where to get them, fee, time..."""
    from voices.phrases import load_pack  # phrase packs are shared data, loaded once (cached)

    if len(case.have) != len(procedure.papers):
        raise ValueError(
            f"case has {len(case.have)} paper answers, procedure {procedure.code} has "
            f"{len(procedure.papers)} papers"
        )
    pack = load_pack(lang)
    lines: list[SlipLine] = []
    add = _adder(pack, lines)
    _opening(lines, add, case, centre_name, procedure.short_name)

    add("info", "slip_papers_heading")
    joiner = f", {pack.screen('slip_or')} "
    for i, (paper, has) in enumerate(zip(procedure.papers, case.have, strict=True)):
        if i in case.not_needed:
            continue  # only needed in a case that is not this resident's: left off the slip
        if has:
            which = paper.alternative(case.chosen_for(i))
            if which is not None:  # the picture of the one she has: a phone for VNeID
                add("have", "slip_have_which", icon=which.icon, paper=paper.short,
                    which=which.in_sentence)  # fmt: skip
            else:
                add("have", "slip_have", icon=paper.icon, paper=paper.short)
            continue
        if paper.need is not Need.ALWAYS and paper.when:
            add("missing", "slip_if_needed", icon=paper.icon, paper=paper.short)
            when = _nfc(paper.when)
            lines.append(SlipLine("where", when, when))
        else:
            add("missing", "slip_missing", icon=paper.icon, paper=paper.short)
        if paper.alternatives:
            names = [paper.alternatives[0].name, *(a.in_sentence for a in paper.alternatives[1:])]
            add("where", "slip_any_of", alternatives=joiner.join(names))
        add("where", "slip_where", where=paper.where_to_get)
    if not case.missing:
        add("info", "slip_all_papers")

    add("info", "slip_fee", fee=procedure.fee)
    add("info", "slip_time", time=procedure.time)
    add(
        "info",
        "slip_delivery_post" if case.delivery is Delivery.POST else "slip_delivery_centre",
    )
    _closing(add, case.created, centre_phone)
    return Slip(tuple(lines), payload)


Add = Callable[..., None]
"""``add(kind, phrase_id, spoken=None, icon="", **params)``: a line from the phrase pack;
``spoken`` overrides values for the voice (a phone number digit by digit); ``icon`` names the
picture printed at the start of the line."""


def _adder(pack: PhrasePack, lines: list[SlipLine]) -> Add:
    def add(
        kind: str,
        phrase_id: str,
        spoken: dict[str, str] | None = None,
        icon: str = "",
        **params: str,
    ) -> None:
        """A line from the pack; ``spoken`` overrides values for the voice (digit by digit)."""
        screen = pack.get(phrase_id, **{k: _nfc(v) for k, v in params.items()}).screen
        voice = pack.get(phrase_id, **{k: _nfc(v) for k, v in {**params, **(spoken or {})}.items()})
        lines.append(SlipLine(kind, _nfc(screen), _nfc(voice.spoken), icon))

    return add


def _opening(lines: list[SlipLine], add: Add, case: Case, centre_name: str, heading: str) -> None:
    """The centre, the ticket (large) and what the visit is about (the heading bar)."""
    name = _nfc(centre_name)
    lines.append(SlipLine("title", name, name))
    caption = "slip_ticket_caption_priority" if case.ticket.priority else "slip_ticket_caption"
    add("caption", caption)
    add("ticket", "slip_ticket", letter=case.ticket.letter, number=f"{case.ticket.number:03d}")
    short = _nfc(heading)
    lines.append(SlipLine("heading", short, short))


def _closing(add: Add, created: datetime, centre_phone: str, qr: bool = True) -> None:
    """The centre's phone, when the slip was printed, the QR code (unless ``qr`` is False)."""
    if centre_phone.strip():
        # a phone number never breaks across lines: its spaces become no-break spaces
        groups = centre_phone.split()
        add(
            "info",
            "slip_phone",
            spoken={"phone": ", ".join(" ".join(group) for group in groups)},
            phone=NBSP.join(groups),
        )
    add(
        "info",
        "slip_printed_at",
        time=created.strftime("%H:%M"),
        date=created.strftime("%d/%m/%Y"),
    )
    if qr:
        add("qr", "slip_qr")


def build_service_slip(
    case: Case,
    service: Service,
    centre_name: str,
    centre_phone: str,
    payload: str,
    lang: str = "vi",
) -> Slip:
    """The short slip of a visit for one of the centre's services (issue 18): the ticket, the
    service, (for feedback: what it is about, and that an officer will call back — never the
    number), what to bring, which counter, the centre's phone, the time and the QR code. No
    checklist of papers."""
    from voices.phrases import load_pack

    if case.service != service.id:
        raise ValueError(f"case is about {case.service!r}, not the service {service.id!r}")
    pack = load_pack(lang)
    lines: list[SlipLine] = []
    add = _adder(pack, lines)
    _opening(lines, add, case, centre_name, service.short_name)
    if case.topic:
        topic = pack.get(f"button_feedback_{case.topic}")
        add("service", "slip_feedback_topic", spoken={"topic": topic.spoken}, topic=topic.screen)
        if case.call_back:  # that an officer will call; never the number
            add("service", "slip_feedback_call_back")
    counter = pack.get(f"prompt_counter_{service.counter.value}")
    add("service", "slip_counter", spoken={"counter": counter.spoken}, counter=counter.screen)
    add("service", "slip_bring_heading")
    for thing in service.bring:
        add("bring", "slip_bring", thing=thing)
    _closing(add, case.created, centre_phone)
    return Slip(tuple(lines), payload)


def build_note(
    heading: str,
    lines: tuple[tuple[str, str], ...],
    centre_name: str,
    centre_phone: str,
    created: datetime,
    lang: str = "vi",
) -> Slip:
    """A short slip with no case and no QR code: the centre, a heading (e.g. where to go for
    something not done here), the given (printed, spoken) lines, the phone and the time."""
    from voices.phrases import load_pack

    pack = load_pack(lang)
    name = _nfc(centre_name)
    out = [SlipLine("title", name, name), SlipLine("heading", _nfc(heading), _nfc(heading))]
    out += [SlipLine("info", _nfc(text), _nfc(spoken)) for text, spoken in lines]
    _closing(_adder(pack, out), created, centre_phone, qr=False)
    return Slip(tuple(out), payload="")
