"""Evaluating the matcher on a set of phrasings with known answers.

A phrasings file is a YAML list of ``{q: text, code: "1.001193" | none, tags: [...]}``. Used by
the tests (which assert the figures) and by ``bench/match.py`` (which prints them).

Definitions:

* top-1: an in-scope query whose verdict is not ``none`` and whose best-ranked procedure is the
  expected one;
* top-3: the expected procedure is among the three best-ranked and the verdict is not ``none``;
* out-of-scope rate: the share of ``none`` queries that got the verdict ``none``;
* false none: in-scope queries that got ``none``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from procedures.catalogue import Catalogue
from procedures.matching import MatchResult, match

__all__ = [
    "Figures",
    "Outcome",
    "Phrasing",
    "Report",
    "Request",
    "RequestOutcome",
    "RequestReport",
    "evaluate",
    "evaluate_requests",
    "load_phrasings",
    "load_requests",
    "shortfalls",
]


@dataclass(frozen=True, slots=True)
class Phrasing:
    """One evaluation query."""

    query: str
    """What the resident says or types."""
    code: str | None
    """Expected procedure code, or None when the centre does not do it."""
    tags: tuple[str, ...] = ()
    """Labels such as plain, south, long, oos."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """One query's result."""

    phrasing: Phrasing
    result: MatchResult

    @property
    def rank(self) -> int | None:
        """1-based rank of the expected code among the ranked procedures, or None."""
        codes = [c.code for c in self.result.ranked]
        code = self.phrasing.code
        return codes.index(code) + 1 if code in codes else None

    @property
    def top1(self) -> bool:
        return self.result.verdict != "none" and self.rank == 1

    @property
    def top3(self) -> bool:
        rank = self.rank
        return self.result.verdict != "none" and rank is not None and rank <= 3


@dataclass(frozen=True, slots=True)
class Report:
    """Figures over a set of outcomes."""

    outcomes: tuple[Outcome, ...]

    @property
    def in_scope(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.phrasing.code is not None)

    @property
    def out_of_scope(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.phrasing.code is None)

    @property
    def top1(self) -> float:
        return _share(o.top1 for o in self.in_scope)

    @property
    def top3(self) -> float:
        return _share(o.top3 for o in self.in_scope)

    @property
    def verdict_match_correct(self) -> float:
        """Share of in-scope queries answered ``match`` with the right procedure."""
        return _share(o.result.verdict == "match" and o.top1 for o in self.in_scope)

    @property
    def none_rate(self) -> float:
        """Share of out-of-scope queries answered ``none``."""
        return _share(o.result.verdict == "none" for o in self.out_of_scope)

    @property
    def false_none(self) -> float:
        """Share of in-scope queries wrongly answered ``none``."""
        return _share(o.result.verdict == "none" for o in self.in_scope)

    def by_tag(self, tag: str) -> float:
        """Top-1 over the in-scope queries carrying ``tag``."""
        return _share(o.top1 for o in self.in_scope if tag in o.phrasing.tags)

    def summary(self) -> str:
        n_in, n_out = len(self.in_scope), len(self.out_of_scope)
        verdicts = {
            v: sum(o.result.verdict == v for o in self.in_scope) for v in ("match", "ask", "none")
        }
        tags = ", ".join(f"{t} {self.by_tag(t):.3f}" for t in ("plain", "south", "north", "long"))
        return "\n".join(
            [
                f"in-scope queries: {n_in}; out-of-scope queries: {n_out}",
                f"top-1 accuracy: {self.top1:.3f}   top-3 accuracy: {self.top3:.3f}",
                f"verdicts on in-scope: match {verdicts['match']}, ask {verdicts['ask']}, "
                f"none {verdicts['none']}; right match: {self.verdict_match_correct:.3f}",
                f"out-of-scope answered none: {self.none_rate:.3f}",
                f"top-1 by tag: {tags}",
            ]
        )

    def misses(self) -> list[str]:
        lines = []
        for o in self.outcomes:
            ok = o.top1 if o.phrasing.code else o.result.verdict == "none"
            if ok:
                continue
            ranked = ", ".join(f"{c.code} {c.score}" for c in o.result.ranked[:3])
            lines.append(
                f"{o.phrasing.query!r}: expected {o.phrasing.code or 'none'}, "
                f"got {o.result.verdict} [{ranked}] rank={o.rank}"
            )
        return lines


def _share(flags) -> float:  # type: ignore[no-untyped-def]
    items = list(flags)
    return sum(items) / len(items) if items else 0.0


def load_phrasings(path: Path) -> tuple[Phrasing, ...]:
    """Read a phrasings file (``code: none`` or null for out-of-scope)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for item in data:
        code = item["code"]
        code = None if code in (None, "none") else str(code)
        out.append(Phrasing(str(item["q"]), code, tuple(item.get("tags", ()))))
    return tuple(out)


def evaluate(phrasings: tuple[Phrasing, ...], catalogue: Catalogue) -> Report:
    """Match every phrasing against ``catalogue``."""
    return Report(tuple(Outcome(p, match(p.query, catalogue, top=10)) for p in phrasings))


# ---------------------------------------------------------------------------------------------
# Requests written blind, in four styles (tests/procedures/requests_*.yaml)
# ---------------------------------------------------------------------------------------------

STYLES = ("asr", "narrative", "regional", "typing")
"""Recogniser transcripts, long stories, regional speech, short typing."""
LABELS = ("clear", "ambiguous", "service", "none")


@dataclass(frozen=True, slots=True)
class Request:
    """One request of a blind set: ``{text, style, label, codes | service | topic, note}``."""

    text: str
    style: str
    """asr, narrative, regional or typing."""
    label: str
    """clear (one right code), ambiguous (2-4 right codes), service or none."""
    codes: tuple[str, ...] = ()
    """The right procedure codes (clear: one; ambiguous: 2-4)."""
    service: str | None = None
    """For ``service``: the centre's own help asked for (vneid_help, read_aloud ...)."""
    topic: str | None = None
    """For ``none``: what it is about (id_card, divorce ... or other)."""
    note: str = ""
    writer: str = ""
    """Who wrote it (set-A, set-B ...): figures per writer show what tuning on one writer's
    requests does for another's (leave-one-writer-out)."""

    @property
    def answers(self) -> tuple[str, ...]:
        """The right codes (clear, ambiguous) or the service id (service); none: nothing."""
        return self.codes or ((self.service,) if self.service else ())


def load_requests(path: Path) -> tuple[Request, ...]:
    """Read a request set; a malformed item raises ``ValueError`` naming the item."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a list of requests")
    out = []
    for i, item in enumerate(data, start=1):
        where = f"{path.name}: item {i}"
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise ValueError(f"{where}: needs a text")
        style, label = item.get("style"), item.get("label")
        if style not in STYLES or label not in LABELS:
            raise ValueError(f"{where}: style {style!r} / label {label!r} not known")
        codes = tuple(str(c) for c in item.get("codes") or ())
        if label == "clear" and len(codes) != 1 or label == "ambiguous" and len(codes) < 2:
            raise ValueError(f"{where}: {label} request with codes {list(codes)}")
        if label == "service" and not item.get("service"):
            raise ValueError(f"{where}: a service request without its service id")
        if label == "none" and not item.get("topic"):
            raise ValueError(f"{where}: a none request without its topic id")
        out.append(
            Request(
                text=item["text"],
                style=style,
                label=label,
                codes=codes,
                service=item.get("service"),
                topic=item.get("topic"),
                note=str(item.get("note") or ""),
                writer=str(item.get("writer") or ""),
            )
        )
    return tuple(out)


@dataclass(frozen=True, slots=True)
class RequestOutcome:
    """One request's result, judged as the terminal would present it."""

    request: Request
    result: MatchResult

    @property
    def offered(self) -> tuple[str, ...]:
        """What the terminal offers: the match, or the ask's numbered list (none: nothing)."""
        return tuple(c.code for c in self.result.candidates)

    @property
    def top1(self) -> bool:
        """The first procedure (or service) offered is a right one."""
        return bool(self.offered) and self.offered[0] in self.request.answers

    @property
    def top3(self) -> bool:
        """A right procedure is among the first three offered."""
        return any(code in self.request.answers for code in self.offered[:3])

    @property
    def none(self) -> bool:
        return self.result.verdict == "none"

    @property
    def referral_id(self) -> str | None:
        return self.result.referral.id if self.result.referral else None

    @property
    def ok(self) -> bool:
        """Right by its label's own measure."""
        label = self.request.label
        if label == "clear":
            return self.top1
        if label == "ambiguous":
            return self.top3
        if label == "none":
            return self.none
        return self.top1  # service: the right service first


@dataclass(frozen=True, slots=True)
class Figures:
    """The figures of one style (or of all), each a share 0-1 with its count."""

    clear_top1: tuple[float, int]
    ambiguous_top3: tuple[float, int]
    false_none: tuple[float, int]
    """In-scope requests (clear, ambiguous and service) answered ``none``: a resident asking
    for VNeID help must not hear "not done here" either."""
    out_of_scope_none: tuple[float, int]
    referral_hit: tuple[float, int]
    """Of the ``none`` requests whose topic has a referral: answered ``none`` with it."""
    service_top1: tuple[float, int]
    """Service requests: the right service offered first (as clear requests are counted)."""


DONE_WHEN = {
    "clear_top1": (">=", 0.9),
    "ambiguous_top3": (">=", 0.9),
    "false_none": ("<", 1 / 30),
    "out_of_scope_none": (">=", 0.9),
    "referral_hit": (">=", 0.9),
}
"""Issue 12's "done when", on requests nobody tuned for (``Figures`` field: rule, bound)."""


def shortfalls(figures: Figures) -> list[str]:
    """The "done when" figures that ``figures`` does not reach, in words (empty: all reached)."""
    out = []
    for name, (rule, bound) in DONE_WHEN.items():
        value, n = getattr(figures, name)
        if n == 0:
            out.append(f"{name}: no requests of that kind")
            continue
        ok = value >= bound if rule == ">=" else value < bound
        if not ok:
            out.append(f"{name} = {value:.3f} over {n}, needs {rule} {bound:.3f}")
    return out


def _rate(flags: list[bool]) -> tuple[float, int]:
    return (sum(flags) / len(flags) if flags else float("nan"), len(flags))


@dataclass(frozen=True, slots=True)
class RequestReport:
    """Figures over a blind request set, per style and in all."""

    outcomes: tuple[RequestOutcome, ...]
    referral_ids: frozenset[str] = frozenset()

    def figures(self, style: str | None = None, writer: str | None = None) -> Figures:
        """The figures of one style and/or one writer (None: all)."""
        os_ = [
            o
            for o in self.outcomes
            if (style is None or o.request.style == style)
            and (writer is None or o.request.writer == writer)
        ]
        by = {label: [o for o in os_ if o.request.label == label] for label in LABELS}
        in_scope = by["clear"] + by["ambiguous"] + by["service"]
        listed = [o for o in by["none"] if o.request.topic in self.referral_ids]
        return Figures(
            clear_top1=_rate([o.top1 for o in by["clear"]]),
            ambiguous_top3=_rate([o.top3 for o in by["ambiguous"]]),
            false_none=_rate([o.none for o in in_scope]),
            out_of_scope_none=_rate([o.none for o in by["none"]]),
            referral_hit=_rate([o.none and o.referral_id == o.request.topic for o in listed]),
            service_top1=_rate([o.top1 for o in by["service"]]),
        )

    @property
    def writers(self) -> tuple[str, ...]:
        """The writers of the set, in order of first appearance."""
        return tuple(dict.fromkeys(o.request.writer for o in self.outcomes if o.request.writer))

    def table(self, by: str = "style") -> str:
        """One line per style (``by="style"``) or per writer (``by="writer"``) and one for all:
        the figures as percentages with counts."""
        head = (
            f"{by:<10} {'clear top-1':>14} {'ambig. top-3':>14} {'false none':>12} "
            f"{'out-of-scope none':>18} {'referral':>12} {'service top-1':>14}"
        )
        rows = [head]
        groups = STYLES if by == "style" else self.writers
        for group in (*groups, None):
            f = self.figures(group, None) if by == "style" else self.figures(None, group)
            cells = [
                f.clear_top1,
                f.ambiguous_top3,
                f.false_none,
                f.out_of_scope_none,
                f.referral_hit,
                f.service_top1,
            ]
            widths = (14, 14, 12, 18, 12, 14)
            text = " ".join(f"{_cell(v, n):>{w}}" for (v, n), w in zip(cells, widths, strict=True))
            rows.append(f"{group or 'all':<10} {text}")
        return "\n".join(rows)

    def misses(self) -> list[str]:
        lines = []
        for o in self.outcomes:
            if o.ok and not (o.request.label == "none" and o.referral_id != o.request.topic):
                continue
            r = o.request
            want = ",".join(r.codes) or r.service or r.topic
            got = ", ".join(f"{c.code} {c.score}" for c in o.result.candidates[:4])
            ranked = ", ".join(f"{c.code} {c.score}" for c in o.result.ranked[:3])
            ref = f" referral={o.referral_id}" if o.referral_id else ""
            lines.append(
                f"[{r.style}/{r.label}] {r.text!r}: want {want}; got {o.result.verdict} "
                f"[{got}]{ref} ranked [{ranked}]"
            )
        return lines


def _cell(value: float, n: int) -> str:
    return "-" if n == 0 else f"{100 * value:.1f}% ({n})"


def evaluate_requests(
    requests: tuple[Request, ...], catalogue: Catalogue, referral_ids: frozenset[str]
) -> RequestReport:
    """Match every request as the terminal would (at most four offered)."""
    return RequestReport(
        tuple(RequestOutcome(r, match(r.text, catalogue)) for r in requests), referral_ids
    )
