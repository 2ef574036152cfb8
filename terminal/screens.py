"""What each screen shows and speaks: a pure "screen model" built from the state.

Every word comes from the phrase pack or the catalogue; the Kivy app, the text mode and the tests
all render the same ``ScreenModel``. Options carry a key (the intent the dialogue acts on), the
number shown on the button, the label, the spoken form and what a resident may say to choose it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from procedures.model import Need as PaperNeed
from procedures.model import Procedure, Question
from terminal.settings import TEXT_SIZES, Settings
from terminal.state import State
from voices.phrases import PhrasePack

PRIORITIES = ("elderly", "disabled", "pregnant", "small_child", "seriously_ill", "none")
NEEDS = ("hard_of_hearing", "low_vision", "writing_help", "wheelchair")
SURVEY = ("satisfied", "neutral", "unsatisfied")
HELP_ITEMS = (
    ("resume", "button_resume"),
    ("command_repeat", "command_repeat"),
    ("text_bigger", "button_text_bigger"),
    ("text_smaller", "button_text_smaller"),
    ("theme_next", "button_theme"),
    ("command_start_over", "command_start_over"),
    ("command_slower", "command_slower"),
    ("command_faster", "command_faster"),
    ("command_louder", "command_louder"),
    ("command_softer", "command_softer"),
    ("command_stop", "command_stop"),
)
FOOTER_HELP_NUMBER = 0
FOOTER_STAFF_NUMBER = 9


@dataclass(frozen=True)
class Option:
    """One button."""

    key: str
    """The intent the dialogue acts on, e.g. "group:ho_tich", "button_yes", "command_back"."""
    number: int | None
    """The digit shown on the button and typed on the keypad (None: Back, no digit)."""
    label: str
    """Screen text."""
    spoken: str
    """What the voice says for it ("Số 1: Hộ tịch ...")."""
    say: tuple[str, ...] = ()
    """What a resident may say to choose it."""
    selected: bool | None = None
    """For toggles: chosen or not (shown in words, not only by colour)."""
    role: str = "choice"
    """choice, page or footer."""


@dataclass(frozen=True)
class ScreenModel:
    """Everything one screen shows and speaks."""

    name: str
    lang: str
    title: str
    lines: tuple[str, ...]
    """Plain text paragraphs under the title."""
    prompt: str
    options: tuple[Option, ...]
    footer: tuple[Option, ...]
    speech: tuple[tuple[str | None, str], ...]
    """(phrase id, text) spoken when the screen opens."""
    settings: Settings
    focus: str | None = None
    warning: str | None = None
    """Idle warning, shown in a framed box and spoken."""
    big: str | None = None
    """Very large text (the ticket number)."""
    qr: str | None = None
    """A QR payload to draw large on screen (printer failure)."""
    page: tuple[int, int] | None = None
    """(page, pages), 1-based, when the list is paged."""
    selected_mark: str = ""
    """The words shown on a chosen toggle."""
    prompt_spoken: str = ""
    """How the prompt is spoken (asked again after an unclear answer)."""

    @property
    def all_options(self) -> tuple[Option, ...]:
        return self.options + self.footer

    def option(self, key: str) -> Option | None:
        return next((o for o in self.all_options if o.key == key), None)

    def by_number(self, number: int) -> Option | None:
        return next((o for o in self.all_options if o.number == number), None)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


class Txt(str):
    """Screen text that also knows how it is spoken (from the phrase pack)."""

    spoken: str

    def __new__(cls, screen: str, spoken: str) -> Txt:
        obj = super().__new__(cls, screen)
        obj.spoken = spoken
        return obj


def spoken_of(text: str) -> str:
    """The spoken form of a screen text (catalogue text is spoken as written)."""
    return nfc(getattr(text, "spoken", text))


class _Builder:
    def __init__(self, state: State) -> None:
        self.state = state
        self.ctx = state.ctx
        self.v = state.visit
        self.lang = state.settings.lang
        self.pack: PhrasePack = self.ctx.packs[self.lang]

    # -- helpers ------------------------------------------------------------------------------
    def t(self, pid: str, **kw: object) -> str:
        p = self.pack.get(pid, **kw)
        return Txt(p.screen, p.spoken)

    def s(self, pid: str, **kw: object) -> str:
        return self.pack.spoken(pid, **kw)

    def number_say(self, n: int) -> tuple[str, ...]:
        pid = f"speech_number_{n}"
        if pid not in self.pack:
            return (str(n),)
        p = self.pack.get(pid)
        return (*p.say, p.screen)

    def opt(
        self,
        key: str,
        label: str,
        spoken_label: str | None = None,
        say: tuple[str, ...] = (),
        selected: bool | None = None,
    ) -> dict:
        return {
            "key": key,
            "label": label,
            "spoken_label": spoken_label or label,
            "say": say,
            "selected": selected,
        }

    def popt(self, key: str, pid: str, selected: bool | None = None) -> dict:
        """An option whose label, spoken form and phrasings come from the pack."""
        p = self.pack.get(pid)
        say = p.say
        if key in ("button_yes", "button_no") and key in self.pack and key != pid:
            say = (*say, *self.pack.get(key).say)
        return self.opt(key, p.screen, p.spoken, (*say, p.screen.lower()), selected)

    def procedure(self) -> Procedure:
        assert self.v.code is not None
        return self.ctx.procedures[self.v.code]

    # -- one function per screen: (title, lines, prompt, items) ---------------------------------
    def attract(self):
        return self.t("title_attract"), (), self.t("prompt_attract"), []

    def language(self):
        items = [self.popt(f"lang:{lang}", f"button_lang_{lang}") for lang in self.ctx.languages]
        return self.t("title_language"), (), self.t("prompt_language"), items

    def home(self):
        items = []
        for g in self.ctx.groups:
            if not self.ctx.group_codes.get(g.id):
                continue
            say = (g.name.lower(), *[p.strip() for p in g.spoken_name.split(",") if p.strip()])
            items.append(self.opt(f"group:{g.id}", g.name, f"{g.name}: {g.spoken_name}", say))
        type_id = "button_type" if self.ctx.voice_input else "button_type_only"
        items.append(self.popt("type", type_id))
        # "call staff" is always on the footer (key 9), so the home list stays short
        prompt = self.t("prompt_home" if self.ctx.voice_input else "prompt_home_no_voice")
        return self.t("title_home"), (), prompt, items

    def type(self):
        pid = "prompt_type" if self.ctx.voice_input else "prompt_type_only"
        return self.t("title_type"), (), self.t(pid), [self.popt("other", "button_choose_group")]

    def ask(self):
        question = question_of(self.state)
        if question is None:
            items = [self._proc_opt(code) for code in self.v.candidates]
            items.append(self.popt("other", "button_none_of_these"))
            return self.t("title_ask"), (), self.t("prompt_ask"), items
        # look-alikes: the one fact that tells them apart, as a question with numbered answers
        items = [
            self.opt(f"answer:{i}", a.text, say=(a.text.lower(),))
            for i, a in enumerate(question.answers)
        ]
        # other candidates too, while everything still fits on one page with "none of these"
        room = self.ctx.page_size - len(items) - 1
        others = [c for c in self.v.candidates if c not in question.codes][: max(room, 0)]
        items += [self._proc_opt(c) for c in others]
        items.append(self.popt("other", "button_none_of_these"))
        return question.text, (), self.t("prompt_ask_question"), items

    def none(self):
        lines = (self.t("prompt_heard", text=self.v.heard),) if self.v.heard else ()
        ref = self.v.referral
        if ref is None:
            items = [
                self.popt("staff", "button_meet_staff"),
                self.popt("other", "button_choose_again"),
            ]
            return self.t("title_none"), lines, self.t("prompt_none"), items
        # something done elsewhere: say where, offer to print it, and still offer staff
        lines = (*lines, ref.text_for(self.lang))
        items = [
            self.popt("print_referral", "button_print_referral"),
            self.popt("staff", "button_meet_staff"),
            self.popt("other", "button_choose_again"),
        ]
        return self.t("title_none_referral"), lines, self.t("prompt_none_referral"), items

    def _proc_opt(self, code: str) -> dict:
        p = self.ctx.procedures[code]
        say = (p.short_name.lower(), p.spoken_name, *p.phrases, *p.shared_phrases)
        return self.opt(f"proc:{code}", p.short_name, p.spoken_name, say)

    def group(self):
        group = next(g for g in self.ctx.groups if g.id == self.v.group)
        items = [self._proc_opt(code) for code in self.ctx.group_codes.get(group.id, ())]
        return group.name, (), self.t("prompt_group"), items

    def procedure_screen(self):
        p = self.procedure()
        lines = [p.summary]
        if not p.handled_here:
            lines.insert(0, self.t("warning_police"))
        lines += [
            self.t("prompt_proc_who", who=p.who),
            self.t("prompt_proc_fee", fee=p.fee),
            self.t("prompt_proc_time", time=p.time),
        ]
        if p.handled_here:
            items = [self.popt("continue", "button_see_papers")]
            prompt = self.t("prompt_procedure")
        else:
            items = [
                self.popt("continue", "button_print_checklist"),
                self.popt("staff", "button_meet_staff"),
            ]
            prompt = self.t("prompt_police")
        items.append(self.popt("other", "button_other_procedure"))
        return p.short_name, tuple(lines), prompt, items

    def paper(self):
        """The question is the title; the progress ("Giấy tờ 2 trên 6") is the quiet line."""
        p = self.procedure()
        paper = p.papers[self.v.paper]
        progress = self.t("title_paper", number=self.v.paper + 1, count=len(p.papers))
        if self.v.stage == "when":
            title = self.t("prompt_paper_when", when=paper.when or "")
            lines = (paper.short, paper.explain)
            prompt = progress
            items = [self.popt("button_yes", "button_yes"), self.popt("button_no", "button_no")]
        elif self.v.stage == "where":
            title = self.t("prompt_where", paper=paper.in_sentence)
            lines = (paper.where_to_get,)
            prompt = self.t("prompt_where_next")
            items = [self.popt("next", "button_next")]
        else:
            title = self.t("prompt_have_paper", paper=paper.in_sentence)
            lines = (paper.explain,)
            if paper.need is not PaperNeed.ALWAYS and paper.when:
                lines = (paper.when, paper.explain)
            prompt = progress
            items = [
                self.popt("button_yes", "button_have"),
                self.popt("button_no", "button_not_have"),
            ]
            if paper.alternatives:
                # any one of several things will do: ask once which one she has, or none
                title = self.t("prompt_have_any", paper=paper.short)
                items = [
                    self.opt(f"alt:{k}", alt.name, alt.name, (alt.name.lower(),))
                    for k, alt in enumerate(paper.alternatives)
                ]
                items.append(self.popt("button_no", "button_have_none"))
        return title, lines, prompt, items

    def priority(self):
        items = [self.popt(f"prio:{k}", f"button_priority_{k}") for k in PRIORITIES]
        return self.t("title_priority"), (), self.t("prompt_priority"), items

    def needs(self):
        items = [
            self.popt(f"need:{k}", f"button_need_{k}", selected=k in self.v.needs) for k in NEEDS
        ]
        items.append(self.popt("done", "button_done"))
        return self.t("title_needs"), (), self.t("prompt_needs"), items

    def delivery(self):
        items = [self.popt(f"deliver:{k}", f"button_delivery_{k}") for k in ("centre", "post")]
        return self.t("title_delivery"), (), self.t("prompt_delivery"), items

    def confirm(self):
        p = self.procedure()
        missing = [pp.short for pp, h in zip(p.papers, self.v.have, strict=False) if h is False]
        have_n = sum(1 for h in self.v.have if h)
        lines = [self.t("prompt_confirm_procedure", name=p.short_name)]
        lines.append(self.t("prompt_confirm_have", count=have_n))
        if missing:
            lines.append(self.t("prompt_confirm_missing", papers=", ".join(missing)))
        else:
            lines.append(self.t("prompt_confirm_nothing_missing"))
        prio = self.v.priority or "none"
        lines.append(self.t("prompt_confirm_priority", reason=self.t(f"button_priority_{prio}")))
        if self.v.needs:
            names = ", ".join(self.t(f"button_need_{k}") for k in NEEDS if k in self.v.needs)
            lines.append(self.t("prompt_confirm_needs", needs=names))
        lines.append(
            self.t("prompt_confirm_delivery", where=self.t(f"button_delivery_{self.v.delivery}"))
        )
        items = [
            self.popt("button_yes", "button_confirm_print"),
            self.popt("button_no", "button_confirm_change"),
        ]
        return self.t("title_confirm"), tuple(lines), self.t("prompt_confirm"), items

    def printing(self):
        return self.t("title_printing"), (), self.t("prompt_printing"), []

    def printed(self):
        lines = tuple(text for text, _ in self.v.slip)
        items = [self.popt("hear_slip", "button_hear_slip"), self.popt("continue", "button_next")]
        return (
            self.t("title_printed"),
            lines,
            self.t("prompt_printed", ticket=self.v.ticket or ""),
            items,
        )

    def print_failed(self):
        items = [self.popt("retry", "button_print_again"), self.popt("continue", "button_next")]
        return (
            self.t("title_print_failed"),
            (),
            self.t("warning_print_failed", ticket=self.v.ticket or ""),
            items,
        )

    def error_journal(self):
        items = [self.popt("staff", "command_call_staff"), self.popt("finish", "button_finish")]
        return self.t("title_error"), (), self.t("error_journal"), items

    def survey(self):
        items = [self.popt(f"sat:{k}", f"button_survey_{k}") for k in SURVEY]
        return self.t("title_survey"), (), self.t("prompt_survey"), items

    def thanks(self):
        prompt = (
            self.t("prompt_thanks", ticket=self.v.ticket)
            if self.v.ticket
            else self.t("prompt_thanks_no_ticket")
        )
        return self.t("title_thanks"), (), prompt, [self.popt("finish", "button_finish")]

    def staff(self):
        return (
            self.t("title_staff"),
            (),
            self.t("prompt_staff"),
            [self.popt("resume", "button_resume")],
        )

    def help(self):
        under = self.state.history[-1] if self.state.history else None
        where = self.t("title_attract")
        if under is not None:
            where = build_screen(_with_visit(self.state, under), nested=True).title
        lines = [self.t("help_where", where=where), self.t("help_keys")]
        if self.ctx.voice_input:
            lines.append(self.t("help_voice"))
        items = [self.popt(key, pid) for key, pid in HELP_ITEMS]
        return self.t("title_help"), tuple(lines), self.t("prompt_help"), items


def question_of(state: State) -> Question | None:
    """The distinguishing question the current ask screen puts, if any."""
    qid = state.visit.question
    return next((q for q in state.ctx.questions if q.id == qid), None) if qid else None


def _with_visit(state: State, visit) -> State:
    from dataclasses import replace

    return replace(state, visit=visit, history=state.history[:-1])


SCREENS = {
    "attract": _Builder.attract,
    "language": _Builder.language,
    "home": _Builder.home,
    "type": _Builder.type,
    "ask": _Builder.ask,
    "none": _Builder.none,
    "group": _Builder.group,
    "procedure": _Builder.procedure_screen,
    "paper": _Builder.paper,
    "priority": _Builder.priority,
    "needs": _Builder.needs,
    "delivery": _Builder.delivery,
    "confirm": _Builder.confirm,
    "printing": _Builder.printing,
    "printed": _Builder.printed,
    "print_failed": _Builder.print_failed,
    "error_journal": _Builder.error_journal,
    "survey": _Builder.survey,
    "thanks": _Builder.thanks,
    "staff": _Builder.staff,
    "help": _Builder.help,
}
"""Every screen of the visit, by name."""

NO_FOOTER = frozenset({"attract", "printing"})


def build_screen(state: State, nested: bool = False) -> ScreenModel:
    """The screen model of ``state``: title, text, numbered options, footer and speech."""
    b = _Builder(state)
    v = state.visit
    title, lines, prompt, items = SCREENS[v.screen](b)
    size = state.ctx.page_size
    if state.settings.text_size == "largest":
        size = min(size, 4)  # the largest text leaves room for fewer buttons
    pages = max(1, -(-len(items) // size))
    page = min(v.page, pages - 1)
    shown = items[page * size : (page + 1) * size] if pages > 1 else items
    options: list[Option] = []

    def add(item: dict, role: str = "choice") -> None:
        n = len(options) + 1
        spoken_id = "speech_option_selected" if item["selected"] else "speech_option"
        options.append(
            Option(
                key=item["key"],
                number=n,
                label=item["label"],
                spoken=b.s(spoken_id, number=n, label=item["spoken_label"]),
                say=tuple(dict.fromkeys((*item["say"], *b.number_say(n)))),
                selected=item["selected"],
                role=role,
            )
        )

    for item in shown:
        add(item)
    if pages > 1 and page > 0:
        add(b.popt("prev", "button_previous"), "page")
    if pages > 1 and page < pages - 1:
        add(b.popt("more", "button_more"), "page")
    footer: list[Option] = []
    if v.screen not in NO_FOOTER and not nested:
        back = b.pack.get("command_back")
        footer.append(
            Option("command_back", None, back.screen, back.spoken, back.say, role="footer")
        )
        for key, number in (
            ("command_help", FOOTER_HELP_NUMBER),
            ("command_call_staff", FOOTER_STAFF_NUMBER),
        ):
            if v.screen == "help" and key == "command_help":
                continue
            if v.screen == "staff" and key == "command_call_staff":
                continue
            p = b.pack.get(key)
            footer.append(
                Option(
                    key,
                    number,
                    p.screen,
                    b.s("speech_option", number=number, label=p.spoken),
                    tuple(dict.fromkeys((*p.say, *b.number_say(number)))),
                    role="footer",
                )
            )
    warning = b.t("warning_idle") if state.idle.warned and not nested else None
    speech: list[tuple[str | None, str]] = []
    if warning:
        speech.append(("warning_idle", b.s("warning_idle")))
    title_id = f"title_{v.screen}"
    static = title_id in b.pack and not b.pack.placeholders_of(title_id)
    speech.append((title_id if static else None, spoken_of(title)))
    speech += [(None, spoken_of(line)) for line in lines]
    speech.append((None, spoken_of(prompt)))
    if pages > 1:
        speech.append(("speech_page", b.s("speech_page", page=page + 1, pages=pages)))
    speech += [(None, o.spoken) for o in options]
    big = v.ticket if v.screen in ("print_failed", "printed", "thanks") else None
    qr = v.payload if v.screen == "print_failed" else None
    return ScreenModel(
        name=v.screen,
        lang=state.settings.lang,
        title=nfc(str(title)),
        lines=tuple(nfc(str(x)) for x in lines),
        prompt=nfc(str(prompt)),
        options=tuple(options),
        footer=tuple(footer),
        speech=tuple((pid, nfc(text)) for pid, text in speech),
        settings=state.settings,
        focus=v.focus,
        warning=warning,
        big=big,
        qr=qr,
        page=(page + 1, pages) if pages > 1 else None,
        selected_mark=str(b.t("prompt_selected")),
        prompt_spoken=spoken_of(prompt),
    )


def size_index(settings: Settings) -> int:
    return TEXT_SIZES.index(settings.text_size)
