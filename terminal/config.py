"""The one configuration file of a terminal and its desk (TOML), with embedded defaults.

Every value has a default, so a fresh machine runs with no file at all. Where files live:

* ``HOTRO_HOME`` (environment) or the user data folder (``platformdirs``) holds the journal,
  the centre key, the slip previews, the speech cache and installed voice models;
* the configuration file is ``--config FILE``, else ``$HOTRO_HOME/hotro.toml`` when it exists.

A bad value is reported as ``ConfigError`` naming the file, the key, what is wrong and what is
expected; nothing is guessed.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import platformdirs

from cases.case import DESK_TERMINAL_ID
from procedures.model import CounterType
from terminal.settings import TEXT_SIZES, THEMES

VOICES = ("north", "central", "south")
LANGUAGES = ("vi", "en")


class ConfigError(ValueError):
    """A configuration value is missing, of the wrong type or out of range."""


def data_home() -> Path:
    """The folder for the journal, the key, slips, caches and models."""
    env = os.environ.get("HOTRO_HOME")
    base = Path(env) if env else Path(platformdirs.user_data_dir("hotro", appauthor=False))
    return base.expanduser()


@dataclass(frozen=True)
class CentreConfig:
    name: str = "Trung tâm Phục vụ hành chính công xã"
    """The centre's name, printed at the top of the slip."""
    phone: str = ""
    """The published support phone number, printed on the slip and spoken. Empty: not printed."""
    terminal_id: str = "T1"
    """Uppercase letters and digits, at most 4: goes into the QR code; unique in the centre."""
    terminal_number: int = 0
    """This terminal's number in the centre, 1..9: its tickets are numbered from N01 (A-101,
    U-102 for terminal 1; A-201 for terminal 2), so no two machines give the same label. 0: the
    last character of ``terminal_id`` when it is a digit 1..9 ("T2" → 2), else 1."""
    key_file: str = ""
    """The centre's secret key for the QR code. Empty: ``$HOTRO_HOME/centre.key``."""
    hub: str = ""
    """The centre's hub (the desk server) this terminal forwards everything it records to,
    e.g. "http://192.168.1.10:8080". Empty: one machine, the terminal and the desk share the
    journal (no forwarding)."""
    retry_max_seconds: float = 60.0
    """While the hub cannot be reached, a terminal tries again after 1, 2, 4 … seconds, at
    most this long apart."""
    day_start_hour: int = 3
    """The hour (0..23) the centre's working day begins: ticket numbers start again at 1, and
    cases left open from the day before are closed as not served (never called the next day).
    Give every terminal and the desk the same value."""


    @property
    def number(self) -> int:
        """The terminal's number in the centre (``terminal_number``, or from ``terminal_id``)."""
        if self.terminal_number:
            return self.terminal_number
        last = self.terminal_id[-1:]
        return int(last) if last.isdigit() and last != "0" else 1


@dataclass(frozen=True)
class PrinterConfig:
    uri: str = ""
    """usb:VID:PID, serial:DEVICE?baudrate=N, tcp:HOST[:PORT], file:PATH or png:DIR.
    Empty: ``png:$HOTRO_HOME/slips`` (a folder of PNG previews)."""
    paper: int = 80
    """Paper width in millimetres: 58 or 80."""
    timeout: float = 10.0
    """Seconds to wait for the printer before reporting it unreachable."""


@dataclass(frozen=True)
class VoiceConfig:
    model: str = ""
    """Folder of an installed vosk model. Empty: the installed model for the language, if any;
    none installed → voice input is off."""
    voice: str = "north"
    """north, central or south."""
    rate_step: int = 2
    """Default speech-rate step: index 0..6 into ``voices.out.RATE_STEPS`` (2 = 125 words/min)."""
    volume_step: int = 3
    """Default volume step: index 0..6 into ``voices.out.VOLUME_STEPS``."""
    clips: str = ""
    """The centre's recorded clip packs, one sub-folder per pack (``hotro voices``). Empty:
    ``$HOTRO_HOME/clips``, where the desk's studio records."""
    pack_min_share: float = 0.9
    """A clip pack other than a language's own (a dialect, an ethnic-minority language) is
    offered on the language screen when it speaks at least this share of a typical visit."""
    hall_speaker: bool = False
    """Announce desk calls ("Mời số U012 đến quầy 2") through this machine's audio."""


@dataclass(frozen=True)
class TerminalConfig:
    languages: tuple[str, ...] = ("vi", "en")
    """Offered languages, first is the default."""
    fullscreen: bool = True
    """Fullscreen kiosk; ``hotro run --windowed`` overrides."""
    theme: str = "black_on_white"
    text_size: str = "normal"
    idle_warning_seconds: float = 60.0
    """Quiet time before the "are you still there?" warning."""
    idle_reset_seconds: float = 30.0
    """Time after the warning before the session resets."""
    max_extensions: int = 20
    """How many times one action may extend the session (at least 10)."""
    screen_inches: float = 15.6
    """Diagonal of the kiosk screen in inches: text and buttons are sized in millimetres from
    it (capital letters at least 6 mm tall at the normal text size)."""
    attract_cue_seconds: float = 60.0
    """While nobody uses the terminal, say softly every this many seconds that it is here and
    how to start (a blind resident has no other cue). 0: never."""
    attract_cue_hours: str = "07:00-17:00"
    """When the cue may be said (the centre's opening hours); silent outside, e.g. at night."""


@dataclass(frozen=True)
class JournalConfig:
    path: str = ""
    """SQLite journal file. Empty: ``$HOTRO_HOME/journal.sqlite3``."""


@dataclass(frozen=True)
class DeskConfig:
    host: str = "127.0.0.1"
    port: int = 8080
    password_hash: str = ""
    """Hash made by ``hotro desk passwd``. Empty: the desk refuses to start until one is set."""
    fairness_limit: int = 3
    """A normal ticket is passed over by priority tickets at most this many times in a row."""
    counters: int = 4
    """Number of desk counters. In the file either a number (each counter serves everything),
    or a list saying what each counter serves, in counter order: counter types of the
    services (``general``, ``digital``, ``results``), e.g. ``[["general", "results"],
    ["digital"]]`` (a single type may stand alone: ``["general", "digital"]``)."""
    counter_services: tuple[tuple[str, ...], ...] = ()
    """What each counter serves when ``counters`` lists it (set from that list, not a key of
    its own); () = every counter serves everything. The desk's page changes it per counter."""
    procedure_counter: str = "general"
    """The counter type the procedures count as (the one-stop counter, unless a centre sends
    them elsewhere)."""
    secure_cookies: bool = False
    """Mark the staff session cookie Secure (HTTPS only). Turn on when the desk is served over
    HTTPS (e.g. behind a TLS proxy); requests arriving over HTTPS get it anyway."""


@dataclass(frozen=True)
class Config:
    centre: CentreConfig = field(default_factory=CentreConfig)
    printer: PrinterConfig = field(default_factory=PrinterConfig)
    voice: VoiceConfig = field(default_factory=VoiceConfig)
    terminal: TerminalConfig = field(default_factory=TerminalConfig)
    journal: JournalConfig = field(default_factory=JournalConfig)
    desk: DeskConfig = field(default_factory=DeskConfig)
    source: str = "(embedded defaults)"
    """Where this configuration came from."""

    @property
    def home(self) -> Path:
        return data_home()

    @property
    def key_path(self) -> Path:
        return (
            Path(self.centre.key_file).expanduser()
            if self.centre.key_file
            else self.home / "centre.key"
        )

    @property
    def journal_path(self) -> Path:
        return (
            Path(self.journal.path).expanduser()
            if self.journal.path
            else self.home / "journal.sqlite3"
        )

    @property
    def printer_uri(self) -> str:
        return self.printer.uri or f"png:{self.home / 'slips'}"

    @property
    def models_dir(self) -> Path:
        return self.home / "models"

    @property
    def cache_dir(self) -> Path:
        return self.home / "cache"

    @property
    def clips_dir(self) -> Path:
        """The shelf of recorded clip packs."""
        return Path(self.voice.clips).expanduser() if self.voice.clips else self.home / "clips"


_SECTIONS: dict[str, type] = {
    "centre": CentreConfig,
    "printer": PrinterConfig,
    "voice": VoiceConfig,
    "terminal": TerminalConfig,
    "journal": JournalConfig,
    "desk": DeskConfig,
}

_CHOICES: dict[tuple[str, str], tuple[Any, ...]] = {
    ("printer", "paper"): (58, 80),
    ("voice", "voice"): VOICES,
    ("terminal", "theme"): THEMES,
    ("terminal", "text_size"): TEXT_SIZES,
    ("desk", "procedure_counter"): tuple(t.value for t in CounterType),
}

_RANGES: dict[tuple[str, str], tuple[float, float]] = {
    ("printer", "timeout"): (0.5, 120),
    ("voice", "rate_step"): (0, 6),
    ("voice", "volume_step"): (0, 6),
    ("voice", "pack_min_share"): (0, 1),
    ("terminal", "idle_warning_seconds"): (5, 3600),
    ("terminal", "idle_reset_seconds"): (5, 3600),
    ("terminal", "max_extensions"): (10, 1000),
    ("terminal", "screen_inches"): (7, 43),
    ("centre", "day_start_hour"): (0, 23),
    ("centre", "terminal_number"): (0, 9),
    ("centre", "retry_max_seconds"): (1, 3600),
    ("desk", "port"): (1, 65535),
    ("desk", "fairness_limit"): (1, 50),
    ("desk", "counters"): (1, 99),
}


def default_config_path() -> Path:
    return data_home() / "hotro.toml"


def load_config(path: str | Path | None = None) -> Config:
    """Read ``path`` (or the default file when it exists) over the embedded defaults."""
    if path is None:
        candidate = default_config_path()
        if not candidate.exists():
            return Config()
        path = candidate
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: the configuration file does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the configuration file ({exc})") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    except RecursionError:
        raise ConfigError(f"{path}: not valid TOML (arrays or tables nested too deeply)") from None
    return parse_config(raw, str(path))


def parse_config(raw: dict[str, Any], source: str = "(text)") -> Config:
    """Validate a parsed TOML table. Raises ConfigError naming ``source`` and the key."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: expected a table of sections, got {type(raw).__name__}")
    sections: dict[str, Any] = {}
    for name, value in raw.items():
        if name not in _SECTIONS:
            raise ConfigError(
                f"{source}: unknown section [{name}]; expected one of "
                + ", ".join(f"[{s}]" for s in _SECTIONS)
            )
        if not isinstance(value, dict):
            raise ConfigError(f"{source}: [{name}] must be a table of keys")
        sections[name] = _parse_section(name, value, source)
    return Config(**sections, source=source)


def _parse_section(name: str, table: dict[str, Any], source: str) -> Any:
    cls = _SECTIONS[name]
    known = {f.name: f for f in fields(cls)}
    default = cls()
    values: dict[str, Any] = {}
    for key, value in table.items():
        where = f"{source}: {name}.{key}"
        if (name, key) == ("desk", "counters") and isinstance(value, list):
            values["counters"], values["counter_services"] = _counter_services(where, value)
            continue
        if key not in known or (name, key) == ("desk", "counter_services"):
            names = [k for k in known if (name, k) != ("desk", "counter_services")]
            raise ConfigError(f"{where}: unknown key; expected one of {', '.join(names)}")
        expected = type(getattr(default, key))
        values[key] = _coerce(where, value, expected)
        choices = _CHOICES.get((name, key))
        if choices is not None and values[key] not in choices:
            raise ConfigError(
                f"{where}: {value!r} is not allowed; expected one of "
                + ", ".join(repr(c) for c in choices)
            )
        bounds = _RANGES.get((name, key))
        if bounds is not None and not bounds[0] <= values[key] <= bounds[1]:
            raise ConfigError(
                f"{where}: {value!r} is out of range; expected {bounds[0]}..{bounds[1]}"
            )
    result = replace(default, **values)
    _check_section(name, result, source)
    return result


def _coerce(where: str, value: Any, expected: type) -> Any:
    if expected is bool:
        if isinstance(value, bool):
            return value
        raise ConfigError(f"{where}: expected true or false, got {value!r}")
    if expected is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise ConfigError(f"{where}: expected a whole number, got {value!r}")
    if expected is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            try:
                return float(value)
            except OverflowError:
                raise ConfigError(f"{where}: {value!r} is far too large for a number") from None
        raise ConfigError(f"{where}: expected a number, got {value!r}")
    if expected is str:
        if isinstance(value, str):
            return value
        raise ConfigError(f"{where}: expected text in quotes, got {value!r}")
    if expected is tuple:
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        raise ConfigError(f"{where}: expected a list of texts, got {value!r}")
    raise ConfigError(f"{where}: unsupported value {value!r}")  # pragma: no cover


def _counter_services(where: str, value: list[Any]) -> tuple[int, tuple[tuple[str, ...], ...]]:
    """``[desk] counters`` as a list: (how many counters, what each serves)."""
    types = tuple(t.value for t in CounterType)
    expected = (f'expected a list with, for each counter, a counter type or a list of them '
                f'(from {", ".join(types)}), e.g. [["general", "results"], ["digital"]]')
    if not 1 <= len(value) <= 99:
        raise ConfigError(f"{where}: {len(value)} counters; expected 1..99")
    out = []
    for item in value:
        serves = [item] if isinstance(item, str) else item
        if not isinstance(serves, list) or not serves or not all(
            isinstance(t, str) and t in types for t in serves
        ):
            raise ConfigError(f"{where}: {item!r} is not allowed; {expected}")
        out.append(tuple(sorted(set(serves))))
    return len(out), tuple(out)


def cue_hours(text: str) -> tuple[int, int]:
    """ "07:00-17:00" → (420, 1020): minutes of the day, first inclusive, last exclusive."""

    def minute(hhmm: str) -> int:
        hh, _, mm = hhmm.strip().partition(":")
        if not (hh.isdigit() and mm.isdigit() and int(hh) <= 24 and int(mm) < 60):
            raise ValueError(f"{text!r} is not a time range like \"07:00-17:00\"")
        return int(hh) * 60 + int(mm)

    first, sep, last = text.partition("-")
    if not sep:
        raise ValueError(f"{text!r} is not a time range like \"07:00-17:00\"")
    return minute(first), minute(last)


def _check_section(name: str, section: Any, source: str) -> None:
    if name == "centre":
        tid = section.terminal_id
        if not (1 <= len(tid) <= 4 and tid.isascii() and tid.isalnum() and tid.upper() == tid):
            raise ConfigError(
                f"{source}: centre.terminal_id: {tid!r} is not allowed; expected 1 to 4 "
                'uppercase letters or digits, e.g. "T1"'
            )
        hub = section.hub
        if hub and not re.fullmatch(r"https?://[A-Za-z0-9.\-\[\]:]+(:\d{1,5})?/?", hub):
            raise ConfigError(
                f"{source}: centre.hub: {hub!r} is not allowed; expected the desk's address, "
                'e.g. "http://192.168.1.10:8080", or "" for one machine'
            )
        if tid == DESK_TERMINAL_ID:
            raise ConfigError(
                f"{source}: centre.terminal_id: {tid!r} is kept for tickets made at the desk; "
                'choose another, e.g. "T1"'
            )
    if name == "terminal":
        try:
            cue_hours(section.attract_cue_hours)
        except ValueError as exc:
            raise ConfigError(f"{source}: terminal.attract_cue_hours: {exc}") from None
        if section.attract_cue_seconds < 0:
            raise ConfigError(f"{source}: terminal.attract_cue_seconds: expected 0 or more")
        langs = section.languages
        bad = [lang for lang in langs if lang not in LANGUAGES]
        if not langs or bad or len(set(langs)) != len(langs):
            raise ConfigError(
                f"{source}: terminal.languages: {list(langs)!r} is not allowed; expected a "
                f"non-empty list from {list(LANGUAGES)!r}, each at most once"
            )
