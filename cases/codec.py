"""The signed QR payload: a whole case in about 55 characters the desk can trust offline.

Format ``H1`` (fields joined by ``-``; every character is in the QR alphanumeric set, uppercase,
and typed the same by a keyboard-wedge scanner on any layout)::

    H1-T1-U012-1.001193-C0FF-10C-1A2B3C-0123456789ABCDEF
    │  │  │    │        │    │   │      └ tag: HMAC-SHA256 over everything before it,
    │  │  │    │        │    │   │        first 80 bits, base 32 (16 characters)
    │  │  │    │        │    │   └ time: seconds since 2025-01-01 00:00 local time, base 36
    │  │  │    │        │    └ priority reason (digit), needs bitmask (base 32), delivery C|P
    │  │  │    │        └ paper count (base 36) + have-bitmask (base 32, bit i = paper i),
    │  │  │    │          then, only when some paper does not apply to this resident,
    │  │  │    │          "." + not-needed bitmask (base 32, same width), e.g. "6C.0G",
    │  │  │    │          then, only when the resident has one of a paper's alternatives,
    │  │  │    │          "W" + for each such paper, by paper index: its index and the
    │  │  │    │          alternative's index (base 36 digits), e.g. "7D.0GW2031" (paper 2:
    │  │  │    │          alternative 0; paper 3: alternative 1)
    │  │  │    └ national procedure code, or for a visit about one of the centre's services
    │  │  │      its code (``procedures.Service.code``: two or three letters, "KQ"), then for
    │  │  │      feedback "." + its topic's number (``cases.case.FEEDBACK_TOPICS``) and "C"
    │  │  │      when an officer is to call back (never the number), "GY.2", "GY.3C";
    │  │  │      a service case has no papers: the papers part is "0"
    │  │  └ ticket: U (priority) or A, then the number in decimal (``Ticket.number``:
    │  │    unique in the centre for the day, see ``cases.case.centre_number``)
    │  └ terminal id (1 to 4 uppercase letters or digits)
    └ magic letter H and format version 1

Base 32 digits are ``0-9A-V`` and base 36 digits ``0-9A-Z``; "W" never appears in a base 32
mask, so it marks where the alternatives begin. Every number is written in its one canonical
form (no leading zeros, pairs in paper order), so one case has exactly one payload.

Scanners: a keyboard-wedge scanner with Caps Lock on types lower case, and scanners often add a
newline; ``decode`` therefore strips surrounding whitespace and upper-cases the text before
checking it. The alphabet has no lower-case letters, so this cannot change the meaning.

Refusals, checked in this order: ``malformed`` (wrong characters, length or field shape),
``version`` (a later or unknown format), ``tag`` (not signed with this centre's key: a forged
or damaged payload), ``procedure`` (a code the catalogue does not have, or a different number of
papers than the catalogue says; a service code the catalogue does not have), ``expired`` (signed
with a retired centre key whose grace period is over: see ``cases.keys``). ``decode`` never
raises anything but ``PayloadError``.

Keys: ``encode`` and ``decode`` take one key (bytes) or a sequence of keys. ``encode`` signs with
the first (the current key); ``decode`` accepts a tag made with any of them (the current key and
the retired keys still in their grace period), comparing each in constant time, and when none
matches but one of ``retired`` (keys past their grace period) does, refuses with ``expired``.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from cases.case import (
    DESK_TERMINAL_ID,
    FEEDBACK_TOPICS,
    Case,
    Delivery,
    Need,
    Priority,
    Ticket,
)

VERSION = 1
MAGIC = "H"
SEPARATOR = "-"
ALPHABET = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-.:/")
"""Characters a payload may hold: QR alphanumeric minus space, $, %, * and + (scanners, URLs)."""
MAX_LENGTH = 96
"""Longest text ``decode`` looks at; anything longer is malformed (real payloads are < 64)."""
ALTERNATIVES_MARK = "W"
"""Starts the list of (paper, alternative) pairs in the papers field; not a base 32 digit."""
TAG_BYTES = 10
"""80-bit tag: a forger has one chance in 2**80 per try."""
EPOCH = datetime(2025, 1, 1)
"""Times are seconds since this moment (naive local time, like ``Case.created``)."""
MAX_PAPERS = 35
MIN_KEY_BYTES = 16
_DOMAIN = b"hotro-slip-v1\x00"

_B32 = "0123456789ABCDEFGHIJKLMNOPQRSTUV"
_B36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

PRIORITY_CODES: dict[Priority, str] = {
    Priority.NONE: "0",
    Priority.ELDERLY: "1",
    Priority.DISABLED: "2",
    Priority.PREGNANT: "3",
    Priority.SMALL_CHILD: "4",
    Priority.SERIOUSLY_ILL: "5",
}
"""Fixed codes; never renumber (printed slips carry them)."""
NEED_BITS: dict[Need, int] = {
    Need.HARD_OF_HEARING: 1,
    Need.LOW_VISION: 2,
    Need.WRITING_HELP: 4,
    Need.WHEELCHAIR: 8,
}
DELIVERY_CODES: dict[Delivery, str] = {Delivery.CENTRE: "C", Delivery.POST: "P"}

_TERMINAL = re.compile(r"[A-Z0-9]{1,4}")
_TICKET = re.compile(r"([UA])([1-9][0-9]{0,3})")
_CODE = re.compile(r"[0-9A-Z][0-9A-Z.]{0,15}")
_VERSION_FIELD = re.compile(r"H([0-9A-Z]{1,3})")
_SERVICE = re.compile(r"([A-Z]{2,3})(?:\.([1-9])(C?))?")
"""A service's code and, for feedback, its topic's number and the call-back mark (letters
only: never a procedure)."""
_T = TypeVar("_T")


class PayloadError(ValueError):
    """A payload was refused. ``reason`` says why; ``str(e)`` is one plain English sentence."""

    REASONS = ("malformed", "version", "tag", "procedure", "expired")

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class _Procedure(Protocol):
    @property
    def papers(self) -> tuple[object, ...]: ...


class _Service(Protocol):
    @property
    def id(self) -> str: ...


class _Catalogue(Protocol):
    def get(self, code: str) -> _Procedure | None: ...


class _Services(Protocol):
    def service_by_code(self, code: str) -> _Service | None: ...
    def service(self, service_id: str) -> _Service | None: ...


def _to_base(value: int, digits: str) -> str:
    if value == 0:
        return digits[0]
    out = []
    base = len(digits)
    while value:
        value, rest = divmod(value, base)
        out.append(digits[rest])
    return "".join(reversed(out))


def _from_base(text: str, digits: str, what: str) -> int:
    """Strict, canonical parse: only ``digits``, no sign, no leading zero."""
    if not text:
        raise PayloadError("malformed", f"The {what} is empty.")
    if len(text) > 1 and text[0] == "0":
        raise PayloadError("malformed", f"The {what} has a leading zero.")
    value = 0
    for char in text:
        index = digits.find(char)
        if index < 0:
            raise PayloadError("malformed", f"The {what} has a character {char!r} it cannot hold.")
        value = value * len(digits) + index
    return value


def _tag(body: str, key: bytes) -> str:
    digest = hmac.new(key, _DOMAIN + body.encode("ascii"), hashlib.sha256).digest()
    number = int.from_bytes(digest[:TAG_BYTES], "big")
    return _to_base(number, _B32).rjust(TAG_BYTES * 8 // 5, "0")


def _check_key(key: bytes) -> None:
    if not isinstance(key, bytes | bytearray) or len(key) < MIN_KEY_BYTES:
        raise ValueError(f"the centre key must be at least {MIN_KEY_BYTES} bytes")


Keys = bytes | bytearray | Sequence[bytes]
"""One key, or several with the current (signing) key first."""


def _keys(keys: Keys) -> tuple[bytes, ...]:
    """``keys`` as a non-empty tuple of checked keys. Raises ValueError."""
    if isinstance(keys, bytes | bytearray):
        found: tuple[bytes, ...] = (bytes(keys),)
    elif isinstance(keys, str) or not isinstance(keys, Sequence):
        raise ValueError("the centre key must be bytes or a sequence of bytes")
    else:
        found = tuple(keys)
    if not found:
        raise ValueError("no centre key given")
    for key in found:
        _check_key(key)
    return tuple(bytes(key) for key in found)


def _signed_by_any(body: str, tag: str, keys: tuple[bytes, ...]) -> bool:
    """Whether ``tag`` is the tag of ``body`` under one of ``keys``; every key is compared in
    constant time and all are tried, so the time taken does not tell which one matched."""
    matched = False
    for key in keys:
        matched |= hmac.compare_digest(_tag(body, key), tag)
    return matched


def _mask_text(bits: Sequence[bool]) -> str:
    mask = sum(1 << i for i, bit in enumerate(bits) if bit)
    width = (len(bits) + 4) // 5
    return _to_base(mask, _B32).rjust(width, "0") if width else ""


def _have_field(
    have: tuple[bool, ...], not_needed: frozenset[int], chosen: frozenset[tuple[int, int]]
) -> str:
    text = _B36[len(have)] + _mask_text(have)
    if not_needed:
        text += "." + _mask_text([i in not_needed for i in range(len(have))])
    if chosen:
        text += ALTERNATIVES_MARK + "".join(_B36[i] + _B36[k] for i, k in sorted(chosen))
    return text


def service_field(code: str, topic: str = "", call_back: bool = False) -> str:
    """The payload's procedure part for a service: its code, and for feedback "." + the
    topic's number and "C" for a call back ("GY.2", "GY.2C"). Raises ValueError."""
    if not _SERVICE.fullmatch(code) or "." in code:
        raise ValueError(f"service code {code!r}: expected two or three letters A-Z")
    if not topic:
        if call_back:
            raise ValueError("a call back goes with feedback (a topic)")
        return code
    if topic not in FEEDBACK_TOPICS:
        raise ValueError(f"topic {topic!r}: expected one of {FEEDBACK_TOPICS}")
    return f"{code}.{FEEDBACK_TOPICS.index(topic) + 1}{'C' if call_back else ''}"


def encode(case: Case, key: Keys, catalogue: _Services | None = None) -> str:
    """The signed payload of ``case``, signed with ``key`` (the first key of a sequence).
    A case about a service needs the ``catalogue`` (for the service's QR code).

    Raises ValueError for a case that cannot be encoded.
    """
    key = _keys(key)[0]
    if not _TERMINAL.fullmatch(case.terminal_id):
        raise ValueError(f"terminal id {case.terminal_id!r}: expected 1 to 4 uppercase A-Z/0-9")
    if not 1 <= case.ticket.number <= 9999:
        raise ValueError(f"ticket number {case.ticket.number}: expected 1..9999")
    if case.service:
        service = catalogue.service(case.service) if catalogue is not None else None
        if service is None or not hasattr(service, "code"):
            raise ValueError(f"service {case.service!r}: not in the catalogue given")
        if case.procedure_code or case.have:
            raise ValueError(f"service {case.service!r}: a service case has no procedure, papers")
        what = service_field(str(service.code), case.topic, case.call_back)
    elif not _CODE.fullmatch(case.procedure_code) or _SERVICE.fullmatch(case.procedure_code):
        raise ValueError(f"procedure code {case.procedure_code!r}: expected digits and dots")
    else:
        what = case.procedure_code
    if len(case.have) > MAX_PAPERS:
        raise ValueError(f"{len(case.have)} papers: at most {MAX_PAPERS} fit the payload")
    if any(not 0 <= i < len(case.have) or case.have[i] for i in case.not_needed):
        raise ValueError(f"not_needed {sorted(case.not_needed)}: expected papers not had")
    papers = [i for i, _ in case.chosen]
    if len(set(papers)) != len(papers) or any(
        not 0 <= i < len(case.have) or not case.have[i] or not 0 <= k < len(_B36)
        for i, k in case.chosen
    ):
        raise ValueError(
            f"chosen {sorted(case.chosen)}: expected one alternative (0-35) per paper had"
        )
    seconds = (case.created - EPOCH) // timedelta(seconds=1)
    if seconds < 0 or case.created.tzinfo is not None:
        raise ValueError(f"created {case.created}: expected a naive local time after {EPOCH}")
    needs = sum(NEED_BITS[need] for need in case.needs)
    body = SEPARATOR.join(
        (
            f"{MAGIC}{VERSION}",
            case.terminal_id,
            f"{'U' if case.ticket.priority else 'A'}{case.ticket.number}",
            what,
            _have_field(case.have, case.not_needed, case.chosen),
            PRIORITY_CODES[case.priority] + _B32[needs] + DELIVERY_CODES[case.delivery],
            _to_base(seconds, _B36),
        )
    )
    return body + SEPARATOR + _tag(body, key)


def decode(
    payload: str, key: Keys, catalogue: _Catalogue, *, retired: Sequence[bytes] = ()
) -> Case:
    """The case a payload carries, after checking its tag against ``key`` (one key or several).

    ``retired``: keys no longer accepted; a payload signed with one of them is refused with the
    reason ``expired`` rather than ``tag``. Raises PayloadError, nothing else.
    """
    try:
        return _decode(payload, key, catalogue, retired)
    except PayloadError:
        raise
    except Exception as exc:  # the promise: no other exception escapes, whatever the input
        raise PayloadError("malformed", f"The payload cannot be read ({exc}).") from None


def _decode(
    payload: str, key: Keys, catalogue: _Catalogue, retired: Sequence[bytes] = ()
) -> Case:
    keys = _keys(key)
    if not isinstance(payload, str):
        raise PayloadError("malformed", "The payload is not text.")
    text = payload.strip().upper()
    if not text:
        raise PayloadError("malformed", "The payload is empty.")
    if len(text) > MAX_LENGTH:
        raise PayloadError(
            "malformed", f"The payload has {len(text)} characters; a slip has at most 64."
        )
    bad = sorted(set(text) - ALPHABET)
    if bad:
        raise PayloadError(
            "malformed",
            f"The payload holds {''.join(bad)!r}, which a slip code never contains.",
        )
    fields = text.split(SEPARATOR)
    version = _VERSION_FIELD.fullmatch(fields[0])
    if version is None:
        raise PayloadError("malformed", "This is not a hotro slip code (it must start with H).")
    if version.group(1) != str(VERSION):
        raise PayloadError(
            "version",
            f"The slip code has format version {version.group(1)}; this program reads "
            f"version {VERSION}. Update the program.",
        )
    if len(fields) != 8:
        raise PayloadError("malformed", f"The slip code has {len(fields)} parts; expected 8.")
    _, terminal, ticket_text, code, have_text, flags, time_text, tag = fields
    if not _TERMINAL.fullmatch(terminal):
        raise PayloadError("malformed", f"The terminal id {terminal!r} is not valid.")
    ticket_match = _TICKET.fullmatch(ticket_text)
    if ticket_match is None:
        raise PayloadError("malformed", f"The ticket {ticket_text!r} is not valid.")
    if not _CODE.fullmatch(code):
        raise PayloadError("malformed", f"The procedure code {code!r} is not valid.")
    have, not_needed, chosen = _parse_have(have_text)
    if len(flags) != 3:
        raise PayloadError("malformed", "The priority, needs and delivery part is not valid.")
    priority = _lookup(PRIORITY_CODES, flags[0], "priority reason")
    needs_mask = _from_base(flags[1], _B32, "needs part")
    if needs_mask >= 16:
        raise PayloadError("malformed", "The needs part names an unknown need.")
    needs = frozenset(need for need, bit in NEED_BITS.items() if needs_mask & bit)
    delivery = _lookup(DELIVERY_CODES, flags[2], "delivery")
    seconds = _from_base(time_text, _B36, "time")
    if len(time_text) > 7:
        raise PayloadError("malformed", "The time is out of range.")
    if len(tag) != TAG_BYTES * 8 // 5 or set(tag) - set(_B32):
        raise PayloadError("malformed", "The signature part has the wrong length or characters.")
    body = text[: -len(tag) - 1]
    if not _signed_by_any(body, tag, keys):
        if retired and _signed_by_any(body, tag, _keys(tuple(retired))):
            raise PayloadError(
                "expired",
                "The slip was signed with a retired centre key whose grace period is over; "
                "the key was changed with `hotro keys rotate`.",
            )
        raise PayloadError(
            "tag",
            "The signature does not match: the slip was changed, damaged, or made with "
            "another centre's key.",
        )
    service, topic, call_back = _service_of(code, catalogue, have)
    if not service:
        procedure = catalogue.get(code)
        if procedure is None:
            raise PayloadError("procedure", f"The catalogue has no procedure {code}.")
        if len(procedure.papers) != len(have):
            raise PayloadError(
                "procedure",
                f"Procedure {code} has {len(procedure.papers)} papers in this catalogue, but "
                f"the slip lists {len(have)}; the catalogue changed since the slip was printed.",
            )
        for i, k in sorted(chosen):
            if k >= len(getattr(procedure.papers[i], "alternatives", ())):
                raise PayloadError(
                    "procedure",
                    f"Paper {i + 1} of procedure {code} has no alternative {k + 1} in this "
                    "catalogue; the catalogue changed since the slip was printed.",
                )
    return Case(
        terminal_id=terminal,
        ticket=Ticket(
            int(ticket_match.group(2)), ticket_match.group(1) == "U", terminal == DESK_TERMINAL_ID
        ),
        procedure_code="" if service else code,
        have=have,
        not_needed=not_needed,
        chosen=chosen,
        priority=priority,
        needs=needs,
        delivery=delivery,
        created=EPOCH + timedelta(seconds=seconds),
        service=service,
        topic=topic,
        call_back=call_back,
    )


def _service_of(
    code: str, catalogue: _Catalogue, have: tuple[bool, ...]
) -> tuple[str, str, bool]:
    """(service id, feedback topic, call back) of a payload's procedure part; ("", "", False)
    for a procedure."""
    found = _SERVICE.fullmatch(code)
    if found is None:
        return "", "", False
    lookup = getattr(catalogue, "service_by_code", None)
    service = lookup(found.group(1)) if lookup is not None else None
    if service is None:
        raise PayloadError("procedure", f"The catalogue has no service with the code {code}.")
    if have:
        raise PayloadError("malformed", "A slip for a service lists no papers.")
    number = found.group(2)
    if number is not None and int(number) > len(FEEDBACK_TOPICS):
        raise PayloadError("malformed", f"The topic {number} of the slip is unknown.")
    topic = FEEDBACK_TOPICS[int(number) - 1] if number else ""
    return str(service.id), topic, found.group(3) == "C"


def _parse_have(
    text: str,
) -> tuple[tuple[bool, ...], frozenset[int], frozenset[tuple[int, int]]]:
    if not text:
        raise PayloadError("malformed", "The papers part is empty.")
    count = _B36.find(text[0])
    if count < 0:
        raise PayloadError("malformed", "The paper count is not valid.")
    masks, mark, pairs_text = text[1:].partition(ALTERNATIVES_MARK)
    have_text, dot, skip_text = masks.partition(".")
    have_mask = _parse_mask(have_text, count)
    skip_mask = _parse_mask(skip_text, count) if dot else 0
    if dot and not skip_mask:
        raise PayloadError("malformed", "The papers part has an empty not-needed list.")
    if have_mask & skip_mask:
        raise PayloadError("malformed", "The papers part marks a paper both had and not needed.")
    have = tuple(bool(have_mask >> i & 1) for i in range(count))
    chosen = _parse_pairs(pairs_text, have) if mark else frozenset()
    return have, frozenset(i for i in range(count) if skip_mask >> i & 1), chosen


def _parse_pairs(text: str, have: tuple[bool, ...]) -> frozenset[tuple[int, int]]:
    """(paper, alternative) pairs: two base 36 digits each, papers in increasing order."""
    if not text or len(text) % 2:
        raise PayloadError("malformed", "The alternatives part is empty or cut short.")
    pairs = []
    for j in range(0, len(text), 2):
        paper, alternative = _B36.find(text[j]), _B36.find(text[j + 1])
        if paper < 0 or alternative < 0:
            raise PayloadError("malformed", "The alternatives part has a character it cannot hold.")
        if paper >= len(have) or not have[paper]:
            raise PayloadError("malformed", "The alternatives part names a paper not had.")
        if pairs and paper <= pairs[-1][0]:
            raise PayloadError("malformed", "The alternatives part is not in paper order.")
        pairs.append((paper, alternative))
    return frozenset(pairs)


def _parse_mask(text: str, count: int) -> int:
    width = (count + 4) // 5
    if len(text) != width:
        raise PayloadError("malformed", "The papers part does not match the paper count.")
    mask = 0
    for char in text:
        digit = _B32.find(char)
        if digit < 0:
            raise PayloadError("malformed", "The papers part has a character it cannot hold.")
        mask = mask * 32 + digit
    if mask >> count:
        raise PayloadError("malformed", "The papers part marks a paper beyond the count.")
    return mask


def _lookup(table: dict[_T, str], char: str, what: str) -> _T:
    for value, code in table.items():
        if code == char:
            return value
    raise PayloadError("malformed", f"The {what} code {char!r} is unknown.")


_LOOKS_LIKE = re.compile(r"H[0-9A-Z]{1,3}(-[0-9A-Z.:/]+){6,}")


def looks_like_payload(text: str) -> bool:
    """Whether ``text`` has the shape of a slip code (any version), without checking it: what a
    scanner typed into the wrong box (a PIN box, say) is told apart from a PIN this way."""
    return isinstance(text, str) and len(text) <= MAX_LENGTH + 8 and bool(
        _LOOKS_LIKE.fullmatch(text.strip().upper())
    )


def payload_length_limit(papers: int, choices: int = 0) -> int:
    """Longest payload for a procedure with ``papers`` papers, ``choices`` of which have
    alternatives (4-char terminal id, ticket 9999)."""
    have = 1 + 2 * ((papers + 4) // 5) + 1  # count, have-mask, "." and not-needed mask
    if choices:
        have += 1 + 2 * choices  # "W" and a pair per paper
    return 2 + 1 + 4 + 1 + 5 + 1 + 16 + 1 + have + 1 + 3 + 1 + 7 + 1 + TAG_BYTES * 8 // 5


def case_to_dict(case: Case) -> dict[str, object]:
    """The case as plain JSON-ready values (for ``hotro handoff decode --json`` and the desk)."""
    return {
        "terminal_id": case.terminal_id,
        "ticket": case.ticket.label,
        "ticket_number": case.ticket.number,
        "priority_ticket": case.ticket.priority,
        "procedure_code": case.procedure_code,
        "have": list(case.have),
        "missing": list(case.missing),
        "not_needed": sorted(case.not_needed),
        "chosen": {str(i): k for i, k in sorted(case.chosen)},
        "priority": case.priority.value,
        "needs": sorted(need.value for need in case.needs),
        "delivery": case.delivery.value,
        "created": case.created.isoformat(),
        "service": case.service,
        "topic": case.topic,
        "call_back": case.call_back,
    }
