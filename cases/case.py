"""The case a visit produces: what the slip, the QR code, the journal and the desk share.

A case holds no personal identifier: no name, no ID-card number, no phone number. It says which
procedure, which papers the resident already has, why they get priority, what help they need and
how the result should come back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Priority(StrEnum):
    """Why a resident is served first. NONE is an ordinary ticket."""

    NONE = "none"
    ELDERLY = "elderly"
    DISABLED = "disabled"
    PREGNANT = "pregnant"
    SMALL_CHILD = "small_child"
    SERIOUSLY_ILL = "seriously_ill"


class Need(StrEnum):
    """Help the resident needs at the desk."""

    HARD_OF_HEARING = "hard_of_hearing"
    LOW_VISION = "low_vision"
    WRITING_HELP = "writing_help"
    WHEELCHAIR = "wheelchair"


class Delivery(StrEnum):
    """How the result comes back."""

    CENTRE = "centre"
    """The resident collects it at the centre."""
    POST = "post"
    """It is sent by post."""


FEEDBACK_TOPICS = ("staff_attitude", "waiting", "wrong_data", "suggestion", "other")
"""What a resident's feedback (phản ánh, kiến nghị) is about, in the order the terminal offers
them: staff attitude, waiting too long, wrong or duplicate data in a file, a suggestion, other.
Their position (1-based) is their code in the slip's QR payload: append, never reorder."""

DESK_TERMINAL_ID = "QUAY"
"""Terminal id of cases made at the desk for residents who come without a slip."""

MAX_SEQUENCE = 999
"""Tickets a terminal (or the desk) gives per working day and per letter."""


def centre_number(origin: int, sequence: int) -> int:
    """The ticket number shown, spoken and printed: unique in the centre for the day.

    ``origin``: the terminal's number 1..9, or 0 for the desk; ``sequence``: its count of the
    day, 1..999. Terminal 1 gives 101..199, then 1100..1999; terminal 2 gives 201..299, then
    2100..2999; the desk gives 1..999. So two machines never show the same number.
    """
    if not 0 <= origin <= 9 or not 1 <= sequence <= MAX_SEQUENCE:
        raise ValueError(f"origin {origin}, sequence {sequence}: expected 0..9 and 1..999")
    if origin == 0:
        return sequence
    return origin * 100 + sequence if sequence < 100 else origin * 1000 + sequence


@dataclass(frozen=True, slots=True)
class Ticket:
    """A queue ticket: the number of the day and a letter.

    Labels: ``U-105`` (priority) and ``A-105`` (ordinary) from a terminal, ``Q-007`` from the
    desk (the desk's tickets are one line, priority or not; the priority shows beside it).
    The same label is printed on the slip, shown at the desk and on the hall board, and spoken.
    """

    number: int
    """1..9999: ``centre_number`` for tickets made since the centre-wide labels; older slips
    carry the terminal's own count (1..999)."""
    priority: bool
    """A priority ticket: called before ordinary ones (see ``desk.queue``)."""
    desk: bool = False
    """Made at the desk (terminal id ``DESK_TERMINAL_ID``)."""

    @property
    def letter(self) -> str:
        return "Q" if self.desk else "U" if self.priority else "A"

    @property
    def label(self) -> str:
        return f"{self.letter}-{self.number:03d}"


@dataclass(frozen=True, slots=True)
class Case:
    """Everything a visit decided, ready for the slip, the QR code and the journal."""

    terminal_id: str
    """Short id of the terminal, uppercase letters and digits, e.g. "T1"."""
    ticket: Ticket
    """The queue ticket."""
    procedure_code: str
    """National procedure code, e.g. "1.001193"; "" for a visit about a ``service``."""
    have: tuple[bool, ...]
    """For each paper of the procedure, in catalogue order: does the resident have it."""
    not_needed: frozenset[int] = field(default_factory=frozenset)
    """Indexes of papers needed only in a stated case that does not apply to this resident
    (e.g. "only when someone else goes for you"). They are neither had nor missing: the slip
    leaves them out. Such a paper always has ``have[i]`` False."""
    chosen: frozenset[tuple[int, int]] = field(default_factory=frozenset)
    """For papers any one of several things will do for (``Paper.alternatives``): pairs
    (paper index, alternative index) of the one the resident has, at most one per paper. Such a
    paper has ``have[i]`` True. A had paper without a pair: which one is not known."""
    priority: Priority = Priority.NONE
    """Why they are served first."""
    needs: frozenset[Need] = field(default_factory=frozenset)
    """Help they need at the desk."""
    delivery: Delivery = Delivery.CENTRE
    """How the result comes back."""
    created: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))
    """Local time the case was made, to the second."""
    service: str = ""
    """The centre's own help the resident came for (``procedures.Service.id``: VNeID help,
    picking up a result, feedback ...), "" for a procedure. A service case has no procedure
    code and no papers."""
    topic: str = ""
    """For feedback: what it is about (one of ``FEEDBACK_TOPICS``); "" otherwise. Never a word
    the resident said or typed."""
    call_back: bool = False
    """For feedback: she asked an officer to call her back. Her number is never part of the
    case (the journal keeps it apart until the call is made)."""

    def chosen_for(self, paper: int) -> int | None:
        """Index of the alternative the resident has for ``paper``, or None."""
        return next((k for i, k in self.chosen if i == paper), None)

    @property
    def missing(self) -> tuple[int, ...]:
        """Indexes of the papers the resident still needs."""
        return tuple(
            i for i, has in enumerate(self.have) if not has and i not in self.not_needed
        )
