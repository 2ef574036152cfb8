"""How much of the terminal speaks in a recorded human voice: ``hotro voices coverage``.

Counts, for one clip pack, how many clips of the recording script exist (the phrase pack, each
procedure's texts, the number pieces), and replays a set of **scripted visits** through the pure
dialogue (``terminal.dialogue.step`` with the real catalogue and phrase packs, no audio) to find
the share of a typical visit's spoken seconds that would be heard in a human voice.

Spoken seconds are estimated, not measured: each stretch of speech (a clip's words or a
synthesised stretch) counts its words (Vietnamese syllables) at the default rate of 125 words a
minute, so the share does not depend on how fast a staff member happened to speak. The scripted
visits: a birth registration (one paper missing, an elderly resident, slip read aloud), a
certified copy, a marital status certificate and a monthly social allowance (each walked to the
printed slip and the survey); procedures missing from the catalogue are left out.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from terminal import dialogue as d
from terminal.config import Config
from terminal.screens import build_screen
from terminal.state import Context, State, VoiceChoice
from voices.clips import ClipPack, open_packs
from voices.compose import Composer, PlayClip, Synth, realise
from voices.speaker import BASE_WPM

VISITS: tuple[tuple[str, tuple[int, ...], str, str, bool], ...] = (
    ("dang-ky-khai-sinh", (1,), "elderly", "centre", True),
    ("chung-thuc-ban-sao", (), "none", "centre", False),
    ("xac-nhan-tinh-trang-hon-nhan", (0,), "none", "post", False),
    ("tro-cap-xa-hoi-hang-thang", (0, 2), "disabled", "centre", False),
)
"""(procedure slug, indexes of papers the resident lacks, priority, delivery, whether the
resident asks to hear the whole slip)."""
SECONDS_PER_WORD = 60 / BASE_WPM
log = logging.getLogger("hotro.terminal")

Prompt = tuple[tuple[str | None, str], ...]


@dataclass(frozen=True)
class Count:
    recorded: int
    total: int

    def as_dict(self) -> dict[str, int]:
        return {"recorded": self.recorded, "total": self.total}


@dataclass(frozen=True)
class Coverage:
    """One pack's coverage (``as_json`` keeps the keys ``hotro voices coverage --json`` prints)."""

    pack: str
    """The pack id ("" when the centre has none for the language)."""
    lang: str
    phrases: Count
    procedures: Count
    numbers: Count
    visit_human_share: float
    """Share (0..1) of a typical visit's spoken seconds said by recorded clips."""
    visit_seconds: float
    human_seconds: float
    visits: int
    by_procedure: dict[str, Count] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "phrases": self.phrases.as_dict(),
            "procedures": self.procedures.as_dict(),
            "numbers": self.numbers.as_dict(),
            "visit_human_share": round(self.visit_human_share, 4),
            "pack": self.pack,
            "lang": self.lang,
            "visits": self.visits,
            "visit_seconds": round(self.visit_seconds, 1),
            "human_seconds": round(self.human_seconds, 1),
            "by_procedure": {k: v.as_dict() for k, v in self.by_procedure.items()},
        }

    def line(self) -> str:
        """One line for the doctor and the CLI."""
        total = self.phrases.total + self.procedures.total + self.numbers.total
        done = self.phrases.recorded + self.procedures.recorded + self.numbers.recorded
        who = f"pack {self.pack}" if self.pack else f"no recorded pack for {self.lang}"
        return (
            f"{who}: {done} of {total} clips recorded; {100 * self.visit_human_share:.0f} % "
            f"of a typical visit is heard in a human voice"
        )


# -- scripted visits ----------------------------------------------------------------------------
def _printed(state: State, draft: d.CaseDraft, number: int, centre: str) -> d.Printed:
    """What the session reports after printing this visit's slip on terminal 1."""
    from cases.case import Ticket, centre_number
    from printer.slip import build_slip
    from terminal.session import case_of

    ticket = Ticket(centre_number(1, number), draft.priority != "none")
    case = case_of(draft, "T1", ticket, datetime(2026, 11, 23, 9, 5))
    slip = build_slip(case, state.ctx.procedures[draft.code], centre, "", "X", draft.lang)
    return d.Printed(
        True, ticket=ticket.label, payload="X", case_id=1,
        slip=tuple((line.text, line.spoken) for line in slip.lines),
        slip_kinds=tuple(line.kind for line in slip.lines),
    )  # fmt: skip


def replay_visit(
    ctx: Context, code: str, missing: Iterable[int], priority: str, delivery: str,
    hear_slip: bool = False, centre: str = "Trung tâm Phục vụ hành chính công xã",
    number: int = 12,
) -> list[Prompt]:  # fmt: skip
    """Walk one visit through the dialogue and return every prompt it speaks, in order."""
    missing = set(missing)
    procedure = ctx.procedures[code]
    state, effects = d.start(ctx)
    prompts: list[Prompt] = []

    def run(event: d.Event) -> None:
        nonlocal state, effects
        state, effects = d.step(state, event)
        prompts.extend(e.items for e in effects if isinstance(e, d.Say) and e.items)
        for e in effects:
            if isinstance(e, d.PrintCase):
                run(_printed(state, e.draft, number, centre))

    run(d.Activate())  # the attract screen: any key starts
    for _ in range(200):
        v = state.visit
        screen = build_screen(state)
        keys = {o.key for o in screen.all_options}
        if v.screen == "language":
            run(d.Press(f"lang:{state.ctx.languages[0]}"))
        elif v.screen == "home":
            run(d.Press(f"group:{procedure.group}"))
        elif v.screen == "group":
            run(d.Press(f"proc:{code}" if f"proc:{code}" in keys else "more"))
        elif v.screen == "procedure":
            run(d.Press("continue"))
        elif v.screen == "paper":
            if v.stage == "where":
                run(d.Press("next"))
            else:
                no = v.stage == "have" and v.paper in missing
                # a paper any one of several things will do for: the first of them
                yes = "button_yes" if "button_yes" in keys else "alt:0"
                run(d.Press("button_no" if no else yes))
        elif v.screen == "priority":
            run(d.Press(f"prio:{priority}"))
        elif v.screen == "needs":
            run(d.Press("done"))
        elif v.screen == "delivery":
            run(d.Press(f"deliver:{delivery}"))
        elif v.screen == "confirm":
            run(d.Press("button_yes"))
        elif v.screen == "printed" and hear_slip:
            hear_slip = False
            run(d.Press("hear_slip"))
        elif v.screen in ("printed", "print_failed"):
            run(d.Press("continue"))
        elif v.screen == "survey":
            run(d.Press("sat:satisfied"))
        elif v.screen == "thanks":
            return prompts
        else:
            raise RuntimeError(f"scripted visit stuck on screen {v.screen!r}")
    raise RuntimeError("scripted visit did not end")


def typical_visits(ctx: Context, centre: str = "") -> list[list[Prompt]]:
    """The prompts of every scripted visit whose procedure is in the catalogue."""
    by_slug = {p.slug: code for code, p in ctx.procedures.items()}
    visits = []
    for slug, missing, priority, delivery, hear_slip in VISITS:
        code = by_slug.get(slug)
        if code is not None:
            visits.append(replay_visit(ctx, code, missing, priority, delivery, hear_slip, centre))
    return visits


# -- measuring ----------------------------------------------------------------------------------
def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def measure(
    composer: Composer, pack: ClipPack | None, visits: Sequence[Sequence[Prompt]]
) -> Coverage:
    """Clips recorded per part of the script, and the human share of the visits' speech."""
    script = composer.script()
    texts = {e.id: e.text for e in script}

    def has(clip_id: str, text: str) -> bool:
        return pack is not None and pack.has(clip_id, text)

    def count(entries: Iterable[Any]) -> Count:
        entries = list(entries)
        return Count(sum(1 for e in entries if has(e.id, e.text)), len(entries))

    parts = {
        "phrases": [e for e in script if e.section in ("visit", "phrases", "slip")],
        "procedures": [e for e in script if e.section == "procedures"],
        "numbers": [e for e in script if e.section == "numbers"],
    }
    by_procedure: dict[str, list[Any]] = {}
    for e in parts["procedures"]:
        by_procedure.setdefault(e.group_key, []).append(e)
    human = synth = 0.0
    for visit in visits:
        for prompt in visit:
            for seg in realise(composer.plan_items(prompt), has):
                if isinstance(seg, PlayClip):
                    human += _words(texts.get(seg.id) or _clip_text(pack, seg.id))
                elif isinstance(seg, Synth):
                    synth += _words(seg.text)
    human *= SECONDS_PER_WORD
    synth *= SECONDS_PER_WORD
    total = human + synth
    return Coverage(
        pack=pack.id if pack is not None else "",
        lang=composer.lang,
        phrases=count(parts["phrases"]),
        procedures=count(parts["procedures"]),
        numbers=count(parts["numbers"]),
        visit_human_share=human / total if total else 0.0,
        visit_seconds=total,
        human_seconds=human,
        visits=len(visits),
        by_procedure={k: count(v) for k, v in by_procedure.items()},
    )


def _clip_text(pack: ClipPack | None, clip_id: str) -> str:
    info = pack.clips.get(clip_id) if pack is not None else None
    return (info.text or "") if info is not None else ""


class Surveyor:
    """Coverage of the packs on a terminal's shelf (the catalogue and visits loaded once)."""

    def __init__(
        self,
        config: Config,
        catalogue: Any | None = None,
        packs: dict[str, ClipPack] | None = None,
    ) -> None:
        from procedures.catalogue import load_catalogue
        from procedures.spoken import spoken_sections_of
        from terminal.wiring import build_context

        self.config = config
        cat = catalogue if catalogue is not None else load_catalogue()
        self.sections = spoken_sections_of(cat, config.centre.name)
        self._ctx = build_context(config, cat, match=lambda text: None, voices=())
        self._visits: dict[str, list[list[Prompt]]] = {}
        self.packs = packs if packs is not None else open_packs(config.clips_dir)

    def visits(self, lang: str) -> list[list[Prompt]]:
        if lang not in self._visits:
            from voices.phrases import load_pack

            ctx = replace(
                self._ctx,
                languages=(lang,),
                packs={lang: load_pack(lang)},
                defaults=replace(self._ctx.defaults, lang=lang),
            )
            self._visits[lang] = typical_visits(ctx, self.config.centre.name)
        return self._visits[lang]

    def coverage(self, pack_id: str | None = None) -> Coverage:
        """Coverage of pack ``pack_id`` (default: the first language's own pack)."""
        from voices.phrases import load_pack

        lang = self.config.terminal.languages[0]
        pack = self.packs.get(pack_id or lang)
        if pack_id and pack is None:
            raise KeyError(pack_id)
        if pack is not None:
            lang = pack.lang
        variant = pack.info.variant if pack is not None and pack_id else self.config.voice.voice
        composer = Composer(load_pack(lang), variant, self.sections)
        return measure(composer, pack, self.visits(lang))


def offered_voices(config: Config, catalogue: Any | None = None) -> tuple[VoiceChoice, ...]:
    """The recorded voices the language screen offers: packs other than a language's own
    (a dialect, a minority language) for a configured screen language, covering at least
    ``[voice] pack_min_share`` of a typical visit. Each decision is logged."""
    packs = open_packs(config.clips_dir)
    languages = config.terminal.languages
    candidates = [p for p in packs.values() if p.id not in languages and p.lang in languages]
    if not candidates:
        return ()
    surveyor = Surveyor(config, catalogue, packs)  # the shelf is read once
    offered = []
    for pack in candidates:
        share = surveyor.coverage(pack.id).visit_human_share
        verdict = "offered" if share >= config.voice.pack_min_share else "not offered"
        log.info(
            "voice pack %s: %.0f %% of a typical visit recorded (at least %.0f %% needed): %s",
            pack.id, 100 * share, 100 * config.voice.pack_min_share, verdict,
        )  # fmt: skip
        if share >= config.voice.pack_min_share:
            name = pack.info.name
            offered.append(VoiceChoice(pack.id, pack.lang, name, pack.info.spoken_name or name))
    return tuple(offered)
