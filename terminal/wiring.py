"""Build the dialogue's context and the real ports from the configuration.

Each real part is optional: no speech engine → screen only; no speech model → voice input off
(the visit says so once); no printer → the PNG preview folder of the embedded defaults. What was
started and what was not is kept in ``Wiring.notes`` for the log and ``hotro doctor``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cases.case import Case
from procedures.model import Procedure
from terminal.config import Config
from terminal.ports import ChoiceSpec, Heard, PrintReport, SpeechItem
from terminal.settings import SettingLimits, Settings, clamp_settings
from terminal.state import Context

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


def build_context(
    config: Config,
    catalogue: Any | None = None,
    voice_input: bool = False,
    match: Callable[[str], Any] | None = None,
) -> Context:
    """The dialogue's fixed context: catalogue, phrase packs, timeouts, default settings."""
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
    group_codes = {g.id: tuple(p.code for p in cat.by_group(g.id)) for g in cat.groups}
    return Context(
        packs={lang: load_pack(lang) for lang in t.languages},
        groups=tuple(cat.groups),
        procedures=dict(cat.procedures),
        group_codes=group_codes,
        match=match or _matcher(cat),
        languages=tuple(t.languages),
        defaults=defaults,
        limits=limits,
        idle_warning=t.idle_warning_seconds,
        idle_reset=t.idle_reset_seconds,
        max_extensions=t.max_extensions,
        voice_input=voice_input,
        questions=tuple(getattr(cat, "questions", ())),
        referrals=shipped_everyday().referrals,
    )


# -- real adapters ------------------------------------------------------------------------------
class VoiceOutSpeaker:
    """``voices.out.VoiceOut`` behind the speaker port."""

    def __init__(self, config: Config, on_idle: Callable[[], None] | None = None) -> None:
        from voices.out import VoiceOut

        clips = Path(config.voice.clips).expanduser() if config.voice.clips else None
        self._lang = config.terminal.languages[0]
        self.voice = VoiceOut(
            lang=self._lang,
            variant=config.voice.voice,
            cache_dir=config.cache_dir / "speech",
            clips_dir=clips,
            rate_step=config.voice.rate_step,
            volume_step=config.voice.volume_step,
            on_idle=on_idle,
        )
        self.first_word_at: float | None = None

    def say_all(self, items: Sequence[SpeechItem]) -> None:
        if self.first_word_at is None:
            self.first_word_at = time.monotonic()
        self.voice.say_all(list(items))

    def stop(self) -> None:
        self.voice.stop()

    def apply(self, lang: str, rate_step: int, volume_step: int) -> None:
        if lang != self._lang:
            self._lang = lang
            self.voice.set_language(lang)
        self.voice.rate_step = rate_step
        self.voice.volume_step = volume_step

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

    def close(self) -> None:
        pass


class VoiceInListener:
    """``voices.listen.VoiceIn`` behind the listener port."""

    def __init__(
        self, model_dir: Path, is_speaking: Callable[[], bool], source: Any | None = None
    ) -> None:
        from voices.listen import VoiceIn

        self.voice_in = VoiceIn(model_dir, is_speaking=is_speaking, source=source)

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

    def print_case(self, case: Case, procedure: Procedure, payload: str, lang: str) -> PrintReport:
        from printer.output import print_image
        from printer.render import render_slip
        from printer.slip import build_slip

        c = self.config
        slip = build_slip(case, procedure, c.centre.name, c.centre.phone, payload, lang=lang)
        lines = tuple((line.text, line.spoken) for line in slip.lines)  # all read aloud
        width = 384 if c.printer.paper == 58 else 576
        image = render_slip(slip, width)
        outcome = print_image(
            image,
            c.printer_uri,
            paper_mm=c.printer.paper,
            timeout=c.printer.timeout,
            name=f"{case.ticket.label}",
        )
        return PrintReport(outcome.ok, outcome.problem, lines, outcome.detail)

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


def make_encoder(config: Config) -> Callable[[Case], str]:
    """``cases.codec.encode`` with the centre key (created on first run)."""
    from cases.codec import encode
    from cases.keys import init_key, load_key

    path = config.key_path
    key = load_key(path) if path.exists() else init_key(path)
    return lambda case: encode(case, key)


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
    listener = None
    model = find_model(config) if listen else None
    if model is None:
        notes.append("voice input: off (no speech model installed; `hotro models install`)")
    else:
        try:
            listener = VoiceInListener(model, is_speaking=lambda: bool(speaker.speaking))
            if not listener.available:
                notes.append("voice input: off (no microphone)")
                listener = None
        except Exception as exc:  # noqa: BLE001
            notes.append(f"voice input: off ({exc})")
            listener = None
    try:
        journal: Any = Journal(config.journal_path)
    except JournalError as exc:
        notes.append(f"journal: NOT AVAILABLE, no slip can be printed: {exc}")
        journal = UnavailablePart(exc)
    try:
        encode = make_encoder(config)
    except (KeyFileError, OSError) as exc:
        notes.append(f"centre key: NOT AVAILABLE, no slip can be printed: {exc}")
        encode = UnavailablePart(exc)
    return Wiring(speaker, listener, journal, SlipPrinter(config), encode, notes)
