"""What each screen shows and speaks: a pure "screen model" built from the state.

Every word comes from the phrase pack or the catalogue; the Kivy app, the text mode and the tests
all render the same ``ScreenModel``. Options carry a key (the intent the dialogue acts on), the
number shown on the button, the label, the spoken form and what a resident may say to choose it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from cases.case import FEEDBACK_TOPICS
from procedures.model import Answer, Procedure, Question, Service
from procedures.model import Need as PaperNeed
from procedures.spoken import first_sentence, when_case
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
FIRST_SLIP_KINDS = frozenset({"missing", "bring", "service"})
"""Slip lines the voice reads first, before offering the whole slip (a procedure's missing
papers; a service's what to bring and where to go)."""
FEEDBACK = "feedback"
"""The service whose visit asks what the feedback is about (and offers a call back)."""
SUBMITTED = "submitted"
"""The ask screen's question "did you hand in the papers already?" (a request about a result)."""
RESULT_SERVICES = ("pick_up_result", "late_result")
"""The services the "handed in already?" question leads to: collect it, or it is late."""
PHONE_MAX = 11
"""Digits a call-back number may have (Vietnamese landlines have 11, mobiles 10)."""
PREVIOUS_PAGE_NUMBER = 7
MORE_NUMBER = 8
FOOTER_HELP_NUMBER = 0
FOOTER_STAFF_NUMBER = 9

KEY_ICONS = {
    "type": "action/type",
    "other": "action/menu",
    "staff": "action/meet_staff",
    "print_referral": "action/print",
    "details": "action/details",
    "button_yes": "action/yes",
    "button_no": "action/no",
    "answer_right": "action/yes",
    "answer_wrong": "action/no",
    "next": "action/next",
    "continue": "action/next",
    "done": "action/yes",
    "hear_slip": "action/listen",
    "retry": "action/print",
    "staff_dismiss": "action/staff_code",
    "finish": "action/finish",
    "resume": "action/back",
    "code_clear": "action/delete",
    "code_ok": "action/yes",
    "prev": "action/previous_page",
    "more": "action/next_page",
    "search": "action/search",
    "text_bigger": "action/text_bigger",
    "text_smaller": "action/text_smaller",
    "theme_next": "action/theme",
    "services": "group/viec_khac",
    "phone_delete": "action/delete",
    "phone_ok": "action/yes",
}
"""The picture of each fixed option key (meaning ids of ``procedures/icons/manifest.yaml``)."""
PREFIX_ICONS = {
    "command_": "action/",
    "prio:": "priority/",
    "need:": "need/",
    "deliver:": "delivery/",
    "sat:": "survey/",
    "fb:": "feedback/",
}
"""Keys whose picture is named by their suffix: ``prio:elderly`` -> ``priority/elderly``."""


def icon_of(key: str) -> str:
    """The picture of an option key that does not come from the catalogue ("" when none):
    ``command_back`` -> ``action/back``, ``need:low_vision`` -> ``need/low_vision``. Groups,
    procedures and papers carry their own (``icon`` in the catalogue)."""
    if key in KEY_ICONS:
        return KEY_ICONS[key]
    if key.startswith(("lang:", "voice:")):
        return "action/language"
    for prefix, kind in PREFIX_ICONS.items():
        if key.startswith(prefix):
            return kind + key.removeprefix(prefix)
    return ""


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
    """choice, page, footer, or key (a key of an on-screen pad, no number)."""
    short: str = ""
    """The label as the short spoken menu says it ("Hộ tịch"; ``spoken`` adds the details)."""
    quiet: bool = False
    """Shown and numbered, left out of the spoken menu (said once on an earlier screen)."""
    icon: str = ""
    """Meaning id of the picture drawn beside the number and the word (``procedures.pictures``,
    e.g. ``group/ho_tich``, ``action/back``); "" for a key of an on-screen pad (a digit is its
    own picture). The Kivy adapter draws it; the text mode does not."""


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
    details: tuple[str, ...] = ()
    """Spoken only on request ("Nghe thêm"): the lines shown but left out of ``speech``."""
    lines_spoken: tuple[str, ...] = ()
    """How each of ``lines`` is spoken (read when a part of a long screen comes into view)."""
    page_label: str = ""
    """ "Trang 1 trên 2" under a paged list ("" when the list has one page)."""
    picture: str = ""
    """Meaning id of the screen's subject picture, drawn large beside the first lines (the
    same picture the slip prints, so a resident who cannot read can match screen and slip):
    the paper's on the paper screen (every stage), the procedure's on its summary, the
    service's on a service, the group's on its list of procedures; "" elsewhere."""

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


class Spelled(str):
    """A screen line whose digits are spoken one by one, each its own item (a phone number):
    what is spoken is never the whole number as one text, so no speech cache file, clip id or
    log line holds it."""

    lead: str
    """Spoken before the digits ("Số đã bấm:"); "" for none."""
    digits: str

    def __new__(cls, screen: str, lead: str, digits: str) -> Spelled:
        obj = super().__new__(cls, screen)
        obj.lead = lead
        obj.digits = digits
        return obj

    @property
    def items(self) -> list[tuple[str | None, str]]:
        said = [(None, self.lead)] if self.lead and self.digits else []
        return said + [(None, digit) for digit in self.digits]


def group_digits(digits: str) -> str:
    """ "0912345678" → "0912 345 678", easier to check by eye."""
    return " ".join(part for part in (digits[:4], digits[4:7], digits[7:]) if part)


class Detail(str):
    """A screen line that is shown at once but spoken only on request (short menus first)."""

    spoken: str

    def __new__(cls, text: str) -> Detail:
        obj = super().__new__(cls, str(text))
        obj.spoken = spoken_of(text)
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
        short: str | None = None,
        icon: str | None = None,
    ) -> dict:
        return {
            "icon": icon_of(key) if icon is None else icon,
            "key": key,
            "label": label,
            "spoken_label": spoken_label or label,
            "short": short or spoken_label or label,
            "say": say,
            "selected": selected,
        }

    def popt(
        self, key: str, pid: str, selected: bool | None = None, icon: str | None = None
    ) -> dict:
        """An option whose label, spoken form and phrasings come from the pack (its picture
        from ``icon_of(key)`` unless ``icon`` is given)."""
        p = self.pack.get(pid)
        say = p.say
        if key in ("button_yes", "button_no") and key in self.pack and key != pid:
            say = (*say, *self.pack.get(key).say)
        return self.opt(key, p.screen, p.spoken, (*say, p.screen.lower()), selected, icon=icon)

    def procedure(self) -> Procedure:
        assert self.v.code is not None
        return self.ctx.procedures[self.v.code]

    def subject(self) -> str:
        """The meaning id of what the screen is about ("" when it is about nothing one
        picture shows): a paper, a procedure, a service or a group."""
        screen = self.v.screen
        if screen == "paper":
            return self.procedure().papers[self.v.paper].icon
        if screen == "procedure":
            return self.procedure().icon
        if screen == "service":
            return self.service().icon
        if screen == "group":
            return next((g.icon for g in self.ctx.groups if g.id == self.v.group), "")
        return ""

    # -- one function per screen: (title, lines, prompt, items) ---------------------------------
    def attract(self):
        return self.t("title_attract"), (), self.t("prompt_attract"), []

    def language(self):
        items = [self.popt(f"lang:{lang}", f"button_lang_{lang}") for lang in self.ctx.languages]
        for choice in self.ctx.voices:  # recorded voices: a dialect, a minority language
            items.append(self.opt(f"voice:{choice.id}", choice.label, choice.spoken,
                                  (choice.label.lower(), choice.spoken.lower())))  # fmt: skip
        return Detail(self.t("title_language")), (), self.t("prompt_language"), items

    def home(self):
        items = []
        for g in self.ctx.groups:
            if not self.ctx.group_codes.get(g.id):
                continue
            say = (g.name.lower(), *[p.strip() for p in g.spoken_name.split(",") if p.strip()])
            # the hints ("khai sinh, khai tử, kết hôn") are shown under the name and spoken when
            # the option is focused; the short menu says the name only
            label = f"{g.name}\n{g.spoken_name}"
            spoken = f"{g.name}: {g.spoken_name}"
            items.append(self.opt(f"group:{g.id}", label, spoken, say, short=g.name, icon=g.icon))
        if self.ctx.services:  # the centre's own help: results, VNeID, feedback ...
            name, hints = self.pack.get("button_services"), self.pack.get("prompt_services_hints")
            # always on the first page, as its last item (the groups after it move on)
            last_on_first_page = max(0, self.ctx.page_size - 1)
            items.insert(min(len(items), last_on_first_page), self.opt(
                "services", f"{name.screen}\n{hints.screen}", f"{name.spoken}: {hints.spoken}",
                (*name.say, name.screen.lower()), short=name.screen,
            ))
        type_id = "button_type" if self.ctx.voice_input else "button_type_only"
        items.append(self.popt("type", type_id))
        # "call staff" is always on the footer (key 9), so the home list stays short
        prompt = self.t("prompt_home" if self.ctx.voice_input else "prompt_home_no_voice")
        if not self.ctx.voice_input:
            prompt = Detail(prompt)  # "Chọn một nhóm việc.": the menu says it
        return self.t("title_home"), (), prompt, items

    def type(self):
        pid = "prompt_type" if self.ctx.voice_input else "prompt_type_only"
        return self.t("title_type"), (), self.t(pid), [self.popt("other", "button_choose_group")]

    def ask(self):
        question = question_of(self.state)
        if question is None:
            items = [self._cand_opt(code) for code in self.v.candidates]
            items.append(self.popt("other", "button_none_of_these"))
            return self.t("title_ask"), (), self.t("prompt_ask"), items
        # look-alikes: the one fact that tells them apart, as a question with numbered answers
        items = [  # each answer shows the picture of the procedure it leads to
            self.opt(f"answer:{i}", a.text, say=(a.text.lower(),), icon=self._proc_icon(a.code))
            for i, a in enumerate(question.answers)
        ]
        # other candidates too, while everything still fits on one page with "none of these"
        room = self.ctx.page_size - len(items) - 1
        others = [c for c in self.v.candidates if c not in question.codes][: max(room, 0)]
        items += [self._cand_opt(c) for c in others]
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
        # the menu says the name the screen shows; the fuller spoken name when focused
        return self.opt(
            f"proc:{code}", p.short_name, p.spoken_name, say, short=p.short_name, icon=p.icon
        )

    def _proc_icon(self, code: str) -> str:
        """The picture of a procedure, or of one of the centre's services ("" when unknown)."""
        found = self.ctx.procedures.get(code) or self.ctx.services.get(code)
        return found.icon if found is not None else ""

    def _svc_opt(self, sid: str) -> dict:
        s = self.ctx.services[sid]
        say = (s.short_name.lower(), s.spoken_name, *s.phrases)
        return self.opt(
            f"svc:{sid}", s.short_name, s.spoken_name, say, short=s.short_name, icon=s.icon
        )

    def _cand_opt(self, code: str) -> dict:
        """A candidate of an ask: a procedure, or one of the centre's services."""
        return self._svc_opt(code) if code in self.ctx.services else self._proc_opt(code)

    def service(self) -> Service:
        assert self.v.service is not None
        return self.ctx.services[self.v.service]

    def services(self):
        """ "Việc khác": the centre's own help, most chosen first."""
        items = [self._svc_opt(sid) for sid in self.ctx.services]
        return self.t("title_services"), (), Detail(self.t("prompt_services")), items

    def service_screen(self):
        """A service in plain words: what the centre does, what to bring, which counter."""
        s = self.service()
        lines = [s.summary]  # one or two short sentences: said whole
        lines.append(self.t("prompt_service_bring", things=s.bring_text))
        counter = self.t(f"prompt_counter_{s.counter.value}")
        lines.append(self.t("prompt_service_counter", counter=counter))
        feedback = s.id == FEEDBACK
        button = "button_give_feedback" if feedback else "button_take_ticket"
        items = [self.popt("continue", button, icon=s.icon if feedback else "action/ticket")]
        prompt = Detail(self.t("prompt_service_feedback" if feedback else "prompt_service"))
        items.append({**self.popt("other", "button_other_procedure"), "quiet": True})
        return s.name, tuple(lines), prompt, items

    def feedback(self):
        """What the feedback is about: a few topics, no free text."""
        items = [self.popt(f"fb:{t}", f"button_feedback_{t}") for t in FEEDBACK_TOPICS]
        return self.t("title_feedback"), (), self.t("prompt_feedback"), items

    def callback(self):
        items = [
            self.popt("button_yes", "button_callback_yes", icon="action/call_back"),
            self.popt("button_no", "button_callback_no"),
        ]
        return self.t("title_callback"), (), self.t("prompt_callback"), items

    def consent(self):
        """Before any digit is typed: what the number is for, that it is never printed, and
        that it is deleted once the call is made; shown and spoken."""
        lines = (self.t("prompt_consent_use"), self.t("prompt_consent_kept"))
        items = [
            self.popt("button_yes", "button_consent_yes"),
            self.popt("button_no", "button_consent_no"),
        ]
        return self.t("title_consent"), lines, self.t("prompt_consent"), items

    def digit_pad(self, delete: str, delete_pid: str, ok: str, ok_pid: str) -> list[dict]:
        """An on-screen pad, unnumbered: the digits 1-9 and 0, a delete key and an OK key."""
        keys = [self.opt(f"digit:{n}", str(n), str(n)) for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 0)]
        keys += [self.popt(delete, delete_pid), self.popt(ok, ok_pid)]
        return [{**key, "numbered": False} for key in keys]

    def phone(self):
        """The call-back number, typed on the keypad or the on-screen digits."""
        digits = self.v.phone
        shown = self.t("prompt_phone_entered", phone=group_digits(digits) or "—")
        lead = self.s("prompt_phone_entered", phone="").strip()
        lines = (Spelled(shown, lead, digits),)
        items = self.digit_pad("phone_delete", "button_phone_delete", "phone_ok", "button_phone_ok")
        return self.t("title_phone"), lines, self.t("prompt_phone"), items

    def phone_check(self):
        """The number read back digit by digit, for checking."""
        digits = self.v.phone
        lines = (Spelled(group_digits(digits), "", digits),)
        items = [
            self.popt("button_yes", "button_phone_right"),
            self.popt("button_no", "button_phone_wrong"),
        ]
        return self.t("title_phone_check"), lines, self.t("prompt_phone_check"), items

    def group(self):
        group = next(g for g in self.ctx.groups if g.id == self.v.group)
        items = [self._proc_opt(code) for code in self.ctx.group_codes.get(group.id, ())]
        return group.name, (), Detail(self.t("prompt_group")), items

    def procedure_screen(self):
        p = self.procedure()
        first, rest = first_sentence(p.summary)
        lines = [first, Detail(rest)] if rest else [first]
        if not p.handled_here:
            lines.insert(0, self.t("warning_police"))
        lines += [
            Detail(self.t("prompt_proc_who", who=p.who)),
            Detail(self.t("prompt_proc_fee", fee=p.fee)),
            Detail(self.t("prompt_proc_time", time=p.time)),
        ]
        if p.handled_here:
            items = [self.popt("continue", "button_see_papers", icon="action/papers")]
            prompt = Detail(self.t("prompt_procedure"))
        else:
            items = [
                self.popt("continue", "button_print_checklist", icon="action/print"),
                self.popt("staff", "button_meet_staff"),
            ]
            prompt = self.t("prompt_police")
        # "Chọn việc khác" is what Back does: shown, not read out
        items.append({**self.popt("other", "button_other_procedure"), "quiet": True})
        items.append(self.popt("details", "button_details"))
        return p.short_name, tuple(lines), prompt, items

    def paper(self):
        """The question is the title; the progress ("Giấy tờ 2 trên 6") is the quiet line."""
        p = self.procedure()
        paper = p.papers[self.v.paper]
        progress = self.t("title_paper", number=self.v.paper + 1, count=len(p.papers))
        if self.v.paper > 0:
            progress = Detail(progress)  # shown on every paper, said on the first
        details = self.popt("details", "button_paper_details")
        if self.v.paper > 0:
            details["quiet"] = True  # on every paper's screen; the menu says it on the first
        if self.v.stage == "when":
            title = self.when_question(paper.short, paper.when or "")
            lines = (Detail(paper.explain),)
            prompt = progress
            items = [self.popt("button_yes", "button_yes"), self.popt("button_no", "button_no")]
            items.append(details)
        elif self.v.stage == "where":
            title = self.t("prompt_where", paper=paper.in_sentence)
            lines = (paper.where_to_get,)
            prompt = Detail(self.t("prompt_where_next"))
            items = [self.popt("next", "button_next")]
        else:
            title = self.t("prompt_have_paper", paper=paper.in_sentence)
            lines = (Detail(paper.explain),)
            if paper.need is not PaperNeed.ALWAYS and paper.when:
                lines = (Detail(paper.when), Detail(paper.explain))
            prompt = progress
            items = [
                self.popt("button_yes", "button_have"),
                self.popt("button_no", "button_not_have"),
                details,
            ]
            if paper.alternatives:
                # any one of several things will do: ask once which one she has, or none
                title = self.t("prompt_have_any", paper=paper.short)
                items = [
                    self.opt(f"alt:{k}", alt.name, alt.name, (alt.name.lower(),), icon=alt.icon)
                    for k, alt in enumerate(paper.alternatives)
                ]
                items += [self.popt("button_no", "button_have_none"), details]
        return title, lines, prompt, items

    def when_question(self, paper: str, when: str) -> str:
        """ "Chỉ khi nhờ người khác đi làm thay." → one whole question about this paper."""
        if case := when_case(when):
            return self.t("prompt_paper_when", paper=paper, case=case)
        return self.t("prompt_paper_when_other", paper=paper, when=when.strip())

    def priority(self):
        items = [self.popt(f"prio:{k}", f"button_priority_{k}") for k in PRIORITIES]
        return Detail(self.t("title_priority")), (), self.t("prompt_priority"), items

    def needs(self):
        items = [
            self.popt(f"need:{k}", f"button_need_{k}", selected=k in self.v.needs) for k in NEEDS
        ]
        items.append(self.popt("done", "button_done"))
        return Detail(self.t("title_needs")), (), self.t("prompt_needs"), items

    def delivery(self):
        items = [self.popt(f"deliver:{k}", f"button_delivery_{k}") for k in ("centre", "post")]
        return Detail(self.t("title_delivery")), (), self.t("prompt_delivery"), items

    def confirm(self):
        p = self.procedure()
        # only papers that apply to this resident: "only when …" papers answered "not my
        # case" are neither had nor missing, and "only if staff ask" papers are not counted
        # missing (the slip lists them "if needed"); what is missing comes first
        applies = [a is not False for a in self.v.applies] or [True] * len(self.v.have)
        answers = list(zip(p.papers, self.v.have, applies, strict=False))
        missing = [
            pp.short
            for pp, h, a in answers
            if a and h is False and pp.need is not PaperNeed.ON_REQUEST
        ]
        have_n = sum(1 for _, h, a in answers if a and h)
        lines = [Detail(self.t("prompt_confirm_procedure", name=p.short_name))]
        if missing:
            lines.append(self.t("prompt_confirm_missing", papers=", ".join(missing)))
        else:
            lines.append(self.t("prompt_confirm_nothing_missing"))
        lines.append(self.t("prompt_confirm_have", count=have_n))
        prio = self.v.priority or "none"
        lines.append(self.t("prompt_confirm_priority", reason=self.t(f"button_priority_{prio}")))
        if self.v.needs:
            names = ", ".join(self.t(f"button_need_{k}") for k in NEEDS if k in self.v.needs)
            lines.append(self.t("prompt_confirm_needs", needs=names))
        delivery = self.t("prompt_confirm_delivery",
                          where=self.t(f"button_delivery_{self.v.delivery}"))
        # chosen on the screen before: said again only when it is not the usual (the centre)
        lines.append(Detail(delivery) if self.v.delivery == "centre" else delivery)
        items = [
            self.popt("button_yes", "button_confirm_print", icon="action/print"),
            self.popt("button_no", "button_confirm_change", icon="action/change"),
        ]
        return Detail(self.t("title_confirm")), tuple(lines), self.t("prompt_confirm"), items

    def printing(self):
        return self.t("title_printing"), (), self.t("prompt_printing"), []

    def printed(self):
        """The slip on screen; the voice reads the missing papers first, the rest on request."""
        lines = tuple(
            Txt(text, spoken) if kind in FIRST_SLIP_KINDS else Detail(Txt(text, spoken))
            for (text, spoken), kind in zip(self.v.slip, self.slip_kinds(), strict=True)
        )
        items = [self.popt("continue", "button_next"), self.popt("hear_slip", "button_hear_slip")]
        return (
            self.t("title_printed"),
            lines,
            self.t("prompt_printed", ticket=self.v.ticket or ""),
            items,
        )

    def slip_kinds(self) -> tuple[str, ...]:
        kinds = self.v.slip_kinds
        return kinds if len(kinds) == len(self.v.slip) else ("info",) * len(self.v.slip)

    def print_failed(self):
        items = [
            self.popt("retry", "button_print_again"),
            self.popt("staff_dismiss", "button_staff_dismiss"),
        ]
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
        return Detail(self.t("title_survey")), (), self.t("prompt_survey"), items

    def thanks(self):
        prompt = (
            self.t("prompt_thanks", ticket=self.v.ticket)
            if self.v.ticket
            else self.t("prompt_thanks_no_ticket")
        )
        finish = {**self.popt("finish", "button_finish"), "quiet": True}  # it ends by itself
        return self.t("title_thanks"), (), prompt, [finish]

    def staff(self):
        pid = "prompt_staff_print_failed" if self.v.print_problem else "prompt_staff"
        return (
            self.t("title_staff"),
            (),
            self.t(pid, ticket=self.v.ticket or "") if self.v.print_problem else self.t(pid),
            [self.popt("resume", "button_resume")],
        )

    def staff_code(self):
        """Staff dismiss a print-failure screen with their PIN (keypad or on-screen digits)."""
        entered = "●" * len(self.v.staff_code)
        lines = (self.t("prompt_code_entered", code=entered or "—"),)
        if self.v.staff_code_note:  # the last try's answer stays on show while staff type
            lines += (self.t(self.v.staff_code_note, minutes=self.v.staff_code_minutes),)
        items = self.digit_pad("code_clear", "button_code_clear", "code_ok", "button_code_ok")
        return self.t("title_staff_code"), lines, self.t("prompt_staff_code"), items

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
    if qid == SUBMITTED:
        return submitted_question(state)
    return next((q for q in state.ctx.questions if q.id == qid), None) if qid else None


def submitted_question(state: State) -> Question | None:
    """A request about a procedure's result ("giấy khai sinh của cháu xong chưa"): were the
    papers handed in already? Not yet → the procedure; yes → collect the result, or ask why it
    is late (the first candidate is the procedure)."""
    codes = [c for c in state.visit.candidates if c in state.ctx.procedures]
    if not codes or not all(s in state.ctx.services for s in RESULT_SERVICES):
        return None
    procedure = state.ctx.procedures[codes[0]]
    pack = state.ctx.packs[state.settings.lang]
    collect, late = RESULT_SERVICES
    name = procedure.spoken_name
    return Question(
        SUBMITTED,
        Txt(pack.screen("prompt_submitted_question", name=name),
            pack.spoken("prompt_submitted_question", name=name)),
        (
            Answer(pack.screen("button_submitted_not_yet", name=procedure.spoken_name),
                   procedure.code),
            Answer(pack.screen("button_submitted_collect"), collect),
            Answer(pack.screen("button_submitted_late"), late),
        ),
    )


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
    "services": _Builder.services,
    "service": _Builder.service_screen,
    "feedback": _Builder.feedback,
    "callback": _Builder.callback,
    "consent": _Builder.consent,
    "phone": _Builder.phone,
    "phone_check": _Builder.phone_check,
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
    "staff_code": _Builder.staff_code,
    "help": _Builder.help,
}
"""Every screen of the visit, by name."""

NO_FOOTER = frozenset({"attract", "printing"})


def build_screen(state: State, nested: bool = False) -> ScreenModel:
    """The screen model of ``state``: title, text, numbered options, footer and speech."""
    b = _Builder(state)
    v = state.visit
    title, lines, prompt, items = SCREENS[v.screen](b)
    if v.pending and not nested:
        # an answer heard by voice, repeated back before it is taken (terminal.dialogue)
        heard = next((i for i in items if i["key"] == v.pending), None)
        if heard is not None:
            answer = heard["label"]
        else:  # a global command (start over): its button's words
            answer = b.t(v.pending) if v.pending in b.pack else v.pending
        lines = (b.t("prompt_answer_check_hint"),)
        prompt = b.t("prompt_answer_check", answer=answer)
        items = [
            b.popt("answer_right", "button_answer_right"),
            b.popt("answer_wrong", "button_answer_wrong"),
        ]
    # the same pages and numbers at every text size: what does not fit is shown in parts
    size = state.ctx.page_size
    if any(item.get("numbered") is False for item in items):
        size = len(items)  # a pad of keys is one page
    pages = max(1, -(-len(items) // size))
    page = min(v.page, pages - 1)
    shown = items[page * size : (page + 1) * size] if pages > 1 else items
    options: list[Option] = []

    def add(item: dict, role: str = "choice", number: int | None = None) -> None:
        if item.get("numbered") is False:  # a key of an on-screen pad: no number of its own
            spoken = item["spoken_label"]
            options.append(
                Option(
                    item["key"],
                    None,
                    item["label"],
                    spoken,
                    item["say"],
                    role="key",
                    icon=item["icon"],
                )
            )
            return
        n = number or sum(1 for o in options if o.number is not None) + 1
        spoken_id = "speech_option_selected" if item["selected"] else "speech_option"
        options.append(
            Option(
                key=item["key"],
                number=n,
                label=item["label"],
                spoken=b.s(spoken_id, label=item["spoken_label"]),
                say=tuple(dict.fromkeys((*item["say"], *b.number_say(n)))),
                selected=item["selected"],
                role=role,
                short=item["short"] + (f", {b.s('prompt_selected')}" if item["selected"] else ""),
                quiet=bool(item.get("quiet")),
                icon=item["icon"],
            )
        )

    for item in shown:
        add(item)
    # page keys keep their numbers on every page: 7 back a page, 8 more
    if pages > 1 and page > 0:
        add(b.popt("prev", "button_previous"), "page", PREVIOUS_PAGE_NUMBER)
    if pages > 1 and page < pages - 1:
        add(b.popt("more", "button_more"), "page", MORE_NUMBER)
    footer: list[Option] = []
    if v.screen not in NO_FOOTER and not nested:
        back = b.pack.get("command_back")
        footer.append(
            Option(
                "command_back",
                None,
                back.screen,
                back.spoken,
                back.say,
                role="footer",
                icon=icon_of("command_back"),
            )
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
                    b.s("speech_option", label=p.spoken),
                    tuple(dict.fromkeys((*p.say, *b.number_say(number)))),
                    role="footer",
                    icon=icon_of(key),
                )
            )
    warning = b.t("warning_idle") if state.idle.warned and not nested else None
    speech: list[tuple[str | None, str]] = []
    if warning:
        speech.append(("warning_idle", b.s("warning_idle")))
    title_id = f"title_{v.screen}"
    static = title_id in b.pack and not b.pack.placeholders_of(title_id)
    if not isinstance(title, Detail):  # a title the prompt repeats is shown, not spoken
        speech.append((title_id if static else None, spoken_of(title)))
    # short first: the lines marked Detail are shown at once, spoken on request ("details")
    for line in lines:
        if isinstance(line, Spelled):
            speech += line.items  # digit by digit, never as one text
        elif not isinstance(line, Detail):
            speech.append((None, spoken_of(line)))
    details = tuple(spoken_of(line) for line in lines if isinstance(line, Detail))
    if str(prompt) and not isinstance(prompt, Detail):
        speech.append((None, spoken_of(prompt)))
    speech += menu_speech(b.pack, options)
    if v.screen == "home" and not nested:
        speech.append(("speech_menu_help", b.s("speech_menu_help")))
    if v.pending and not nested:
        # the check is one short sentence; how to answer it only when the dialogue asks for it
        speech = speech[:1] if warning else []
        speech.append((None, spoken_of(prompt)))
        if v.pending_hint:
            speech += [(None, spoken_of(line)) for line in lines]
    unprinted = v.print_problem is not None and v.screen in ("print_failed", "staff")
    big = v.ticket if v.screen in ("printed", "thanks") or unprinted else None
    qr = v.payload if unprinted else None
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
        details=details,
        lines_spoken=tuple("" if isinstance(x, Spelled) else nfc(spoken_of(x)) for x in lines),
        page_label=nfc(str(b.t("prompt_page", page=page + 1, pages=pages))) if pages > 1 else "",
        picture=b.subject(),
    )


def menu_speech(
    pack: PhrasePack, options: list[Option] | tuple[Option, ...]
) -> list[tuple[str | None, str]]:
    """The numbered choices as one short sentence ("Bấm 1 Hộ tịch, 2 Chứng thực, …"); the
    details of each choice are spoken when it is focused (arrows)."""
    numbered = [o for o in options if o.number is not None and not o.quiet]
    if not numbered:
        return []
    items = [{"number": o.number, "label": o.short.rstrip(".?!")} for o in numbered]
    return [("speech_menu", pack.join("speech_menu", items).spoken)]


def size_index(settings: Settings) -> int:
    return TEXT_SIZES.index(settings.text_size)
