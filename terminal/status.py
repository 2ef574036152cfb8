"""The staff-only status report: what ``hotro doctor`` finds, shown on the terminal itself.

Staff open it discreetly (F12 on a keyboard in the kiosk, ``status`` in text mode); residents
never see it in the visit, and it speaks nothing. It lists every part with OK / WARN / FAIL in
words (never colour alone) and what to do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from terminal.config import Config
from terminal.doctor import CheckResult, run_checks

MARKS = {"ok": "OK  ", "warn": "WARN", "fail": "FAIL"}


def status_lines(results: Sequence[CheckResult]) -> list[str]:
    """One line per part, then an indented "what to do" line when there is advice."""
    lines: list[str] = []
    for r in results:
        lines.append(f"{MARKS.get(r.status, r.status.upper())}  {r.label}: {r.summary}")
        if r.advice and r.status != "ok":
            lines.append(f"      → {r.advice}")
    fails = sum(r.status == "fail" for r in results)
    warns = sum(r.status == "warn" for r in results)
    lines.append(f"{len(results) - fails - warns} ok, {warns} warnings, {fails} failures.")
    return lines


def status_report(
    config: Config, checks: Callable[[Config], Sequence[CheckResult]] = run_checks
) -> str:
    """The whole report as text (runs the checks: about a second, at most a few)."""
    return "\n".join(status_lines(checks(config)))
