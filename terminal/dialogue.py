"""The visit as a pure state machine: ``step(state, event) -> (state, effects)``.

No Kivy, audio, printer or database here: events come in (touch, key, voice intent, clock tick,
printer result), effects go out (show a screen, say text, listen for choices, print, journal) and
``terminal.session`` carries them out through ports. Everything is a frozen dataclass, so a test
can drive a whole visit with plain values.

The visit: attract → language → home (groups, "say/type what you need", meet staff) → group list
or ask-back or "not done here" → procedure → papers one by one → priority → needs → delivery →
confirm → print → slip read aloud → survey → thanks → reset. Global commands work everywhere.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from cases.case import Priority
from procedures.everyday import Referral
from procedures.model import Need as PaperNeed
from procedures.model import Question
from terminal.screens import (
    FEEDBACK,
    PHONE_MAX,
    RESULT_SERVICES,
    SUBMITTED,
    SURVEY,
    ScreenModel,
    build_screen,
    menu_speech,
    question_of,
)
from terminal.settings import (
    TEXT_SIZES,
    Settings,
    next_theme,
    step_rate,
    step_text_size,
    step_volume,
)
from terminal.state import Context, Idle, MatchLike, State, Visit, initial_state
from voices.phrases import PhrasePack

COMMANDS = (
    "repeat",
    "slower",
    "faster",
    "louder",
    "softer",
    "back",
    "start_over",
    "call_staff",
    "stop",
    "help",
)
"""Global commands, valid on every screen (intent ``command_<name>``)."""
SETTING_COMMANDS = ("text_bigger", "text_smaller", "theme_next")
"""Screen settings, from the help screen and the keyboard."""


# -- events -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Choose:
    """A touch on a numbered button, or a digit that chooses at once."""

    number: int


@dataclass(frozen=True)
class Press:
    """A touch on the option with this key (footer buttons, toggles)."""

    key: str


@dataclass(frozen=True)
class Focus:
    """A keypad digit: move the focus to that number and speak it (Enter then confirms)."""

    number: int


@dataclass(frozen=True)
class FocusMove:
    """Arrow keys / Tab: move the focus by ``delta`` and speak the focused option."""

    delta: int


@dataclass(frozen=True)
class Activate:
    """Enter: choose the focused option (or start, on the attract screen)."""


@dataclass(frozen=True)
class Command:
    """A global command by name (``COMMANDS`` or ``SETTING_COMMANDS``)."""

    name: str


@dataclass(frozen=True)
class Heard:
    """The voice recogniser heard an intent (an option key or ``command_*``/``button_*``)."""

    intent: str


@dataclass(frozen=True)
class Unclear:
    """The voice recogniser heard speech it could not place."""


@dataclass(frozen=True)
class Text:
    """What the resident typed (or free text from a recogniser)."""

    text: str


@dataclass(frozen=True)
class ReadOn:
    """The window shows the next part of a screen too long for it (Enter with nothing chosen,
    Page Down, or the "Đọc tiếp" button): say which part, then what came into view."""

    part: int
    """1-based."""
    parts: int
    lines: tuple[int, ...] = ()
    """Indexes (into the screen's ``lines``) of the lines now in view."""
    prompt: bool = False
    """The prompt is in view."""
    keys: tuple[str, ...] = ()
    """The options now in view."""


@dataclass(frozen=True)
class Typing:
    """A key typed into a text field: counts as activity (the idle clock starts again), and
    changes nothing else; the letters stay in the field until the resident submits them."""


@dataclass(frozen=True)
class Tick:
    """Clock time; ``busy`` while the terminal is speaking (the quiet period waits)."""

    now: float
    busy: bool = False
    day: str = ""
    """Today's date (ISO), for what is said at most once a day."""
    minute: int = -1
    """Minute of the day (local time; -1 unknown), for the attract cue's hours."""


@dataclass(frozen=True)
class Printed:
    """The result of a print effect."""

    ok: bool
    recorded: bool = True
    """False: the journal could not keep the case (no ticket, nothing printed)."""
    ticket: str | None = None
    payload: str | None = None
    case_id: int | None = None
    slip: tuple[tuple[str, str], ...] = ()
    """(screen text, spoken text) of every slip line."""
    slip_kinds: tuple[str, ...] = ()
    """The kind of each slip line (``printer.slip.KINDS``: missing, where, have, info …)."""
    problem: str | None = None


@dataclass(frozen=True)
class CaseClosed:
    """The desk took over the case whose slip did not print (scanned from the screen)."""

    case_id: int
    how: str = "handed_off"


@dataclass(frozen=True)
class NotePrinted:
    """The result of a ``PrintNote`` effect (the referral slip)."""

    ok: bool
    problem: str | None = None


@dataclass(frozen=True)
class VoiceLost:
    """Voice input stopped working (microphone unplugged, model gone): say so once, show the
    touch-and-keypad prompts from now on, for this visit and the next ones."""

    reason: str = ""


Event = (
    Choose | Press | Focus | FocusMove | Activate | Command | Heard | Unclear | Text | Typing
    | ReadOn | Tick | Printed | NotePrinted | VoiceLost | CaseClosed
)
USER_EVENTS = (
    Choose, Press, Focus, FocusMove, Activate, Command, Heard, Unclear, Text, Typing, ReadOn
)


# -- effects ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Show:
    screen: ScreenModel


@dataclass(frozen=True)
class Say:
    items: tuple[tuple[str | None, str], ...]
    """(phrase id or None, text), spoken in order; replaces whatever is being said."""
    then_resume: bool = False
    """After these items, go on with what the last key press cut short, from the item it cut
    (a volume or rate change confirms briefly, then the prompt carries on where it was)."""


@dataclass(frozen=True)
class StopSpeech:
    pass


@dataclass(frozen=True)
class Listen:
    """The grammar for the next listening turn (after speech ends)."""

    choices: tuple[tuple[str, tuple[str, ...]], ...]
    """(intent, phrases)."""


@dataclass(frozen=True)
class ApplySettings:
    settings: Settings


@dataclass(frozen=True)
class CaseDraft:
    """What the visit decided; the session adds the ticket, time and terminal id."""

    code: str
    """The procedure ("" for a service)."""
    have: tuple[bool, ...]
    priority: str
    needs: frozenset[str]
    delivery: str
    lang: str
    not_needed: frozenset[int] = frozenset()
    """Papers needed only in a case the resident said is not theirs (left off the slip)."""
    chosen: frozenset[tuple[int, int]] = frozenset()
    """(paper, alternative) for each paper she has through one of its alternatives."""
    service: str = ""
    """The centre's service the visit was about ("" for a procedure)."""
    topic: str = ""
    """Feedback: what it is about."""
    phone: str = ""
    """Feedback: the call-back number she typed and agreed to give ("" for no call back). It
    goes to the journal's call-backs only: never into the case, the slip or the QR code."""


@dataclass(frozen=True)
class PrintCase:
    """Record the case in the journal, then print its slip; answer with ``Printed``."""

    draft: CaseDraft


@dataclass(frozen=True)
class RetryPrint:
    """Print the already recorded case again; answer with ``Printed``."""

    case_id: int
    draft: CaseDraft
    ticket: str
    payload: str


@dataclass(frozen=True)
class PrintNote:
    """Print a short slip with no case and no QR code (a referral: where to go instead);
    answer with ``NotePrinted``."""

    heading: str
    lines: tuple[tuple[str, str], ...]
    """(printed text, spoken text) of each line under the heading."""
    lang: str


@dataclass(frozen=True)
class JournalEvent:
    kind: str
    detail: str = ""


@dataclass(frozen=True)
class JournalSatisfaction:
    case_id: int
    answer: str
    """satisfied, neutral, unsatisfied or skipped."""


Effect = (
    Show
    | Say
    | StopSpeech
    | Listen
    | ApplySettings
    | PrintCase
    | RetryPrint
    | PrintNote
    | JournalEvent
    | JournalSatisfaction
)
Result = tuple[State, tuple[Effect, ...]]


# -- helpers ------------------------------------------------------------------------------------
def _say(state: State, pid: str, **kw: object) -> Say:
    pack = state.ctx.packs[state.settings.lang]
    return Say(((None if kw else pid, pack.spoken(pid, **kw)),))


def command_phrasings(pack: PhrasePack) -> list[tuple[str, tuple[str, ...]]]:
    """The global commands a resident may say on any screen ("nhắc lại", "to lên", "về đầu"…),
    as (intent, phrasings) from ``pack``. ``present`` adds those a screen does not already
    offer to its grammar, which ranks them below the screen's own choices
    (``voices.grammar``: "có rồi" on the checklist is the paper, not a command)."""
    out = []
    for name in COMMANDS:
        pid = f"command_{name}"
        if pid in pack and (say := tuple(pack.get(pid).say)):
            out.append((pid, say))
    return out


def courtesy_phrasings(pack: PhrasePack) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The polite words a resident may say before and after any answer ("dạ" … "ạ"),
    from ``pack``: the listener hears the answer with or without them
    (``voices.grammar.Courtesy``), and the text mode takes them typed."""
    before, after = (
        tuple(pack.get(pid).say) if pid in pack else ()
        for pid in ("speech_courtesy_before", "speech_courtesy_after")
    )
    return before, after


def present(state: State, speak: bool = True) -> tuple[Effect, ...]:
    """Show the current screen, speak it and set the listening grammar."""
    model = build_screen(state)
    effects: list[Effect] = [Show(model)]
    if speak:
        effects.append(Say(model.speech))
    choices = [(o.key, o.say) for o in model.all_options if o.say]
    if model.name in ("home", "type", "none"):
        # what a resident may say in their own words: every procedure's everyday phrasings
        for code, p in state.ctx.procedures.items():
            phrases = (p.short_name.lower(), p.spoken_name, *p.phrases)
            choices.append((f"proc:{code}", tuple(dict.fromkeys(phrases))))
        # ... and the centre's own help, and "Việc khác" from any page of the home list
        for sid, svc in state.ctx.services.items():
            phrases = (svc.short_name.lower(), svc.spoken_name, *svc.phrases)
            choices.append((f"svc:{sid}", tuple(dict.fromkeys(phrases))))
        if state.ctx.services and model.option("services") is None:
            choices.append(("services", state.ctx.packs[state.settings.lang].get(
                "button_services").say))
        # ... and what is done elsewhere, so that a spoken request gets its referral too
        choices += [(f"ref:{r.id}", r.words) for r in state.ctx.referrals]
    if choices:  # a screen with nothing to choose (attract, printing) is not listened on
        taken = {k for k, _ in choices}
        pack = state.ctx.packs[state.settings.lang]
        choices += [(k, say) for k, say in command_phrasings(pack) if k not in taken]
    effects.append(Listen(tuple(choices)))
    return tuple(effects)


def go(state: State, visit: Visit, push: bool = True) -> Result:
    """Open ``visit`` (remembering the current one for Back when ``push``)."""
    history = (*state.history, state.visit) if push else state.history
    new = replace(state, visit=replace(visit, focus=None), history=history)
    return new, present(new)


def reset_state(state: State) -> Result:
    """The visit is over: wipe answers and settings, back to the attract screen, say nothing."""
    effects: list[Effect] = [StopSpeech()]
    v = state.visit
    if v.case_id is not None and not v.surveyed:
        effects.append(JournalSatisfaction(v.case_id, "skipped"))
    new = initial_state(state.ctx)
    new = replace(  # not per visit
        new,
        today=state.today,
        voice_off_day=state.voice_off_day,
        attract_cue_at=state.attract_cue_at,
    )
    effects.append(ApplySettings(new.settings))
    effects += present(new, speak=False)
    return new, tuple(effects)


def draft_of(state: State) -> CaseDraft:
    v = state.visit
    if v.service is not None:
        return CaseDraft(
            code="",
            have=(),
            priority=v.priority or Priority.NONE.value,
            needs=frozenset(),
            delivery="centre",
            lang=state.settings.lang,
            service=v.service,
            topic=v.topic or "",
            phone=v.phone if v.call_back else "",
        )
    assert v.code is not None
    return CaseDraft(
        code=v.code,
        have=tuple(bool(h) for h in v.have),
        priority=v.priority or Priority.NONE.value,
        needs=v.needs,
        delivery=v.delivery,
        lang=state.settings.lang,
        not_needed=frozenset(i for i, a in enumerate(v.applies) if a is False),
        chosen=frozenset(
            (i, k) for i, k in enumerate(v.which) if k is not None and i < len(v.have) and v.have[i]
        ),
    )


# -- the step -----------------------------------------------------------------------------------
def step(state: State, event: Event) -> Result:
    """One event in, the new state and the effects out."""
    if isinstance(event, Tick):
        return _tick(state, event)
    if isinstance(event, Printed):
        return _printed(state, event)
    if isinstance(event, NotePrinted):
        return _note_printed(state, event)
    if isinstance(event, VoiceLost):
        return _voice_lost(state, event)
    if isinstance(event, CaseClosed):
        return _case_closed(state, event)
    pre: list[Effect] = [StopSpeech()]
    state, extended = _activity(state)
    if state.visit.screen == "attract" and not isinstance(event, Typing):
        new, effects = _start(state)
        return new, (*pre, *effects)
    new, effects = _user(state, event)
    # understood, touched or keyed; reading on and typing into a field answer nothing
    answered = not isinstance(event, Typing | ReadOn)
    if answered and new.unclear_run and new.unclear_run == state.unclear_run:
        new = replace(new, unclear_run=0)  # the run of answers not understood is over
    if extended and not any(isinstance(e, Show) for e in effects):
        effects = (*present(new, speak=False), *effects)
    return new, (*pre, *effects)


def failed_print(state: State) -> Visit | None:
    """The print-failure screen this visit must return to, if its slip did not print.

    That screen (QR code and ticket) stays until the slip prints, the desk takes the case, or
    staff dismiss it with their code: no idle reset, no start over, call staff keeps the QR."""
    for visit in (state.visit, *reversed(state.history)):
        if visit.screen == "print_failed":
            return visit
    return None


def _case_closed(state: State, event: CaseClosed) -> Result:
    failed = failed_print(state)
    if failed is None or failed.case_id != event.case_id:
        return state, ()
    visit = replace(failed, screen="thanks", print_problem=None, surveyed=True)
    new = replace(state, visit=visit, history=(), idle=Idle())
    return new, (StopSpeech(), *present(new))


def _voice_lost(state: State, event: VoiceLost) -> Result:
    if not state.ctx.voice_input:
        return state, ()
    new = replace(state, ctx=replace(state.ctx, voice_input=False), voice_off_said=True)
    shown = present(new, speak=False)  # the same screen, with the no-voice prompts
    note = JournalEvent("voice_input_lost", event.reason)
    return new, (shown[0], _say(new, "speech_voice_input_off"), note, *shown[1:])


def _activity(state: State) -> tuple[State, bool]:
    idle = state.idle
    if idle.warned:
        if idle.extensions >= state.ctx.max_extensions:
            return state, False  # no more extensions: the countdown goes on
        return replace(state, idle=Idle(None, False, idle.extensions + 1)), True
    return replace(state, idle=replace(idle, since=None)), False


def _start(state: State) -> Result:
    langs = state.ctx.languages
    if len(langs) == 1 and not state.ctx.voices:
        state = replace(state, settings=replace(state.settings, lang=langs[0]))
        new, effects = _to_home(state)
    else:
        new, effects = go(state, Visit(screen="language", focus=None), push=False)
    return new, (ApplySettings(new.settings), *effects)  # the attract cue's soft volume ends


def _to_home(state: State) -> Result:
    new, effects = go(state, Visit(screen="home"))
    said_today = state.voice_off_day is not None and state.voice_off_day == state.today
    if not state.ctx.voice_input and not state.voice_off_said and not said_today:
        new = replace(new, voice_off_said=True, voice_off_day=state.today)
        effects = (*effects[:1], _say(new, "speech_voice_input_off"), *effects[1:])
        # the Say of the screen follows, so merge both into one queue
        says = [e for e in effects if isinstance(e, Say)]
        merged = Say(tuple(item for s in says for item in s.items))
        effects = tuple(e for e in effects if not isinstance(e, Say))
        effects = (effects[0], merged, *effects[1:])
    return new, effects


def records_fact(state: State, key: str) -> bool:
    """True when choosing ``key`` on the current screen records a fact about the resident
    (a paper had or not, which alternative of a paper she has, whether a paper's case applies,
    priority, needs, delivery): such an
    answer, when it comes by voice, is repeated back and confirmed before it is taken.
    Navigation (groups, procedures, next, commands) is never confirmed, except a spoken
    "start over" that would throw the visit away (``repeated_back`` decides both)."""
    v = state.visit
    if v.screen == "paper":
        # yes / no, or which of a paper's alternatives she has ("alt:k")
        return v.stage in ("when", "have") and (
            key in ("button_yes", "button_no") or key.startswith("alt:")
        )
    if v.screen in ("callback", "consent"):  # asking for a call back, agreeing to give the number
        return key in ("button_yes", "button_no")
    kind = key.partition(":")[0]
    return (v.screen, kind) in (
        ("priority", "prio"), ("needs", "need"), ("delivery", "deliver"), ("feedback", "fb")
    )


def loses_visit(state: State) -> bool:
    """True when "start over" would throw away what this visit has done (any screen past the
    home screen: a request chosen, papers answered, a slip printed but not yet surveyed).
    Spoken there, it is repeated back and confirmed like an answer: the recogniser takes other
    speech for a command now and then (a short word heard as 처음으로 on the evaluation), and a
    resident sent back to the start would have to answer everything again. Its key and button
    are never confirmed."""
    return state.visit.screen not in ("attract", "language", "home")


def repeated_back(state: State, key: str, model: ScreenModel | None = None) -> bool:
    """True when ``key``, heard by voice on this screen (``model``, built when not given), is
    repeated back before it is taken: an answer that records a fact (``records_fact``) or a
    "start over" that would throw the visit away (``loses_visit``)."""
    if key == "command_start_over":
        return loses_visit(state)
    if not records_fact(state, key):
        return False
    return (model or build_screen(state)).option(key) is not None


def _check(state: State, key: str) -> Result:
    """Ask "you chose X, right?" for an answer heard by voice: one short sentence, with how to
    answer it only the first time in a visit."""
    visit = replace(state.visit, pending=key, pending_hint=not state.check_hint_said, focus=None)
    new = replace(state, visit=visit, check_hint_said=True)
    return new, present(new)


def _check_again(state: State, unclear: bool) -> Result:
    """The check once more, with how to answer it (after "repeat" or an unclear answer)."""
    new = replace(state, visit=replace(state.visit, pending_hint=True))
    if not unclear:
        return new, present(new)
    new, sorry = _sorry(new)
    speech = tuple(item for item in build_screen(new).speech if item[0] != "warning_idle")
    return new, (Say((*sorry.items, *speech)),)


def _pending(state: State, model: ScreenModel, event: Event) -> Result:
    """An answer heard by voice waits for confirmation: "đúng", the Đúng button, Enter or a
    digit key take it; "không", the Không button or Back ask the question again. "Repeat" and
    an unclear answer say the check again with how to answer it; other commands (louder, help,
    call staff) work as usual and keep it waiting."""
    v = state.visit
    key = v.pending or ""
    cleared = replace(state, visit=replace(v, pending=None, focus=None))

    def again() -> Result:
        return cleared, present(cleared)

    def take() -> Result:
        new, effects = _intent(cleared, key)
        if not any(isinstance(e, Listen) for e in effects):
            # the check had its own grammar: listen for the screen's choices again
            effects = (*effects, *(e for e in present(new, speak=False) if isinstance(e, Listen)))
        return new, effects

    if isinstance(event, Heard | Press):
        name = event.intent if isinstance(event, Heard) else event.key
        if name in ("answer_right", "button_yes"):
            return take()
        if name in ("answer_wrong", "button_no", "command_back"):
            return again()
        if name == "command_repeat":
            return _check_again(state, unclear=False)
        if isinstance(event, Heard) and repeated_back(cleared, name):
            return _check(cleared, name)  # a different answer: repeat that one back
        if name.startswith("command_") or model.option(name) is not None:
            return _intent(state, name)
        return _check_again(state, unclear=True)
    if isinstance(event, Command):
        if event.name == "repeat":
            return _check_again(state, unclear=False)
        return again() if event.name == "back" else _command(state, event.name)
    if isinstance(event, Choose | Focus):
        opt = model.by_number(event.number)
        if opt is not None and opt.key == "answer_wrong":
            return again() if isinstance(event, Choose) else _focus(state, opt.key, opt.spoken)
        if opt is not None and opt.role == "footer":
            return _user(replace(state, visit=replace(v, pending=None)), event)
        return take()  # any other key takes it
    if isinstance(event, FocusMove):
        return _user(replace(state, visit=replace(v, pending=None)), event)
    if isinstance(event, Activate):
        if v.focus == "answer_wrong":
            return again()
        focused = model.option(v.focus) if v.focus else None
        if focused is not None and focused.role == "footer":
            return _intent(state, focused.key)
        return take()
    return _check_again(state, unclear=True)


def _user(state: State, event: Event) -> Result:
    if state.visit.screen == "staff_code":
        result = _staff_code(state, event)
        if result is not None:
            return result
    if state.visit.screen == "phone":
        result = _phone(state, event)
        if result is not None:
            return result
    model = build_screen(state)
    if state.visit.pending is not None:
        return _pending(state, model, event)
    if isinstance(event, Choose):
        opt = model.by_number(event.number)
        if opt is None:
            return state, (_say(state, "speech_no_such_number", number=event.number),)
        return _intent(state, opt.key)
    if isinstance(event, Press):
        if model.option(event.key) is None and not event.key.startswith("command_"):
            return state, ()
        return _intent(state, event.key)
    if isinstance(event, Focus):
        opt = model.by_number(event.number)
        if opt is None:
            return state, (_say(state, "speech_no_such_number", number=event.number),)
        return _focus(state, opt.key, opt.spoken)
    if isinstance(event, FocusMove):
        opts = model.all_options
        if not opts:
            return state, ()
        keys = [o.key for o in opts]
        i = keys.index(state.visit.focus) if state.visit.focus in keys else -1
        first = 0 if event.delta > 0 else len(opts) - 1
        i = first if i < 0 else (i + event.delta) % len(opts)
        return _focus(state, opts[i].key, opts[i].spoken)
    if isinstance(event, Activate):
        if state.visit.focus and model.option(state.visit.focus):
            return _intent(state, state.visit.focus)
        return state, present(state)  # nothing chosen: Enter repeats the screen
    if isinstance(event, Command):
        return _command(state, event.name)
    if isinstance(event, Heard):
        if repeated_back(state, event.intent, model):
            return _check(state, event.intent)
        if model.option(event.intent) is not None or event.intent.startswith("command_"):
            return _intent(state, event.intent)
        kind, _, arg = event.intent.partition(":")
        if state.visit.screen in ("home", "type", "none"):  # a request named from any page
            if kind == "proc" and arg in state.ctx.procedures:
                return go(state, Visit(screen="procedure", code=arg))
            if kind == "svc" and arg in state.ctx.services:
                return _open(state, arg)
            if event.intent == "services":
                return _intent(state, "services")
            if kind == "ref":
                referral = next((r for r in state.ctx.referrals if r.id == arg), None)
                if referral is not None:
                    return _not_done_here(state, "", referral)
        return _unclear(state, model)
    if isinstance(event, Unclear):
        return _unclear(state, model)
    if isinstance(event, Text):
        return _text(state, event.text)
    if isinstance(event, Typing):
        return state, ()
    if isinstance(event, ReadOn):
        return state, (_read_on(state, model, event),)
    raise TypeError(f"unknown event {event!r}")


def _read_on(state: State, model: ScreenModel, ev: ReadOn) -> Say:
    items = list(_say(state, "speech_part", part=ev.part, parts=ev.parts).items)
    items += [(None, model.lines_spoken[i]) for i in ev.lines if i < len(model.lines_spoken)]
    if ev.prompt and model.prompt_spoken:
        items.append((None, model.prompt_spoken))
    shown = [o for o in model.options if o.key in ev.keys]
    items += menu_speech(state.ctx.packs[state.settings.lang], shown)
    return Say(tuple(items))


STAFF_CODE_MAX = 12


def _typed_digits(event: Event) -> str:
    """The digit a key typed (the keypad, or an on-screen digit), or ""."""
    if isinstance(event, Focus | Choose):
        return str(event.number)
    if isinstance(event, Press) and event.key.startswith("digit:"):
        return event.key[6:]
    return ""


def _phone(state: State, event: Event) -> Result | None:
    """The call-back number: digits type it (keypad, on-screen digits, or a line of digits in
    text mode), each said back alone; Back or "Xoá số cuối" deletes the last digit (Back with
    none typed leaves the screen); Enter or "Xong" checks it and reads it back. None: the
    event is not about the number (footer commands and the like go the usual way)."""
    v = state.visit
    digits = _typed_digits(event)
    if isinstance(event, Text) and event.text.strip().isdigit():
        digits = event.text.strip()
    if digits:
        room = PHONE_MAX - len(v.phone)
        new = replace(state, visit=replace(v, phone=v.phone + digits[: max(room, 0)], focus=None))
        said = tuple((None, digit) for digit in digits[: max(room, 0)])  # one digit an item
        return new, (Show(build_screen(new)), Say(said or _say(new, "error_phone_bad").items))
    key = event.key if isinstance(event, Press) else event.intent if isinstance(event, Heard) \
        else ""
    deleting = key == "phone_delete" or (isinstance(event, Command) and event.name == "back")
    if deleting and (v.phone or key == "phone_delete"):
        new = replace(state, visit=replace(v, phone=v.phone[:-1], focus=None))
        pid = "speech_phone_deleted" if v.phone else "speech_phone_empty"
        return new, (Show(build_screen(new)), _say(new, pid))
    if key == "phone_ok" or isinstance(event, Activate):
        if len(v.phone) in (PHONE_MAX - 1, PHONE_MAX) and v.phone.startswith("0"):
            return go(state, replace(v, screen="phone_check", focus=None))
        return state, (_say(state, "error_phone_bad"),)
    return None


def _staff_code(state: State, event: Event) -> Result | None:
    """Digits type the code (keypad or the on-screen digits), Enter checks it."""
    v = state.visit
    digit = _typed_digits(event)
    if digit:
        code = (v.staff_code + digit)[:STAFF_CODE_MAX]
        new = replace(state, visit=replace(v, staff_code=code, staff_code_note=""))
        return new, (Show(build_screen(new)), _say(new, "speech_code_digit", count=len(code)))
    if isinstance(event, Press) and event.key == "code_clear":
        new = replace(state, visit=replace(v, staff_code=""))
        return new, (Show(build_screen(new)), _say(new, "speech_code_cleared"))
    if isinstance(event, Activate) or (isinstance(event, Press) and event.key == "code_ok"):
        wait = state.ctx.staff_code_wait()
        if wait > 0:  # too many wrong codes: not even checked for a while
            return _staff_code_locked(state, wait)
        if v.staff_code and state.ctx.check_staff_code(v.staff_code):
            failed = failed_print(state)
            detail = f"case {failed.case_id}" if failed is not None else ""
            new, effects = reset_state(state)
            return new, (JournalEvent("print_failure_dismissed", detail), *effects)
        note = JournalEvent("staff_code_refused", "print_failed")
        wait = state.ctx.staff_code_wait()
        if wait > 0:  # that wrong code was one too many: say the wait, not "type it again"
            new, effects = _staff_code_locked(state, wait)
            return new, (note, *effects)
        new = replace(state, visit=replace(v, staff_code="", staff_code_note="speech_code_wrong"))
        return new, (Show(build_screen(new)), _say(new, "speech_code_wrong"), note)
    return None


def _staff_code_locked(state: State, wait: float) -> Result:
    """The staff code is locked for ``wait`` seconds: shown under the code and spoken."""
    minutes = max(1, math.ceil(wait / 60))
    v = replace(
        state.visit, staff_code="", staff_code_note="speech_code_locked",
        staff_code_minutes=minutes,
    )
    new = replace(state, visit=v)
    note = JournalEvent("staff_code_locked", f"{math.ceil(wait)} s")
    return new, (Show(build_screen(new)), _say(new, "speech_code_locked", minutes=minutes), note)


UNCLEAR_AGAIN = 2
"""From this many spoken answers not understood in a row, the apology also says that the keys,
the screen and "call staff" will do: a voice the recogniser does not hear well (hoarse, soft,
an accent) must not be left asking forever."""


def _sorry(state: State) -> tuple[State, Say]:
    """The apology for an answer not understood, counted into the run of them."""
    new = replace(state, unclear_run=state.unclear_run + 1)
    pid = "speech_unclear_again" if new.unclear_run >= UNCLEAR_AGAIN else "speech_unclear"
    return new, _say(new, pid)


def _unclear(state: State, model: ScreenModel) -> Result:
    new, sorry = _sorry(state)
    items = [*sorry.items, (None, model.prompt_spoken)]
    items += menu_speech(new.ctx.packs[new.settings.lang], model.options)
    return new, (Say(tuple(items)),)


FOCUS_HINTS = 2
"""How many times a visit hears "press Enter to choose" after a digit (then it knows)."""


def _focus(state: State, key: str, spoken: str) -> Result:
    new = replace(state, visit=replace(state.visit, focus=key))
    hint: tuple = ()
    if new.focus_hints < FOCUS_HINTS:
        hint = _say(new, "speech_focus_hint").items
        new = replace(new, focus_hints=new.focus_hints + 1)
    return new, (Show(build_screen(new)), Say(((None, spoken), *hint)))


RESULT_BAND = 12.0
"""A result service (collect it, it is late) this close to the best candidate, beside a
procedure as close, turns the answer into the question "handed in already?" (the matcher's own
band for what an ask offers)."""


def _text(state: State, text: str) -> Result:
    text = text.strip()
    if not text:
        return state, ()
    result = state.ctx.match(text)
    ctx = state.ctx
    codes = tuple(
        c.code for c in result.candidates if c.code in ctx.procedures or c.code in ctx.services
    )
    if result.verdict in ("match", "ask") and codes:
        about_result = _about_a_result(state, result)
        if about_result is not None:
            return go(state, Visit(screen="ask", candidates=about_result, question=SUBMITTED))
    if result.verdict == "match" and codes:
        return _open(state, codes[0])
    if result.verdict == "ask" and codes:
        question = question_for(codes[:4], ctx.questions)
        qid = question.id if question else None
        return go(state, Visit(screen="ask", candidates=codes[:4], question=qid))
    return _not_done_here(state, text[:80], getattr(result, "referral", None))


def _about_a_result(state: State, result: MatchLike) -> tuple[str, ...] | None:
    """A request that may be about the result of a procedure handed in already ("giấy khai
    sinh của cháu xong chưa": the matcher often ranks the procedure first, the result service
    close behind): the candidates for the question "handed in already?" (the procedure first,
    then the result services), or None."""
    ctx = state.ctx
    pool = {c.code: c for c in (*getattr(result, "ranked", ()), *result.candidates)}
    if not result.candidates or not all(s in ctx.services for s in RESULT_SERVICES):
        return None
    near = result.candidates[0].score - RESULT_BAND
    procedures = [c for c in pool.values() if c.code in ctx.procedures and c.score >= near]
    results = [c for c in pool.values() if c.code in RESULT_SERVICES and c.score >= near]
    if not procedures or not results:
        return None
    best = max(procedures, key=lambda c: c.score)
    return (best.code, *RESULT_SERVICES)


def _open(state: State, code: str) -> Result:
    """Open a procedure, or one of the centre's services, in plain words."""
    if code in state.ctx.services:
        return go(state, Visit(screen="service", service=code))
    return go(state, Visit(screen="procedure", code=code))


def _not_done_here(state: State, heard: str, referral: Referral | None) -> Result:
    """The "not done here" screen, with where to go instead when the request was about it."""
    new, effects = go(state, Visit(screen="none", heard=heard, referral=referral))
    if referral is not None:  # counted for the reports: what residents ask that is done elsewhere
        effects = (*effects, JournalEvent("referral", referral.id))
    return new, effects


def question_for(codes: tuple[str, ...], questions: tuple[Question, ...]) -> Question | None:
    """The distinguishing question for an ask: the one whose answers lead to the best candidate
    and to the most other candidates (at least two in all); the first such in the file."""
    best: Question | None = None
    covered = 1
    for q in questions:
        n = len(set(codes) & q.codes)
        if codes and codes[0] in q.codes and n > covered:
            best, covered = q, n
    return best



# -- global commands ----------------------------------------------------------------------------
def _command(state: State, name: str) -> Result:
    ctx = state.ctx
    s = state.settings
    if name == "repeat":
        return state, present(state)
    if name == "stop":
        return state, ()
    if name in ("slower", "faster"):
        ch = step_rate(s, 1 if name == "faster" else -1, ctx.limits)
        if ch.at_limit:
            pid = "speech_rate_fastest" if name == "faster" else "speech_rate_slowest"
            return state, (replace(_say(state, pid), then_resume=True),)
        new = replace(state, settings=ch.settings)
        say = _say(
            new, "speech_rate_level", level=ch.settings.rate_step + 1, count=ctx.limits.rate_steps
        )
        return new, (ApplySettings(new.settings), replace(say, then_resume=True))
    if name in ("louder", "softer"):
        ch = step_volume(s, 1 if name == "louder" else -1, ctx.limits)
        if ch.at_limit:
            pid = "speech_volume_loudest" if name == "louder" else "speech_volume_softest"
            return state, (replace(_say(state, pid), then_resume=True),)
        new = replace(state, settings=ch.settings)
        level = ch.settings.volume_step + 1
        say = _say(new, "speech_volume_level", level=level, count=ctx.limits.volume_steps)
        return new, (ApplySettings(new.settings), replace(say, then_resume=True))
    if name in ("text_bigger", "text_smaller"):
        ch = step_text_size(s, 1 if name == "text_bigger" else -1)
        if ch.at_limit:
            pid = "speech_text_largest" if name == "text_bigger" else "speech_text_smallest"
            return state, (_say(state, pid),)
        new = replace(state, settings=ch.settings)
        level = TEXT_SIZES.index(ch.settings.text_size) + 1
        say = _say(new, "speech_text_size", level=level, count=len(TEXT_SIZES))
        return new, (ApplySettings(new.settings), *present(new, speak=False), say)
    if name == "theme_next":
        ch = next_theme(s)
        new = replace(state, settings=ch.settings)
        pack = ctx.packs[s.lang]
        say = _say(new, "speech_theme", theme=pack.spoken(f"prompt_theme_{ch.settings.theme}"))
        return new, (ApplySettings(new.settings), *present(new, speak=False), say)
    if name == "back":
        return _back(state)
    if name == "start_over" and (failed := failed_print(state)) is not None:
        new = replace(state, visit=failed, history=())
        return new, present(new)
    if name == "start_over":
        effects: list[Effect] = []
        v = state.visit
        if v.case_id is not None and not v.surveyed:
            effects.append(JournalSatisfaction(v.case_id, "skipped"))
        new = replace(state, visit=Visit(screen="home"), history=(Visit(screen="language"),))
        return new, (*effects, *present(new))
    if name == "call_staff":
        if state.visit.screen == "staff":
            return state, present(state)
        new, effects = go(state, _keeping_case(state, "staff"))
        return new, (JournalEvent("call_staff", state.visit.screen), *effects)
    if name == "help":
        if state.visit.screen == "help":
            return state, present(state)
        return go(state, Visit(screen="help"))
    return state, ()


def _back(state: State) -> Result:
    if state.visit.screen == "language":
        return reset_state(state)
    if not state.history:
        if state.visit.case_id is not None or state.visit.screen == "error_journal":
            return state, present(state)  # after printing there is no step back: say it again
        return state, (_say(state, "speech_no_back"),)
    prev = state.history[-1]
    new = replace(state, visit=replace(prev, focus=None), history=state.history[:-1])
    return new, present(new)


# -- options ------------------------------------------------------------------------------------
def _intent(state: State, key: str) -> Result:
    v = state.visit
    ctx = state.ctx
    if key.startswith("command_"):
        return _command(state, key[len("command_") :])
    if key in SETTING_COMMANDS:
        return _command(state, key)
    kind, _, arg = key.partition(":")
    if kind in ("lang", "voice"):
        if kind == "lang":
            settings = replace(state.settings, lang=arg, voice="")
        else:
            choice = next((c for c in ctx.voices if c.id == arg), None)
            if choice is None:
                return state, ()
            settings = replace(state.settings, lang=choice.lang, voice=choice.id)
        new, effects = _to_home(replace(state, settings=settings))
        # the speaker takes the language (and the chosen voice) before the home screen speaks
        return new, (ApplySettings(new.settings), *effects)
    if kind == "group":
        return go(state, Visit(screen="group", group=arg))
    if kind == "proc":
        return go(state, Visit(screen="procedure", code=arg))
    if kind == "svc" and arg in ctx.services:
        return _open(state, arg)
    if key == "services":
        return go(state, Visit(screen="services"))
    if kind == "answer":
        question = question_of(state)
        if question is not None and arg.isdigit() and int(arg) < len(question.answers):
            return _open(state, question.answers[int(arg)].code)
        return state, ()
    if key == "print_referral" and v.referral is not None:
        ref = v.referral
        pack = ctx.packs[state.settings.lang]
        text = ref.text_for(state.settings.lang)
        lines = ((pack.screen("slip_referral_caption"), pack.spoken("slip_referral_caption")),)
        lines = (*lines, (text, text))
        say = _say(state, "speech_referral_printing")
        return state, (say, PrintNote(ref.name, lines, state.settings.lang))
    if key == "type":
        return go(state, Visit(screen="type"))
    if key == "staff":
        return _command(state, "call_staff")
    if key == "other":
        return go(state, Visit(screen="home"))
    if key in ("more", "prev"):
        new = replace(state, visit=replace(v, page=v.page + (1 if key == "more" else -1)))
        return new, present(new)
    if key == "resume":
        return _back(state)
    if key == "details":
        model = build_screen(state)
        return state, (Say(tuple((None, text) for text in model.details)),)
    screen = v.screen
    if screen in ("service", "feedback", "callback", "consent", "phone_check"):
        result = _service_step(state, key)
        if result is not None:
            return result
    if screen == "procedure" and key == "continue":
        return _paper_or_next(state, _fresh_papers(state, v), 0)
    if screen == "paper":
        return _paper_answer(state, key)
    if kind == "prio" and v.service is not None:  # a service: the ticket and its slip now
        new = replace(state, visit=replace(v, screen="printing", priority=arg, phone=""),
                      history=())
        return new, (*present(new), PrintCase(draft_of(replace(state, visit=replace(
            v, priority=arg)))))
    if kind == "prio":
        return go(state, replace(v, screen="needs", priority=arg))
    if kind == "need":
        needs = v.needs ^ {arg}
        new = replace(state, visit=replace(v, needs=frozenset(needs), focus=key))
        model = build_screen(new)
        opt = model.option(key)
        if opt is None:
            return new, (Show(model),)
        spoken = opt.spoken
        if not opt.selected:
            pack = ctx.packs[state.settings.lang]
            label = pack.spoken(f"button_need_{arg}")
            spoken = pack.spoken("speech_option_unselected", label=label)
        return new, (Show(model), Say(((None, spoken),)))
    if key == "done" and screen == "needs":
        return go(state, replace(v, screen="delivery"))
    if kind == "deliver":
        return go(state, replace(v, screen="confirm", delivery=arg))
    if screen == "confirm":
        if key == "button_yes":
            new = replace(state, visit=replace(v, screen="printing"), history=())
            return new, (*present(new), PrintCase(draft_of(state)))
        if key == "button_no":
            return _paper_or_next(state, _fresh_papers(state, v), 0)
    if screen == "printed":
        if key == "hear_slip":
            return state, (Say(tuple((None, spoken) for _, spoken in v.slip)),)
        if key == "continue":
            return go(state, replace(v, screen="survey"), push=False)
    if screen == "print_failed":
        if key == "retry" and v.case_id is not None and v.ticket and v.payload:
            new = replace(state, visit=replace(v, screen="printing"))
            return new, (*present(new), RetryPrint(v.case_id, draft_of(state), v.ticket, v.payload))
        if key == "staff_dismiss":
            return go(state, _keeping_case(state, "staff_code"))
    if kind == "sat" and arg in SURVEY:
        effects: tuple[Effect, ...] = ()
        if v.case_id is not None:
            effects = (JournalSatisfaction(v.case_id, arg),)
        new, shown = go(state, replace(v, screen="thanks", surveyed=True), push=False)
        return new, (*effects, *shown)
    if key == "finish":
        return reset_state(state)
    return state, ()


def _service_step(state: State, key: str) -> Result | None:
    """A service visit: its screen → (feedback: the topic → a call back? → consent → the
    number → read back) → priority → the ticket and its slip."""
    v = state.visit
    kind, _, arg = key.partition(":")
    if v.screen == "service" and key == "continue":
        return go(state, replace(v, screen="feedback" if v.service == FEEDBACK else "priority"))
    if v.screen == "feedback" and kind == "fb":
        return go(state, replace(v, screen="callback", topic=arg))
    if v.screen == "callback" and key == "button_yes":
        return go(state, replace(v, screen="consent"))
    if v.screen in ("callback", "consent") and key == "button_no":
        return go(state, replace(v, screen="priority", call_back=False, phone=""))
    if v.screen == "consent" and key == "button_yes":
        return go(state, replace(v, screen="phone", phone=""))
    if v.screen == "phone_check" and key == "button_yes":
        return go(state, replace(v, screen="priority", call_back=True))
    if v.screen == "phone_check" and key == "button_no":  # type it again, from nothing
        history = state.history[:-1] if state.history else ()
        new = replace(state, visit=replace(v, screen="phone", phone=""), history=history)
        return new, present(new)
    return None


def _fresh_papers(state: State, v: Visit) -> Visit:
    """``v`` with every paper answer cleared, ready to walk the checklist from the start."""
    n = len(state.ctx.procedures[v.code or ""].papers)
    return replace(v, have=(None,) * n, applies=(None,) * n, which=(None,) * n)


def _keeping_case(state: State, screen: str) -> Visit:
    """A new screen that keeps the unprinted case's ticket and QR code on show."""
    failed = failed_print(state)
    if failed is None:
        return Visit(screen=screen)
    return Visit(
        screen=screen,
        ticket=failed.ticket,
        payload=failed.payload,
        case_id=failed.case_id,
        print_problem=failed.print_problem,
    )


def _paper_or_next(state: State, v: Visit, i: int) -> Result:
    """Open paper ``i`` (its first stage), or the priority screen after the last paper."""
    p = state.ctx.procedures[v.code or ""]
    if i >= len(p.papers):
        return go(state, replace(v, screen="priority", stage="have"))
    paper = p.papers[i]
    stage = "when" if paper.need is PaperNeed.SOMETIMES and paper.when else "have"
    return go(state, replace(v, screen="paper", paper=i, stage=stage))


def _set(t: tuple, i: int, value) -> tuple:
    return (*t[:i], value, *t[i + 1 :])


def _paper_answer(state: State, key: str) -> Result:
    v = state.visit
    i = v.paper
    if v.stage == "when":
        if key == "button_yes":
            return go(state, replace(v, stage="have", applies=_set(v.applies, i, True)))
        if key == "button_no":
            # not needed in this resident's case: neither had nor missing, left off the slip
            w = replace(v, applies=_set(v.applies, i, False), have=_set(v.have, i, False))
            return _paper_or_next(state, w, i + 1)
    elif v.stage == "have":
        kind, _, arg = key.partition(":")
        if kind == "alt" and arg.isdigit():
            # a paper any one of several things will do for: she has this one
            w = replace(v, have=_set(v.have, i, True), which=_set(v.which, i, int(arg)))
            return _paper_or_next(state, w, i + 1)
        if key == "button_yes":
            return _paper_or_next(state, replace(v, have=_set(v.have, i, True)), i + 1)
        if key == "button_no":
            w = replace(v, stage="where", have=_set(v.have, i, False), which=_set(v.which, i, None))
            return go(state, w)
    elif v.stage == "where" and key == "next":
        return _paper_or_next(state, v, i + 1)
    return state, ()


def _printed(state: State, ev: Printed) -> Result:
    v = state.visit
    if not ev.recorded:
        new = replace(state, visit=replace(v, screen="error_journal"), history=())
        return new, present(new)
    v2 = replace(
        v,
        ticket=ev.ticket or v.ticket,
        payload=ev.payload or v.payload,
        case_id=ev.case_id if ev.case_id is not None else v.case_id,
        slip=ev.slip or v.slip,
        slip_kinds=ev.slip_kinds or v.slip_kinds,
        print_problem=None if ev.ok else (ev.problem or "error"),
    )
    if ev.ok:
        # the screen's own speech: take the slip, what is missing and where to get it first,
        # the whole slip on request ("Nghe lại phiếu")
        new = replace(state, visit=replace(v2, screen="printed"), history=())
        return new, present(new)
    new = replace(state, visit=replace(v2, screen="print_failed"), history=())
    return new, present(new)


def _note_printed(state: State, ev: NotePrinted) -> Result:
    v = state.visit
    ref = v.referral.id if v.referral else ""
    note = JournalEvent("referral_print", f"{ref} {'ok' if ev.ok else ev.problem or 'error'}")
    if v.screen != "none":
        return state, (note,)
    pid = "speech_referral_printed" if ev.ok else "speech_referral_print_failed"
    return state, (note, _say(state, pid))


# -- time ---------------------------------------------------------------------------------------
def _tick(state: State, ev: Tick) -> Result:
    if ev.day and ev.day != state.today:
        state = replace(state, today=ev.day)
    v = state.visit
    ctx = state.ctx
    if v.screen == "attract":
        return _attract_cue(state, ev)
    if v.screen == "printing" or failed_print(state) is not None:
        return state, ()
    idle = state.idle
    if ev.busy:
        return (replace(state, idle=replace(idle, since=None)), ()) if idle.since else (state, ())
    if idle.since is None:
        return replace(state, idle=replace(idle, since=ev.now)), ()
    elapsed = ev.now - idle.since
    if v.screen == "thanks":
        if elapsed >= ctx.thanks_seconds:
            return reset_state(state)
        return state, ()
    if not idle.warned:
        if elapsed >= ctx.idle_warning:
            new = replace(state, idle=replace(idle, warned=True, since=None))
            model = build_screen(new)
            pack = ctx.packs[state.settings.lang]
            return new, (Show(model), Say((("warning_idle", pack.spoken("warning_idle")),)))
        return state, ()
    if elapsed >= ctx.idle_reset:
        return reset_state(state)
    return state, ()


def _attract_cue(state: State, ev: Tick) -> Result:
    """Softly, at most every ``attract_cue_seconds``, within the cue's hours: "a terminal is
    here, press any key". The volume returns to normal when a visit starts."""
    ctx = state.ctx
    first, last = ctx.attract_cue_hours
    due = state.attract_cue_at is None or ev.now - state.attract_cue_at >= ctx.attract_cue_seconds
    if ctx.attract_cue_seconds <= 0 or ev.busy or not due or not first <= ev.minute < last:
        return state, ()
    new = replace(state, attract_cue_at=ev.now)
    volume = min(ctx.attract_cue_volume, state.settings.volume_step)
    soft = replace(state.settings, volume_step=volume)
    return new, (ApplySettings(soft), _say(new, "speech_attract_cue"))


def start(ctx: Context) -> Result:
    """The first state and what to show when the terminal starts."""
    state = initial_state(ctx)
    return state, (ApplySettings(state.settings), *present(state, speak=False))
