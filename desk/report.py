"""The month report as files: a CSV of the figures, a chart PNG and a printable HTML summary.

Numbers come from ``cases.stats.month_report``; words from the phrase pack (``desk_*``) and the
catalogue's group names. Used by the desk's report page and by ``hotro report``.
"""

from __future__ import annotations

import base64
import csv
import io
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import jinja2

from cases.stats import MonthReport, Times
from procedures.model import SERVICES_GROUP, Group, Procedure, Service
from voices.phrases import PhrasePack, load_pack

TEMPLATES = Path(__file__).with_name("templates")
STATIC = Path(__file__).with_name("static")


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    count: int
    percent: str
    """Share of the month's visits (or of answers, for satisfaction), e.g. "66,7"."""


@dataclass(frozen=True, slots=True)
class TimeRow:
    label: str
    count: int
    median: str
    mean: str


def number(value: float | None, decimals: int = 1, lang: str = "vi") -> str:
    """A number for people: 1 decimal, Vietnamese decimal comma; "–" for none."""
    if value is None:
        return "–"
    text = f"{value:.{decimals}f}"
    return text.replace(".", ",") if lang == "vi" else text


def percent(part: int, whole: int, lang: str = "vi") -> str:
    return number(100 * part / whole if whole else 0.0, 1, lang)


@dataclass(frozen=True)
class ReportWords:
    """Labels for the report's keys."""

    pack: PhrasePack
    groups: tuple[Group, ...]
    procedures: Mapping[str, str] = field(default_factory=dict)
    """Procedure code → short name (codes not found are shown as the code)."""
    services: Mapping[str, str] = field(default_factory=dict)
    """Service id → short name (ids not found are shown as the id)."""

    def t(self, phrase_id: str, **params: object) -> str:
        return self.pack.screen(phrase_id, **params)

    def group(self, group_id: str) -> str:
        for group in self.groups:
            if group.id == group_id:
                return group.name
        if group_id == SERVICES_GROUP:
            return self.t("button_services")
        return self.t("desk_group_unknown")

    def label(self, section: str, key: str) -> str:
        if section == "group":
            return self.group(key)
        if section == "procedure":
            return self.procedures.get(key, key)
        if section == "service":
            return self.services.get(key, key)
        if section == "feedback":
            return self.t(f"button_feedback_{key}")
        if section in ("priority", "channel", "satisfaction"):
            return self.t(f"desk_{section}_{key}")
        return key


def words(
    groups: Iterable[Group], lang: str = "vi", procedures: Iterable[Procedure] = (),
    services: Iterable[Service] = (),
) -> ReportWords:
    return ReportWords(
        load_pack(lang), tuple(groups), {p.code: p.short_name for p in procedures},
        {s.id: s.short_name for s in services},
    )


def rows(report: MonthReport, w: ReportWords) -> dict[str, list[Row]]:
    """Labelled rows of each section, with shares."""
    lang = w.pack.lang
    total = report.residents
    out: dict[str, list[Row]] = {}
    for section, counts in (
        ("group", report.by_group),
        ("service", report.by_service),
        ("priority", report.by_priority),
        ("channel", report.by_channel),
    ):
        out[section] = [Row(w.label(section, k), n, percent(n, total, lang)) for k, n in counts]
    given = sum(n for _, n in report.feedback)
    out["feedback"] = [
        Row(w.label("feedback", k), n, percent(n, given, lang)) for k, n in report.feedback
    ]
    out["satisfaction"] = [
        Row(
            w.label("satisfaction", k),
            n,
            "" if k == "skipped" else percent(n, report.answered, lang),
        )
        for k, n in report.satisfaction
    ]
    return out


@dataclass(frozen=True, slots=True)
class TerminalRow:
    terminal: str
    state: str
    ok: bool
    clock: str = ""
    """A warning about the terminal's clock; "" when it agrees with the desk's."""


def day_text(d: date, lang: str) -> str:
    """"20/11/2026" (or "2026-11-20")."""
    return d.strftime("%d/%m/%Y") if lang == "vi" else d.isoformat()


def when(moment: datetime, w: ReportWords) -> str:
    """"16:03 ngày 20/11/2026" (or "16:03 on 2026-11-20")."""
    return w.t("desk_time", hour=moment.strftime("%H:%M"), day=day_text(moment.date(), w.pack.lang))


def terminal_rows(report: MonthReport, w: ReportWords) -> list[TerminalRow]:
    """What each terminal has sent, in words (see ``cases.stats.TerminalSync``)."""
    out = []
    for t in report.terminals:
        if t.local:
            state = w.t("desk_report_terminal_local")
        elif t.last_seen is None:
            state = w.t("desk_report_terminal_never")
        elif t.complete:
            assert t.complete_at is not None
            state = w.t("desk_report_terminal_complete", time=when(t.complete_at, w))
        elif t.complete_at is None:
            state = w.t("desk_report_terminal_never_complete", seen=when(t.last_seen, w),
                        pending=t.pending)
        else:
            state = w.t("desk_report_terminal_behind", time=when(t.complete_at, w),
                        seen=when(t.last_seen, w), pending=t.pending)
        clock = w.t("desk_report_terminal_clock", minutes=round(abs(t.clock_offset) / 60)) \
            if t.clock_wrong else ""
        out.append(TerminalRow(t.terminal_id, state, t.complete, clock))
    return out


def missing_line(report: MonthReport, w: ReportWords) -> str:
    """The warning that the report may lack some terminal's records; "" when none."""
    missing = report.missing_terminals
    return w.t("desk_report_missing", terminals=", ".join(missing)) if missing else ""


def time_rows(report: MonthReport, w: ReportWords) -> list[TimeRow]:
    lang = w.pack.lang

    def one(label_id: str, times: Times) -> TimeRow:
        return TimeRow(
            w.t(label_id),
            times.count,
            number(times.median_minutes, 1, lang),
            number(times.mean_minutes, 1, lang),
        )

    return [one("desk_report_waiting", report.waiting), one("desk_report_service", report.service),
            one("desk_report_help_answer", report.help_answer)]


def csv_text(report: MonthReport, w: ReportWords) -> str:
    """The figures as CSV: section, key, label, value (counts exact, minutes to 0.01)."""
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow(["month", "section", "key", "label", "value"])
    m = report.month

    def put(section: str, key: str, value: object, label: str | None = None) -> None:
        out.writerow([m, section, key, label if label is not None else w.label(section, key),
                      value])

    put("total", "residents", report.residents, w.t("desk_report_residents"))
    put("total", "served", report.served, w.t("desk_report_served"))
    put("total", "absent", report.absent, w.t("desk_report_absent"))
    put("total", "not_served", report.not_served, w.t("desk_report_not_served"))
    put("total", "print_failed", report.print_failed, w.t("desk_report_print_failed"))
    put("total", "help_calls", report.help_calls, w.t("desk_report_help_calls"))
    put("total", "help_answered", report.help_answered, w.t("desk_report_help_answered"))
    put("total", "call_backs", report.call_backs, w.t("desk_report_call_backs"))
    put("total", "call_backs_done", report.call_backs_done, w.t("desk_report_call_backs_done"))
    for section, counts in (
        ("group", report.by_group),
        ("priority", report.by_priority),
        ("channel", report.by_channel),
        ("procedure", report.by_procedure),
        ("satisfaction", report.satisfaction),
        ("feedback", report.feedback),
    ):
        for key, n in counts:
            put(section, key, n)
    for key, n in report.by_service:  # "service" is the service time's section (below)
        put("centre_service", key, n, w.label("service", key))
    for row in terminal_rows(report, w):
        put("terminal", row.terminal, "complete" if row.ok else "missing", row.state)
    for name, times in (("waiting", report.waiting), ("service", report.service),
                        ("help_answer", report.help_answer)):
        label = w.t(f"desk_report_{name}")
        put(name, "count", times.count, label)
        for stat in ("median", "mean"):
            value = getattr(times, f"{stat}_minutes")
            put(name, f"{stat}_minutes", "" if value is None else f"{value:.2f}", label)
    return buffer.getvalue()


def chart_png(report: MonthReport, w: ReportWords) -> bytes:
    """Two bar charts side by side: visits by group, satisfaction answers (PNG bytes)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(11, 4.8), dpi=100)
    fig.patch.set_facecolor("white")
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
    groups = list(report.by_group) or [("", 0)]
    labels = [w.group(k) for k, _ in groups]
    counts = [n for _, n in groups]
    bars = left.barh(labels[::-1], counts[::-1], color="#1a4f8b")
    left.bar_label(bars, padding=3, fontsize=13, fontweight="bold")
    left.set_title(w.t("desk_chart_by_group"), fontsize=15, fontweight="bold")
    left.tick_params(labelsize=12)
    left.set_xlim(0, max(counts + [1]) * 1.2)
    left.xaxis.get_major_locator().set_params(integer=True)
    answers = list(report.satisfaction)
    colours = {"satisfied": "#1b7a3a", "neutral": "#8a6d00", "unsatisfied": "#b00020",
               "skipped": "#666666"}
    bars = right.bar(
        [textwrap.fill(w.label("satisfaction", k), 10) for k, _ in answers],
        [n for _, n in answers],
        color=[colours.get(k, "#444444") for k, _ in answers],
        hatch=["", "..", "//", "xx"][: len(answers)],
        edgecolor="white",
    )
    right.bar_label(bars, padding=3, fontsize=13, fontweight="bold")
    right.set_title(w.t("desk_chart_satisfaction"), fontsize=15, fontweight="bold")
    right.tick_params(labelsize=11)
    right.set_ylim(0, max([n for _, n in answers] + [1]) * 1.25)
    right.yaxis.get_major_locator().set_params(integer=True)
    for axis in (left, right):
        axis.spines[["top", "right"]].set_visible(False)
    fig.suptitle(w.t("desk_report_title", month=report.month), fontsize=16, fontweight="bold")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def summary_context(
    report: MonthReport, w: ReportWords, centre_name: str, today: date
) -> dict[str, object]:
    """What ``summary.html`` needs."""
    lang = w.pack.lang

    priority = sum(n for k, n in report.by_priority if k != "none")
    return {
        "t": w.t,
        "lang": lang,
        "centre_name": centre_name,
        "report": report,
        "rows": rows(report, w),
        "times": time_rows(report, w)[:2],  # one printed page: waiting and service times
        "period": w.t("desk_summary_period", first=day_text(report.first_day, lang),
                      last=day_text(report.last_day, lang)),
        "intro": w.t("desk_summary_intro", residents=report.residents, priority=priority),
        "times_line": w.t(
            "desk_summary_times",
            waiting=number(report.waiting.mean_minutes, 1, lang),
            service=number(report.service.mean_minutes, 1, lang),
        ),
        "satisfied_line": w.t(
            "desk_summary_satisfied",
            percent=percent(dict(report.satisfaction)["satisfied"], report.answered, lang),
        ) if report.answered else "",
        "made": w.t("desk_summary_made", date=day_text(today, lang)),
        "missing": missing_line(report, w),
        "month_label": f"{report.month[5:]}/{report.month[:4]}" if lang == "vi" else report.month,
        "css": (STATIC / "summary.css").read_text(encoding="utf-8"),
    }


def summary_html(
    report: MonthReport, w: ReportWords, centre_name: str, today: date, chart: bytes | None = None
) -> str:
    """The one-page printable summary for the chairman (self-contained HTML, print CSS; the
    chart, when given, is embedded as a data URI)."""
    template = environment().get_template("summary.html")
    context = summary_context(report, w, centre_name, today)
    context["chart"] = (
        "data:image/png;base64," + base64.b64encode(chart).decode() if chart else ""
    )
    return template.render(**context)


@dataclass(frozen=True, slots=True)
class ReportFiles:
    csv: Path
    chart: Path
    summary: Path


def write_report(
    report: MonthReport, w: ReportWords, out_dir: Path, centre_name: str, today: date
) -> ReportFiles:
    """Write ``report-YYYY-MM.csv``, ``.png`` and ``.html`` into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"report-{report.month}"
    files = ReportFiles(out_dir / f"{stem}.csv", out_dir / f"{stem}.png", out_dir / f"{stem}.html")
    # utf-8-sig: spreadsheet programs then read the Vietnamese letters right.
    files.csv.write_text(csv_text(report, w), encoding="utf-8-sig")
    chart = chart_png(report, w)
    files.chart.write_bytes(chart)
    files.summary.write_text(
        summary_html(report, w, centre_name, today, chart=chart), encoding="utf-8"
    )
    return files
