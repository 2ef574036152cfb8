"""Build the dialogue's context and the real ports from the configuration.

Each real part is optional: no speech engine → screen only; no speech model → voice input off
(the visit says so once); no printer → the PNG preview folder of the embedded defaults. What was
started and what was not is kept in ``Wiring.notes`` for the log and ``hotro doctor``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from cases.case import Case
from procedures.model import Procedure, Service
from terminal.config import Config, cue_hours
from terminal.ports import ChoiceSpec, Heard, PrintReport, SpeechItem
from terminal.settings import SettingLimits, Settings, clamp_settings
from terminal.state import Context, VoiceChoice

log = logging.getLogger("hotro.terminal")


@dataclass(frozen=True)
class _NoMatch:
    verdict: str = "none"
    candidates: tuple = ()


def _matcher(catalogue: Any) -> Callable[[str], Any]:
    try:
        from procedures.matching import match
    except ImportError:  # the matching module is missing: every request goes to staff
        log.warning("procedures.matching is not available; free text goes to staff")
        return lambda text: _NoMatch()
    return lambda text: match(text, catalogue)


def speaker_limits() -> SettingLimits:
    try:
        from voices.out import RATE_STEPS, VOLUME_STEPS
    except ImportError:
        return SettingLimits()
    return SettingLimits(len(RATE_STEPS), len(VOLUME_STEPS))


CURATED_ORDER: tuple[str, ...] = (
    "1.001193",  # Đăng ký khai sinh
    "3.000722",  # Khai sinh trọn gói cho bé
    "2.000635",  # Bản sao khai sinh, trích lục
    "1.004873",  # Xác nhận tình trạng hôn nhân
    "1.000656",  # Đăng ký khai tử
    "2.002913",  # Khai tử trọn gói
    "1.000894",  # Đăng ký kết hôn
    "2.000815",  # Chứng thực bản sao
    "2.000884",  # Chứng thực chữ ký
    "2.001035",  # Chứng thực hợp đồng
    "1.001776",  # Trợ cấp xã hội hằng tháng
    "1.011606",  # Rà soát hộ nghèo hằng năm
    "1.013978",  # Làm sổ đỏ lần đầu
    "1.004222",  # Đăng ký thường trú
)
"""Before the journal has counts: what commune centres are asked for most, first (the rest
keep catalogue order)."""
CURATED_SERVICES: tuple[str, ...] = (
    "pick_up_result",
    "vneid_help",
    "late_result",
    "feedback",
    "write_declaration",
    "read_aloud",
    "submit_online",
    "track_application",
    "pay_online",
    "meet_officer",
)
"""The same for "Việc khác": results and VNeID help first."""
POPULAR_DAYS = 90
"""How far back the journal's counts reach when ordering a group's procedures."""


class PopularityPort(Protocol):
    def counts(self) -> Mapping[str, int]:
        """Cases per procedure code, recent ones."""
        ...


class JournalPopularity:
    """How often residents chose each procedure in the last ``days`` days (the journal)."""

    def __init__(self, journal: Any, days: int = POPULAR_DAYS) -> None:
        self.journal = journal
        self.days = days

    def counts(self) -> Mapping[str, int]:
        from collections import Counter
        from datetime import date, timedelta

        first = (date.today() - timedelta(days=self.days)).isoformat()
        try:
            return Counter(row.service or row.procedure_code for row in self.journal.cases(first))
        except Exception as exc:  # noqa: BLE001 - no counts: the curated order
            log.warning("procedure counts unavailable (%s); using the curated order", exc)
            return {}


def order_by_use(
    codes: Sequence[str], counts: Mapping[str, int], curated: Sequence[str] = CURATED_ORDER
) -> tuple[str, ...]:
    """Most chosen first; ties (and no counts at all) in the curated order, then the
    catalogue's."""
    rank = {code: i for i, code in enumerate(curated)}
    position = {code: i for i, code in enumerate(codes)}
    return tuple(
        sorted(codes, key=lambda c: (-counts.get(c, 0), rank.get(c, len(rank)), position[c]))
    )


def build_context(
    config: Config,
    catalogue: Any | None = None,
    voice_input: bool = False,
    match: Callable[[str], Any] | None = None,
    voices: tuple[VoiceChoice, ...] | None = None,
    popularity: PopularityPort | None = None,
) -> Context:
    """The dialogue's fixed context: catalogue, phrase packs, timeouts, default settings.

    ``voices``: recorded voices for the language screen (None: the packs on the shelf that
    cover at least ``[voice] pack_min_share`` of a typical visit). Each group lists its
    procedures by how often residents chose them (``popularity``: the journal), falling back
    to ``CURATED_ORDER``."""
    from procedures.catalogue import load_catalogue
    from procedures.everyday import shipped_everyday
    from voices.phrases import load_pack

    cat = catalogue if catalogue is not None else load_catalogue()
    t = config.terminal
    limits = speaker_limits()
    defaults = clamp_settings(
        Settings(
            lang=t.languages[0],
            text_size=t.text_size,
            theme=t.theme,
            rate_step=config.voice.rate_step,
            volume_step=config.voice.volume_step,
        ),
        limits,
    )
    if voices is None:
        from terminal.coverage import offered_voices

        voices = offered_voices(config, cat)
    counts = popularity.counts() if popularity is not None else {}
    guard = StaffCodeGuard(staff_code_checker(config.desk.password_hash))
    group_codes = {
        g.id: order_by_use([p.code for p in cat.by_group(g.id)], counts) for g in cat.groups
    }
    services = getattr(cat, "services", {})
    service_order = order_by_use(list(services), counts, CURATED_SERVICES)
    return Context(
        packs={lang: load_pack(lang) for lang in t.languages},
        groups=tuple(cat.groups),
        procedures=dict(cat.procedures),
        group_codes=group_codes,
        match=match or _matcher(cat),
        languages=tuple(t.languages),
        voices=voices,
        defaults=defaults,
        limits=limits,
        idle_warning=t.idle_warning_seconds,
        idle_reset=t.idle_reset_seconds,
        max_extensions=t.max_extensions,
        voice_input=voice_input,
        check_staff_code=guard,
        staff_code_wait=guard.wait,
        attract_cue_seconds=t.attract_cue_seconds,
        attract_cue_hours=cue_hours(t.attract_cue_hours),
        questions=tuple(getattr(cat, "questions", ())),
        referrals=shipped_everyday().referrals,
        services={sid: services[sid] for sid in service_order},
    )


class StaffCodeGuard:
    """The staff PIN check with a lockout: after ``tries`` wrong codes in a row no code is
    checked for ``first_lock`` seconds, then twice as long after each further wrong code, at
    most ``max_lock``; a right code starts the count again. Without it the 4-8 digit PIN could
    be guessed at the terminal's keypad, which anyone can reach. Stricter than the desk's
    sign-in (``desk.auth.Throttle``, five more tries between locks): the keypad is public and
    the PIN is short."""

    def __init__(
        self,
        check: Callable[[str], bool],
        clock: Callable[[], float] = time.monotonic,
        tries: int = 5,
        first_lock: float = 60.0,
        max_lock: float = 3600.0,
    ) -> None:
        self._check, self._clock = check, clock
        self._tries, self._first, self._max = tries, first_lock, max_lock
        self._wrong = 0
        self._until = 0.0

    def wait(self) -> float:
        """Seconds until a code is checked again (0: now)."""
        return max(0.0, self._until - self._clock())

    def __call__(self, code: str) -> bool:
        if self.wait() > 0:
            return False
        if self._check(code):
            self._wrong = 0
            return True
        self._wrong += 1
        if self._wrong >= self._tries:
            lock = min(self._max, self._first * 2 ** (self._wrong - self._tries))
            self._until = self._clock() + lock
        return False


def staff_code_checker(stored: str) -> Callable[[str], bool]:
    """The staff PIN check (the desk's, set with ``hotro desk passwd``); none set: no code
    is right, and ``hotro doctor`` says so."""
    if not stored:
        return lambda code: False
    from desk.auth import verify_password

    def check(code: str) -> bool:
        try:
            return verify_password(code, stored)
        except ValueError:
            return False

    return check


# -- real adapters ------------------------------------------------------------------------------
class VoiceOutSpeaker:
    """``voices.out.VoiceOut`` behind the speaker port."""

    def __init__(
        self, config: Config, on_idle: Callable[[], None] | None = None, catalogue: Any = None
    ) -> None:
        from procedures.catalogue import load_catalogue
        from procedures.spoken import spoken_sections_of
        from voices.out import VoiceOut

        cat = catalogue if catalogue is not None else load_catalogue()
        self._lang = config.terminal.languages[0]
        self.voice = VoiceOut(
            lang=self._lang,
            variant=config.voice.voice,
            cache_dir=config.cache_dir / "speech",
            clips_dir=config.clips_dir,
            rate_step=config.voice.rate_step,
            volume_step=config.voice.volume_step,
            on_idle=on_idle,
            catalogue=spoken_sections_of(cat, config.centre.name),
        )
        self.first_word_at: float | None = None

    def say_all(self, items: Sequence[SpeechItem]) -> None:
        if self.first_word_at is None:
            self.first_word_at = time.monotonic()
        self.voice.say_all(list(items))

    def stop(self) -> None:
        self.voice.stop()

    @property
    def unfinished(self) -> list[SpeechItem]:
        """What the last ``stop`` cut short, from the item that was playing."""
        return self.voice.unfinished

    def apply(self, lang: str, rate_step: int, volume_step: int) -> None:
        if lang != self._lang:
            self._lang = lang
            self.voice.set_language(lang)
        self.voice.rate_step = rate_step
        self.voice.volume_step = volume_step

    def use_voice(self, voice: str) -> None:
        """Speak with clip pack ``voice`` ("" = the language's own pack)."""
        self.voice.set_voice(voice)

    @property
    def speaking(self) -> bool:
        return bool(self.voice.speaking)

    @property
    def available(self) -> bool:
        return bool(self.voice.available)

    def close(self) -> None:
        self.voice.close()


class SilentSpeaker:
    """No audio: the screen carries everything."""

    available = False
    speaking = False

    def say_all(self, items: Sequence[SpeechItem]) -> None:
        pass

    def stop(self) -> None:
        pass

    def apply(self, lang: str, rate_step: int, volume_step: int) -> None:
        pass

    def use_voice(self, voice: str) -> None:
        pass

    def close(self) -> None:
        pass


class VoiceInListener:
    """``voices.listen.VoiceIn`` behind the listener port."""

    def __init__(
        self,
        model_dir: Path,
        is_speaking: Callable[[], bool],
        source: Any | None = None,
        courtesy: tuple[Sequence[str], Sequence[str]] = ((), ()),
    ) -> None:
        from voices.grammar import Courtesy
        from voices.listen import VoiceIn

        self.voice_in = VoiceIn(
            model_dir, is_speaking=is_speaking, source=source, courtesy=Courtesy.of(*courtesy)
        )

    def listen(self, choices: Sequence[ChoiceSpec], on_result: Callable[[Heard], None]) -> None:
        from voices.listen import Choice

        spec = [Choice(intent, tuple(phrases)) for intent, phrases in choices if phrases]

        def done(result: Any) -> None:
            on_result(Heard(result.result, result.intent, result.text))

        self.voice_in.listen(spec, done)

    def stop(self) -> None:
        self.voice_in.stop()

    @property
    def available(self) -> bool:
        return bool(self.voice_in.available)

    @property
    def problem(self) -> str:
        return str(self.voice_in.problem)

    def close(self) -> None:
        self.voice_in.close()


class SlipPrinter:
    """``printer`` package behind the printer port: build, render, print, never raise."""

    def __init__(self, config: Config) -> None:
        self.config = config

    def print_case(
        self, case: Case, procedure: Procedure | Service, payload: str, lang: str
    ) -> PrintReport:
        from printer.output import print_image
        from printer.render import render_slip
        from printer.slip import build_service_slip, build_slip

        c = self.config
        if isinstance(procedure, Service):
            slip = build_service_slip(case, procedure, c.centre.name, c.centre.phone, payload,
                                      lang=lang)
        else:
            slip = build_slip(case, procedure, c.centre.name, c.centre.phone, payload, lang=lang)
        lines = tuple((line.text, line.spoken) for line in slip.lines)  # all read aloud
        width = 384 if c.printer.paper == 58 else 576
        image = render_slip(slip, width)
        keep_slip_image(image, c.home / SLIP_IMAGES, case)
        outcome = print_image(
            image,
            c.printer_uri,
            paper_mm=c.printer.paper,
            timeout=c.printer.timeout,
            name=f"{case.ticket.label}",
        )
        kinds = tuple(line.kind for line in slip.lines)
        return PrintReport(outcome.ok, outcome.problem, lines, outcome.detail, kinds)

    def print_note(
        self, heading: str, lines: tuple[tuple[str, str], ...], lang: str
    ) -> PrintReport:
        from datetime import datetime

        from printer.output import print_image
        from printer.render import render_slip
        from printer.slip import build_note

        c = self.config
        try:
            slip = build_note(heading, lines, c.centre.name, c.centre.phone, datetime.now(), lang)
            image = render_slip(slip, 384 if c.printer.paper == 58 else 576)
            outcome = print_image(
                image,
                c.printer_uri,
                paper_mm=c.printer.paper,
                timeout=c.printer.timeout,
                name="referral",
            )
        except Exception as exc:  # noqa: BLE001 - the port never raises
            return PrintReport(False, "error", (), str(exc))
        spoken = tuple((line.text, line.spoken) for line in slip.lines)
        return PrintReport(outcome.ok, outcome.problem, spoken, outcome.detail)


SLIP_IMAGES = "slip-images"
"""Under ``$HOTRO_HOME``: the image of every journaled case's slip, one folder per day."""
KEEP_DAYS = 92


def keep_slip_image(image: Any, folder: Path, case: Case) -> Path | None:
    """Save the slip as printed (for a reprint and for staff); days past ``KEEP_DAYS`` go.

    Never raises: a full disk must not stop the slip from printing."""
    from datetime import date, timedelta

    today = date.today()
    path = folder / today.isoformat() / f"{case.ticket.label}.png"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        image.save(path)
        oldest = (today - timedelta(days=KEEP_DAYS)).isoformat()
        for day in folder.iterdir():
            if day.is_dir() and day.name < oldest:
                for f in day.iterdir():
                    f.unlink()
                day.rmdir()
    except OSError as exc:
        log.error("cannot keep the slip image %s: %s", path, exc)
        return None
    return path


def make_encoder(config: Config, catalogue: Any = None) -> Callable[[Case], str]:
    """``cases.codec.encode`` with the centre key (created on first run) and the catalogue (a
    service's QR code)."""
    from cases.codec import encode
    from cases.keys import init_key, load_key

    if catalogue is None:
        from procedures.catalogue import load_catalogue

        catalogue = load_catalogue()
    path = config.key_path
    key = load_key(path) if path.exists() else init_key(path)
    return lambda case: encode(case, key, catalogue)


class TerminalJournal:
    """The journal as this terminal uses it: tickets numbered for the centre (this terminal's
    ``origin``, so A-105 can come from terminal 1 only), and every write wakes the forwarder to
    the centre's hub, if any, so a call for staff reaches the desk at once."""

    def __init__(
        self, journal: Any, terminal_id: str, origin: int, forwarder: Any | None = None
    ) -> None:
        self.journal = journal
        self.terminal_id = terminal_id
        """Recorded with every event, so the desk knows which terminal called for staff."""
        self.origin = origin
        self.forwarder = forwarder
        """``cases.centre.Forwarder`` when the centre has a hub; stopped when this closes."""

    def _wrote(self) -> None:
        if self.forwarder is not None:
            self.forwarder.poke()

    def close(self) -> None:
        if self.forwarder is not None:
            self.forwarder.stop()
        self.journal.close()

    def next_ticket(self, terminal_id: str, priority: bool, day: Any = None) -> Any:
        return self.journal.next_ticket(terminal_id, priority, day, origin=self.origin)

    def record_case(self, case: Case, payload: str, channel: str = "terminal") -> int:
        case_id = int(self.journal.record_case(case, payload, channel))
        self._wrote()
        return case_id

    def record_print(self, case_id: int, ok: bool, problem: str | None = None) -> None:
        self.journal.record_print(case_id, ok, problem)
        self._wrote()

    def record_satisfaction(self, case_id: int, answer: str) -> None:
        self.journal.record_satisfaction(case_id, answer)
        self._wrote()

    def record_event(self, kind: str, detail: str = "") -> None:
        self.journal.record_event(kind, detail, origin=self.terminal_id)
        self._wrote()

    def record_feedback(self, topic: str, phone: str = "", ticket: str = "") -> str:
        """Feedback given here; a call-back number goes to the hub with the next request and
        is then deleted here (``cases.centre``)."""
        ref = str(self.journal.record_feedback(topic, bool(phone), phone, ticket,
                                               origin=self.terminal_id))
        self._wrote()
        return ref

    def __getattr__(self, name: str) -> Any:
        return getattr(self.journal, name)


class UnavailablePart:
    """Stands in for a part that could not start (the journal, the centre key): every use
    raises ``error``, which the session turns into the "call staff" error screen, so the
    terminal still starts, explains procedures and never prints a slip it could not record."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise self.error

    def __getattr__(self, name: str) -> Any:
        if name == "close":
            return lambda: None
        raise self.error


def _forwarder(config: Config, journal: Any, notes: list[str]) -> Any | None:
    """The forwarder to the centre's hub (started), or None on one machine (then the desk,
    reading this same journal, is told this terminal's records are all there)."""
    from cases.centre import Forwarder, note_local_terminal
    from cases.keys import load_key

    terminal_id = config.centre.terminal_id
    if not config.centre.hub:
        try:
            note_local_terminal(journal, terminal_id)
        except Exception as exc:  # noqa: BLE001 - the terminal works without this note
            log.warning("journal: cannot note this terminal: %s", exc)
        return None
    notes.append(f"centre: forwarding every record to the hub {config.centre.hub}")
    return Forwarder(journal, config.centre.hub, lambda: load_key(config.key_path),
                     terminal_id, max_backoff=config.centre.retry_max_seconds).start()


def find_model(config: Config) -> Path | None:
    """The configured or installed speech model folder, or None."""
    if config.voice.model:
        path = Path(config.voice.model).expanduser()
        return path if path.is_dir() else None
    from voices.models import installed_model

    return installed_model(config.models_dir, config.terminal.languages[0])


@dataclass
class Wiring:
    speaker: Any
    listener: Any | None
    journal: Any
    printer: Any
    encode: Callable[[Case], str]
    notes: list[str] = field(default_factory=list)

    @property
    def broken(self) -> bool:
        """A part without which no slip can be printed could not start."""
        return isinstance(self.journal, UnavailablePart) or isinstance(self.encode, UnavailablePart)


def build_ports(
    config: Config,
    on_speech_idle: Callable[[], None] | None = None,
    speech: bool = True,
    listen: bool = True,
) -> Wiring:
    """The real parts, each falling back gracefully."""
    from cases.journal import Journal, JournalError
    from cases.keys import KeyFileError

    notes: list[str] = []
    speaker: Any = SilentSpeaker()
    if speech:
        try:
            speaker = VoiceOutSpeaker(config, on_idle=on_speech_idle)
            if not speaker.available:
                notes.append("speech out: not available (no espeak-ng or no audio); screen only")
        except Exception as exc:  # noqa: BLE001 - any failure means screen only
            notes.append(f"speech out: off ({exc})")
            speaker = SilentSpeaker()
    if speech and isinstance(speaker, VoiceOutSpeaker):
        from terminal.voicepull import hub_of, pull_in_background

        if hub_of(config):
            pull_in_background(config, then=speaker.voice.reload_packs)
            notes.append(f"voice packs: pulling from the hub {hub_of(config)}")
    listener = None
    model = find_model(config) if listen else None
    if model is None:
        notes.append("voice input: off (no speech model installed; `hotro models install`)")
    else:
        try:
            from terminal.dialogue import courtesy_phrasings
            from voices.phrases import load_pack

            listener = VoiceInListener(  # the model is the first language's (``find_model``)
                model,
                is_speaking=lambda: bool(speaker.speaking),
                courtesy=courtesy_phrasings(load_pack(config.terminal.languages[0])),
            )
            if not listener.available:
                notes.append("voice input: off (no microphone)")
                listener = None
        except Exception as exc:  # noqa: BLE001
            notes.append(f"voice input: off ({exc})")
            listener = None
    try:
        journal: Any = TerminalJournal(
            Journal(config.journal_path, day_start_hour=config.centre.day_start_hour),
            config.centre.terminal_id,
            config.centre.number,
        )
        journal.forwarder = _forwarder(config, journal.journal, notes)
    except JournalError as exc:
        notes.append(f"journal: NOT AVAILABLE, no slip can be printed: {exc}")
        journal = UnavailablePart(exc)
    try:
        encode = make_encoder(config)
    except (KeyFileError, OSError) as exc:
        notes.append(f"centre key: NOT AVAILABLE, no slip can be printed: {exc}")
        encode = UnavailablePart(exc)
    return Wiring(speaker, listener, journal, SlipPrinter(config), encode, notes)
