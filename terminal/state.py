"""The state of the dialogue: frozen dataclasses only, no behaviour.

``State`` = what the visit has decided so far (``Visit``), the resident's settings, the way back
(``history``), the idle timer and the fixed ``Context`` (catalogue, phrase packs, timeouts).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from procedures.everyday import Referral
from procedures.model import Group, Procedure, Question, Service
from terminal.settings import SettingLimits, Settings
from voices.phrases import PhrasePack


class CandidateLike(Protocol):
    code: str


class MatchLike(Protocol):
    """What ``procedures.matching.match`` returns (verdict + candidates best first)."""

    verdict: str
    candidates: tuple[Any, ...]
    referral: Referral | None


@dataclass(frozen=True)
class VoiceChoice:
    """A recorded voice offered on the language screen (a dialect, a minority language)."""

    id: str
    """The clip pack id, e.g. "vi-south" or "hmn"."""
    lang: str
    """The screen language that goes with it."""
    label: str
    """Its name on the button."""
    spoken: str
    """How the language screen names it aloud."""


@dataclass(frozen=True)
class Context:
    """Everything the dialogue reads but never changes."""

    packs: Mapping[str, PhrasePack]
    """Phrase pack per language."""
    groups: tuple[Group, ...]
    """Groups in screen order."""
    procedures: Mapping[str, Procedure]
    """Procedures by code."""
    group_codes: Mapping[str, tuple[str, ...]]
    """Procedure codes of each group, in list order."""
    match: Callable[[str], MatchLike]
    """Free text → verdict ("match"/"ask"/"none") and candidates."""
    languages: tuple[str, ...] = ("vi", "en")
    """Offered languages, first is the default."""
    voices: tuple[VoiceChoice, ...] = ()
    """Recorded voices offered after the languages (packs that cover enough of a visit)."""
    defaults: Settings = field(default_factory=Settings)
    """Settings a visit starts with and returns to."""
    limits: SettingLimits = field(default_factory=SettingLimits)
    idle_warning: float = 60.0
    """Quiet seconds before the warning."""
    idle_reset: float = 30.0
    """Seconds after the warning before the reset."""
    max_extensions: int = 20
    """How many times an action may answer the warning and extend the session."""
    thanks_seconds: float = 15.0
    """How long the thank-you screen stays before the terminal resets itself."""
    voice_input: bool = False
    """True when a speech model listens; False → the visit says once that voice input is off."""
    page_size: int = 6
    """Numbered choices per page (at most six)."""
    attract_cue_seconds: float = 0.0
    """Say the attract cue softly at most this often while idle (0: never)."""
    attract_cue_hours: tuple[int, int] = (7 * 60, 17 * 60)
    """Minutes of the day when the cue may be said (first inclusive, last exclusive)."""
    attract_cue_volume: int = 1
    """The volume step of the cue (soft)."""
    check_staff_code: Callable[[str], bool] = field(default=lambda code: False)
    """True for the staff PIN (``hotro desk passwd``); dismisses a print-failure screen."""
    staff_code_wait: Callable[[], float] = field(default=lambda: 0.0)
    """Seconds until the staff PIN may be tried again (0: now): after too many wrong codes the
    terminal checks none for a while (``terminal.wiring.StaffCodeGuard``)."""
    questions: tuple[Question, ...] = ()
    """Distinguishing questions for look-alike procedures (the catalogue's questions.yaml)."""
    referrals: tuple[Referral, ...] = ()
    """What the centre does not do and where to go instead (said by voice: ``ref:<id>``)."""
    services: Mapping[str, Service] = field(default_factory=dict)
    """The centre's own help (VNeID, results, feedback ...) by id, in list order ("Việc
    khác": most chosen first)."""


@dataclass(frozen=True)
class Visit:
    """One screen of the visit and every answer given so far."""

    screen: str = "attract"
    page: int = 0
    focus: str | None = None
    """Key of the focused option (keypad focus), or None."""
    group: str | None = None
    candidates: tuple[str, ...] = ()
    """Procedure codes and service ids offered after an unclear request ("ask")."""
    heard: str = ""
    """What the resident typed or said (shown back on the "not done here" screen only)."""
    question: str | None = None
    """Id of the distinguishing question the ask screen puts (``Context.questions``)."""
    referral: Referral | None = None
    """On the "not done here" screen: where to go instead, when the request was about one."""
    code: str | None = None
    """The chosen procedure."""
    service: str | None = None
    """The chosen service (``Context.services``), when the visit is not about a procedure."""
    topic: str | None = None
    """Feedback: what it is about (``cases.case.FEEDBACK_TOPICS``)."""
    call_back: bool = False
    """Feedback: she asked an officer to call her back, agreed to give her number, typed it."""
    phone: str = ""
    """The call-back number being typed or checked. Never spoken as one text, never printed,
    never logged; it leaves the visit with the case to the journal and is wiped at once."""
    paper: int = 0
    """Index of the paper being asked about."""
    stage: str = "have"
    """For the paper screen: "when" (does this case apply), "have", "where" (how to get it)."""
    have: tuple[bool | None, ...] = ()
    """Per paper: True has it (or it does not apply), False missing, None not asked yet."""
    applies: tuple[bool | None, ...] = ()
    """Per paper: for "sometimes" papers, whether the resident's case needs it."""
    which: tuple[int | None, ...] = ()
    """Per paper: for a paper any one of several things will do for, the index of the one the
    resident has (None: not asked, none of them, or an ordinary paper)."""
    priority: str | None = None
    needs: frozenset[str] = frozenset()
    delivery: str = "centre"
    ticket: str | None = None
    payload: str | None = None
    case_id: int | None = None
    slip: tuple[tuple[str, str], ...] = ()
    """The printed slip's lines (screen text, spoken text)."""
    slip_kinds: tuple[str, ...] = ()
    """The kind of each slip line (missing, where, have, info …)."""
    print_problem: str | None = None
    surveyed: bool = False
    pending: str | None = None
    """An option heard by voice that records a fact about the resident, waiting for "đúng" (or
    any key) before it is taken, or "không" (or Back) to ask again."""
    pending_hint: bool = False
    """Speak how to answer the check too (the first check of a visit, after an unclear answer,
    on "repeat"); otherwise the check is one short sentence."""
    staff_code: str = ""
    """Digits staff typed on the staff-code screen (shown as dots, wiped on leaving)."""
    staff_code_note: str = ""
    """What the staff-code screen says under the code after a try: "speech_code_wrong" or
    "speech_code_locked" (with ``staff_code_minutes``); shown as well as spoken."""
    staff_code_minutes: int = 0


@dataclass(frozen=True)
class Idle:
    since: float | None = None
    """Clock time the quiet period began (None: not counting yet)."""
    warned: bool = False
    extensions: int = 0


@dataclass(frozen=True)
class State:
    ctx: Context = field(compare=False, repr=False)
    visit: Visit = field(default_factory=Visit)
    settings: Settings = field(default_factory=Settings)
    history: tuple[Visit, ...] = ()
    idle: Idle = field(default_factory=Idle)
    voice_off_said: bool = False
    check_hint_said: bool = False
    """How to answer a spoken-answer check has been said once in this visit."""
    today: str = ""
    """The calendar day (ISO) of the latest clock tick; kept across visits."""
    voice_off_day: str | None = None
    """The day the "voice input is off" notice was last said; it is said once a day at most."""
    attract_cue_at: float | None = None
    """Clock time the attract cue was last said; kept across visits."""
    focus_hints: int = 0
    """How often this visit heard "press Enter to choose" after a digit."""
    unclear_run: int = 0
    """Spoken answers not understood in a row (any touch, key or understood answer ends the
    run, but reading on and typing into a field answer nothing and do not): from the second
    on, the terminal also says the keys and "call staff" will do."""


def initial_state(ctx: Context) -> State:
    """The attract screen with the configured defaults."""
    return State(ctx=ctx, settings=ctx.defaults)
