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

__all__ = ["Outcome", "Phrasing", "Report", "evaluate", "load_phrasings"]


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
