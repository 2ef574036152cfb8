"""Health checks of one terminal: each part checked, explained in plain words, with what to do.

``hotro doctor`` prints these; the terminal's staff-only status screen shows the same list.
Each check is a function ``check_<part>(config, probes) -> CheckResult``. Everything that touches
the machine (SDL, PortAudio, espeak-ng, the printer, the clock, the disk) goes through ``Probes``,
so tests replace one probe to simulate a fault. ``run_checks`` runs the checks in parallel with
a deadline; a check that raises or hangs is reported as a failure with the reason: the doctor
never crashes.

Statuses: ``ok`` (working), ``warn`` (works, but something is off or a feature is off on
purpose, e.g. voice input with no model installed), ``fail`` (the part is down; ``hotro doctor``
exits 1).
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import wave
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from terminal.config import Config

Status = Literal["ok", "warn", "fail"]
STATUSES: tuple[Status, ...] = ("ok", "warn", "fail")

PARTS: dict[str, tuple[str, str]] = {
    "configuration": ("Configuration", "tệp cấu hình"),
    "screen": ("Screen", "màn hình"),
    "audio_out": ("Audio out", "loa và giọng đọc"),
    "recorded_voice": ("Recorded voice", "giọng đọc thu âm"),
    "microphone": ("Microphone", "micrô"),
    "vosk_model": ("Voice model", "mô hình nhận giọng nói"),
    "printer": ("Printer", "máy in"),
    "test_slip": ("Test slip", "phiếu in thử"),
    "journal": ("Journal", "sổ ghi hồ sơ"),
    "centre_key": ("Centre key", "khóa bí mật của trung tâm"),
    "centre_hub": ("Centre hub", "máy quầy nhận số liệu"),
    "free_disk": ("Free disk", "dung lượng đĩa trống"),
    "clock": ("Clock", "đồng hồ"),
}
"""Part id → (English name, Vietnamese name), in the order the doctor reports them."""

PROBE_TIMEOUT_S = 3.0
"""Longest wait for one external probe (a subprocess, the printer, the clock service)."""
TOTAL_TIMEOUT_S = 4.5
"""All checks run in parallel and are cut off after this (the status screen must stay fast)."""
TEST_SLIP_TIMEOUT_S = 20.0
"""Total deadline when a test slip is printed (a real printer takes a few seconds)."""
DISK_WARN_BYTES = 500 * 1024 * 1024
DISK_FAIL_BYTES = 100 * 1024 * 1024
MIN_PLAUSIBLE_YEAR = 2025
MAX_PLAUSIBLE_YEAR = 2100
REAL_VIDEO_DRIVERS = ("x11", "wayland", "kmsdrm", "directfb", "rpi", "vivante")
TEST_VIDEO_DRIVERS = ("offscreen", "dummy")
TEST_AUDIO_DRIVERS = ("disk", "dummy")


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What one check found."""

    part: str
    """Part id, a key of ``PARTS`` (e.g. ``"printer"``)."""
    status: Status
    """``ok``, ``warn`` or ``fail``."""
    summary: str
    """One or two plain sentences: what was found."""
    advice: str = ""
    """What a technician should do; empty when nothing needs doing."""

    @property
    def label(self) -> str:
        """``"Printer (máy in)"``: the English and the Vietnamese name of the part."""
        english, vietnamese = PARTS.get(self.part, (self.part, ""))
        return f"{english} ({vietnamese})" if vietnamese else english

    def to_dict(self) -> dict[str, str]:
        return {
            "part": self.part,
            "status": self.status,
            "summary": self.summary,
            "advice": self.advice,
        }


# --- probes: every contact with the machine --------------------------------------------------


class ProbeError(RuntimeError):
    """A probe could not answer; ``str(e)`` says why in one sentence."""


@dataclass(frozen=True, slots=True)
class SdlReport:
    """What SDL2 (the library under Kivy) found when it started one subsystem."""

    ok: bool
    """``SDL_Init`` succeeded."""
    driver: str
    """The driver SDL chose, e.g. ``x11``, ``offscreen``, ``alsa``, ``disk``."""
    count: int
    """Displays (video) or output devices (audio); -1 when SDL cannot tell."""
    error: str = ""
    """SDL's last error text, if any."""
    names: tuple[str, ...] = ()
    """Audio output device names."""
    opened: bool = False
    """Audio: the default output device opened (what ``voices.player`` does to play)."""


@dataclass(frozen=True, slots=True)
class AudioDevices:
    """PortAudio's devices (through ``sounddevice``)."""

    inputs: tuple[str, ...]
    outputs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PrinterReport:
    """The printer's answer, shaped like ``printer.output.PrintOutcome``."""

    ok: bool
    problem: str | None
    detail: str
    preview: Path | None = None


@dataclass(frozen=True, slots=True)
class ModelVerdict:
    """What ``voices.models.verify_model`` found in a model folder."""

    problem: str | None = None
    """Why the model is unusable (one sentence), or None."""
    grammar: bool = True
    """Restricted grammars work (lookahead graph); False: free speech only, poorer matching."""


@dataclass(frozen=True)
class Probes:
    """Everything the checks ask the machine. Replace one field in a test to simulate a fault."""

    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    """The environment the terminal would run with."""
    sdl: Callable[[str, Mapping[str, str], float], SdlReport] = field(
        default=lambda kind, env, timeout: probe_sdl(kind, env, timeout)
    )
    """Start SDL's ``"video"`` or ``"audio"`` subsystem in a subprocess (raises ProbeError)."""
    x_displays: Callable[[], tuple[str, ...]] = field(default=lambda: x_displays())
    """Local X servers (``:0``...) found by their sockets."""
    synthesize: Callable[[str, str, Path], Path] = field(
        default=lambda text, lang, folder: synthesize_wav(text, lang, folder)
    )
    """Synthesise ``text`` into a WAV in ``folder`` and return it (raises on failure)."""
    audio_devices: Callable[[float], AudioDevices] = field(
        default=lambda timeout: probe_portaudio(timeout)
    )
    """PortAudio's input and output devices (raises ProbeError when PortAudio is missing)."""
    verify_model: Callable[[Path], ModelVerdict] = field(
        default=lambda path: verify_model(path)
    )
    """Whether a vosk model folder is usable, and whether it supports grammars."""
    installed_models: Callable[[Config], tuple[Path, ...]] = field(
        default=lambda config: installed_models(config)
    )
    """Model folders installed with ``hotro models install``, in the order they are tried."""
    vosk_installed: Callable[[], bool] = field(
        default=lambda: importlib.util.find_spec("vosk") is not None
    )
    """The vosk package (speech recognition) can be imported."""
    printer_status: Callable[[str, float], PrinterReport] = field(
        default=lambda uri, timeout: printer_status(uri, timeout)
    )
    print_test_slip: Callable[[Config], PrinterReport] = field(
        default=lambda config: print_test_slip(config)
    )
    load_key: Callable[[Path], bytes] = field(default=lambda path: load_key(path))
    key_is_private: Callable[[Path], bool] = field(default=lambda path: key_is_private(path))
    disk_free: Callable[[Path], int] = field(default=lambda path: shutil.disk_usage(path).free)
    access: Callable[[Path, int], bool] = field(default=lambda path, mode: os.access(path, mode))
    """``os.access``: whether this user may write a file or folder."""
    ask_hub: Callable[[Config, float], int] = field(
        default=lambda config, timeout: ask_hub(config, timeout)
    )
    """Rows of this terminal's journal the hub has not received (raises PermissionError when
    the hub refuses the key, ConnectionError when it cannot be reached, ProbeError)."""
    now: Callable[[], datetime] = field(default=lambda: datetime.now().astimezone())
    ntp_synced: Callable[[float], bool | None] = field(default=lambda timeout: ntp_synced(timeout))
    """True/False from ``timedatectl``; None when that cannot be asked (no systemd)."""
    voice_coverage: Callable[[Config], Any] = field(default=lambda config: voice_coverage(config))
    """``terminal.coverage.Coverage`` of the first language's clip pack."""


def _optional(module: str) -> Any | None:
    """Import one of the other areas' modules, or None when it is not there (yet)."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and (module == exc.name or module.startswith(exc.name + ".")):
            return None
        raise


_SDL_SCRIPT = r"""
import ctypes, json, sys
class Spec(ctypes.Structure):
    _fields_ = [("freq", ctypes.c_int), ("format", ctypes.c_uint16),
                ("channels", ctypes.c_uint8), ("silence", ctypes.c_uint8),
                ("samples", ctypes.c_uint16), ("padding", ctypes.c_uint16),
                ("size", ctypes.c_uint32), ("callback", ctypes.c_void_p),
                ("userdata", ctypes.c_void_p)]
lib = ctypes.CDLL(sys.argv[1])
for name in ("SDL_GetError", "SDL_GetCurrentVideoDriver", "SDL_GetCurrentAudioDriver",
             "SDL_GetAudioDeviceName"):
    getattr(lib, name).restype = ctypes.c_char_p
lib.SDL_OpenAudioDevice.restype = ctypes.c_uint32
lib.SDL_OpenAudioDevice.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(Spec),
                                    ctypes.POINTER(Spec), ctypes.c_int]
lib.SDL_CloseAudioDevice.argtypes = [ctypes.c_uint32]
text = lambda b: (b or b"").decode("utf-8", "replace")
video = sys.argv[2] == "video"
ok = lib.SDL_Init(0x20 if video else 0x10) == 0
out = {"ok": ok, "driver": "", "count": 0, "names": [], "opened": False, "error": ""}
if not ok:
    out["error"] = text(lib.SDL_GetError())
elif video:
    out["driver"] = text(lib.SDL_GetCurrentVideoDriver())
    out["count"] = lib.SDL_GetNumVideoDisplays()
    out["error"] = text(lib.SDL_GetError())
else:
    out["driver"] = text(lib.SDL_GetCurrentAudioDriver())
    out["count"] = n = lib.SDL_GetNumAudioDevices(0)
    out["names"] = [text(lib.SDL_GetAudioDeviceName(i, 0)) for i in range(max(n, 0))]
    # open the default device as voices.player does (22050 Hz mono 16-bit), then close it
    want, have = Spec(freq=22050, format=0x8010, channels=1, samples=512), Spec()
    dev = lib.SDL_OpenAudioDevice(None, 0, ctypes.byref(want), ctypes.byref(have), 0)
    out["opened"] = dev != 0
    if dev:
        lib.SDL_CloseAudioDevice(dev)
    else:
        out["error"] = text(lib.SDL_GetError())
lib.SDL_Quit()
print(json.dumps(out))
"""


def sdl_library() -> Path | None:
    """The SDL2 library Kivy and ``voices.player`` use (Kivy's wheel bundles one), else the
    system's."""
    import ctypes.util

    player = _optional("voices.player")
    if player is not None and hasattr(player, "find_sdl2"):
        found = player.find_sdl2()
        return Path(found) if found else None
    spec = importlib.util.find_spec("kivy")
    if spec is not None and spec.origin:
        bundled = sorted(Path(spec.origin).parent.parent.glob("Kivy.libs/libSDL2-2*.so*"))
        if bundled:
            return bundled[0]
    found = ctypes.util.find_library("SDL2-2.0") or ctypes.util.find_library("SDL2")
    return Path(found) if found else None


def probe_sdl(kind: str, env: Mapping[str, str], timeout: float = PROBE_TIMEOUT_S) -> SdlReport:
    """Start SDL's video or audio subsystem in a subprocess with ``env``; never opens a window.

    A subprocess, so that a hanging driver is killed after ``timeout`` instead of the doctor.
    """
    lib = sdl_library()
    if lib is None:
        raise ProbeError("the SDL2 library (part of Kivy) is not installed")
    env = dict(env)
    env["SDL_DISKAUDIOFILE"] = os.devnull  # never write (or truncate) a capture file
    try:
        done = subprocess.run(
            [sys.executable, "-c", _SDL_SCRIPT, str(lib), kind],
            env=env,
            cwd=tempfile.gettempdir(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ProbeError(f"SDL did not answer within {timeout:g} s") from None
    try:
        data = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise ProbeError(f"the SDL probe failed (exit {done.returncode}: {tail})") from None
    return SdlReport(
        ok=bool(data["ok"]),
        driver=str(data["driver"]),
        count=int(data["count"]),
        error=str(data["error"]),
        names=tuple(str(n) for n in data["names"]),
        opened=bool(data.get("opened", False)),
    )


def x_displays(folder: Path = Path("/tmp/.X11-unix")) -> tuple[str, ...]:
    """Local X servers, from their sockets ``/tmp/.X11-unix/X<n>``."""
    try:
        names = sorted(p.name for p in folder.iterdir() if p.name[1:].isdigit())
    except OSError:
        return ()
    return tuple(f":{name[1:]}" for name in names if name.startswith("X"))


_PORTAUDIO_SCRIPT = r"""
import json
import sounddevice as sd
devices = sd.query_devices()
print(json.dumps({
    "inputs": [d["name"] for d in devices if d["max_input_channels"] > 0],
    "outputs": [d["name"] for d in devices if d["max_output_channels"] > 0],
}))
"""


def probe_portaudio(timeout: float = PROBE_TIMEOUT_S) -> AudioDevices:
    """PortAudio's devices, asked in a subprocess (ALSA may print noise or hang)."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", _PORTAUDIO_SCRIPT],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ProbeError(f"PortAudio did not answer within {timeout:g} s") from None
    if done.returncode != 0:
        err = done.stderr
        if "PortAudio library not found" in err:
            raise ProbeError(
                "the PortAudio library is not installed (Debian package libportaudio2)"
            )
        if "No module named 'sounddevice'" in err:
            raise ProbeError("the Python package sounddevice is not installed")
        tail = (err.strip().splitlines() or ["no output"])[-1]
        raise ProbeError(f"PortAudio failed: {tail}")
    data = json.loads(done.stdout.strip().splitlines()[-1])
    return AudioDevices(tuple(data["inputs"]), tuple(data["outputs"]))


def wav_seconds(path: Path) -> float:
    """Duration of a WAV file (raises on a broken file)."""
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / float(wav.getframerate())


def synthesize_wav(text: str, lang: str, folder: Path) -> Path:
    """Synthesise ``text`` the way the terminal does (``voices.speaker``), else with the
    ``espeak-ng`` command. Raises ProbeError with the reason."""
    speaker_mod = _optional("voices.speaker")
    if speaker_mod is not None:
        speaker = speaker_mod.Speaker(cache_dir=folder)
        if not speaker.available:
            raise ProbeError(f"speech is unavailable: {speaker.problem}")
        try:
            return Path(speaker.synthesize(text, lang=lang))
        except speaker_mod.SpeakerError as exc:
            raise ProbeError(str(exc)) from None
    program = shutil.which("espeak-ng")
    if program is None:
        raise ProbeError("the espeak-ng command is not installed (Debian package espeak-ng)")
    out = folder / "doctor.wav"
    try:
        done = subprocess.run(
            [program, "-v", lang, "-w", str(out), text],
            capture_output=True,
            text=True,
            timeout=PROBE_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ProbeError(f"espeak-ng did not finish within {PROBE_TIMEOUT_S:g} s") from None
    if done.returncode != 0:
        raise ProbeError(f"espeak-ng failed: {done.stderr.strip() or done.returncode}")
    return out


_MODEL_PARTS = (
    ("am/final.mdl", "the acoustic model am/final.mdl"),
    ("conf/mfcc.conf", "the feature settings conf/mfcc.conf"),
)


def verify_model(path: Path) -> ModelVerdict:
    """Check a vosk model folder with ``voices.models.verify_model`` (layout and file headers,
    without loading the model, which takes seconds); a minimal file check if that is missing."""
    models = _optional("voices.models")
    if models is not None:
        check = models.verify_model(Path(path))
        return ModelVerdict(None if check.ok else check.sentence(), bool(check.grammar))
    path = Path(path)
    if not path.is_dir():
        return ModelVerdict(f"{path} does not exist or is not a folder")
    missing = [what for rel, what in _MODEL_PARTS if not (path / rel).is_file()]
    graph = path / "graph"
    if not ((graph / "HCLG.fst").is_file() or (graph / "HCLr.fst").is_file()):
        missing.append("the decoding graph graph/HCLG.fst or graph/HCLr.fst")
    if missing:
        return ModelVerdict(f"{path} is not a complete vosk model: missing " + ", ".join(missing))
    return ModelVerdict(None, (graph / "HCLr.fst").is_file())


def installed_models(config: Config) -> tuple[Path, ...]:
    """Installed model folders (``<models_dir>/<lang>/<name>``) for the configured languages,
    in the order the terminal tries them: the default language first, the last name first."""
    models = _optional("voices.models")
    if models is None:
        return ()
    found = models.list_models(config.models_dir)
    out: list[Path] = []
    for lang in config.terminal.languages:
        mine = [m for m in found if m.lang == lang]
        out.extend(Path(m.path) for m in reversed(mine))
    return tuple(out)


def printer_status(uri: str, timeout: float) -> PrinterReport:
    output = _optional("printer.output")
    if output is None:
        raise ProbeError("the printer module printer/output.py is not installed")
    outcome = output.printer_status(uri, timeout=timeout)
    return PrinterReport(
        bool(outcome.ok), outcome.problem, str(outcome.detail), getattr(outcome, "preview", None)
    )


def test_slip_lines(config: Config) -> list[tuple[str, str]]:
    """What the test slip says: (kind, text) pairs."""
    when = datetime.now().strftime("%d/%m/%Y %H:%M")
    return [
        ("title", "IN THỬ / TEST SLIP"),
        ("info", config.centre.name),
        ("info", f"Máy {config.centre.terminal_id} · {when}"),
        ("info", "Máy in hoạt động tốt. Chữ tiếng Việt: ă â đ ê ô ơ ư ạ ả ấ ồ ữ ỹ."),
        ("info", f"Giấy {config.printer.paper} mm · {config.printer_uri}"),
    ]


def paper_dots(paper_mm: int) -> int:
    """Printable width in dots at 203 dpi (58 mm → 384, 80 mm → 576)."""
    return 384 if paper_mm <= 58 else 576


def print_test_slip(config: Config) -> PrinterReport:
    """Print a small test slip through ``printer.render`` and ``printer.output``."""
    output = _optional("printer.output")
    if output is None:
        raise ProbeError("the printer module printer/output.py is not installed")
    render = _optional("printer.render")
    slip_mod = _optional("printer.slip")
    dots = (
        output.width_dots(config.printer_uri, config.printer.paper)
        if hasattr(output, "width_dots")
        else paper_dots(config.printer.paper)
    )
    payload = f"TEST-{config.centre.terminal_id}"
    if render is not None and slip_mod is not None:
        lines = tuple(slip_mod.SlipLine(kind, text, text) for kind, text in test_slip_lines(config))
        lines += (slip_mod.SlipLine("qr", payload, ""),)
        image = render.render_slip(slip_mod.Slip(lines=lines, payload=payload), dots)
    else:
        image = _plain_test_image(config, dots)
    outcome = output.print_image(
        image,
        config.printer_uri,
        paper_mm=config.printer.paper,
        timeout=config.printer.timeout,
        name="doctor-test",
    )
    return PrinterReport(
        bool(outcome.ok), outcome.problem, str(outcome.detail), getattr(outcome, "preview", None)
    )


def _plain_test_image(config: Config, dots: int) -> Any:
    from PIL import Image, ImageDraw, ImageFont

    font_path = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
    font = (
        ImageFont.truetype(str(font_path), 28) if font_path.exists() else ImageFont.load_default()
    )
    lines = [text for _, text in test_slip_lines(config)]
    image = Image.new("1", (dots, 40 * len(lines) + 40), 1)
    draw = ImageDraw.Draw(image)
    for i, text in enumerate(lines):
        draw.text((8, 20 + 40 * i), text, font=font, fill=0)
    return image


def load_key(path: Path) -> bytes:
    keys = _optional("cases.keys")
    if keys is None:
        raise ProbeError("the key module cases/keys.py is not installed")
    return keys.load_key(path)


def key_is_private(path: Path) -> bool:
    keys = _optional("cases.keys")
    fn = getattr(keys, "key_is_private", None) if keys is not None else None
    if callable(fn):
        return bool(fn(path))
    return not Path(path).stat().st_mode & 0o077


def ntp_synced(timeout: float = PROBE_TIMEOUT_S) -> bool | None:
    """Ask systemd whether the clock is synchronised; None when it cannot be asked."""
    program = shutil.which("timedatectl")
    if program is None:
        return None
    try:
        done = subprocess.run(
            [program, "show", "-p", "NTPSynchronized", "--value"],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except (subprocess.TimeoutExpired, OSError):
        return None
    answer = done.stdout.strip().lower()
    if done.returncode != 0 or answer not in ("yes", "no"):
        return None
    return answer == "yes"


# --- helpers -----------------------------------------------------------------------------------


def ask_hub(config: Config, timeout: float) -> int:
    """A signed question to the centre's hub about this terminal's journal (nothing is sent):
    how many of its rows the hub has not received yet."""
    from cases.centre import question
    from cases.journal import Journal

    if not config.journal_path.exists():
        raise ProbeError(f"this terminal has no journal yet at {config.journal_path}")
    with Journal(config.journal_path) as journal:
        return question(journal, config.centre.hub, load_key(config.key_path),
                        config.centre.terminal_id, timeout)


def _nearest_existing(path: Path) -> Path:
    path = Path(path).absolute()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _folder_writable(
    folder: Path, access: Callable[[Path, int], bool] = os.access
) -> tuple[bool, str]:
    """(True, "") when ``folder`` exists and is writable, or can be created; else the reason."""
    folder = Path(folder).absolute()
    if folder.exists():
        if not folder.is_dir():
            return False, f"{folder} is a file, not a folder"
        if not access(folder, os.W_OK | os.X_OK):
            return False, f"the folder {folder} is not writable by this user"
        return True, ""
    base = _nearest_existing(folder)
    if not base.is_dir():
        return False, f"{base} is a file, not a folder"
    if not access(base, os.W_OK | os.X_OK):
        return False, f"{folder} does not exist and {base} is not writable by this user"
    return True, ""


def _hotro(config: Config) -> str:
    """The ``hotro`` command line with this configuration file, for advice to copy."""
    if config.source.startswith("("):
        return "hotro"
    return f"hotro --config {config.source}"


def _user() -> str:
    try:
        import pwd

        return pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError):  # pragma: no cover - not on Linux
        return "this user"


# --- the checks --------------------------------------------------------------------------------


def check_configuration(
    config: Config, probes: Probes, problem: str | None = None
) -> CheckResult:
    """The configuration file: read and valid (``problem`` is the loader's error, if any)."""
    if problem:
        return CheckResult(
            "configuration",
            "fail",
            f"The configuration file cannot be used: {problem.rstrip('.')}. The other checks "
            "below use the embedded defaults instead.",
            "Fix what is named (the file's path, or the key: deploy/hotro.example.toml lists "
            "every key and its allowed values), then run `hotro --config FILE doctor` again.",
        )
    home = config.home
    where = (
        "No configuration file: the embedded defaults are in use"
        if config.source == "(embedded defaults)"
        else f"Read {config.source}"
    )
    return CheckResult(
        "configuration",
        "ok",
        f"{where}. Terminal {config.centre.terminal_id}, data folder {home}.",
    )


def check_screen(config: Config, probes: Probes) -> CheckResult:  # noqa: ARG001 - same shape
    """Is there a screen the Kivy window can open on?"""
    env = dict(probes.env)
    forced = env.get("SDL_VIDEODRIVER", "").strip().lower()
    if forced in TEST_VIDEO_DRIVERS:
        report = probes.sdl("video", env, PROBE_TIMEOUT_S)
        return CheckResult(
            "screen",
            "warn",
            f"SDL_VIDEODRIVER={forced}: the window is drawn off-screen (test mode); residents "
            "would see nothing.",
            "Unset SDL_VIDEODRIVER on a kiosk (check the systemd unit and /etc/environment)."
            + ("" if report.ok else f" SDL also reported: {report.error}"),
        )
    display = env.get("DISPLAY", "") or ""
    wayland = env.get("WAYLAND_DISPLAY", "") or ""
    borrowed = ""
    if not display and not wayland:
        servers = probes.x_displays()
        if servers:
            borrowed = servers[0]
            env["DISPLAY"] = borrowed
    report = probes.sdl("video", env, PROBE_TIMEOUT_S)
    driver = report.driver.lower()
    if report.ok and driver in REAL_VIDEO_DRIVERS and report.count != 0:
        where = (
            f"wayland display {wayland}"
            if driver == "wayland"
            else f"X display {env.get('DISPLAY')}"
            if driver == "x11"
            else f"the {driver} graphics device"
        )
        plural = "s" if report.count > 1 else ""
        note = " (found its socket; DISPLAY is not set in this shell)" if borrowed else ""
        return CheckResult(
            "screen",
            "ok",
            f"A screen is available: {where}{note}, {max(report.count, 1)} monitor{plural}.",
        )
    # after a fallback to offscreen/dummy, SDL's last error is about that driver: noise
    why = report.error if report.error and driver not in TEST_VIDEO_DRIVERS else ""
    if borrowed:
        return CheckResult(
            "screen",
            "fail",
            f"An X server is running on {borrowed}, but this user cannot open it"
            + (f" ({why})" if why else " (X refused the connection)")
            + ".",
            f"Run the doctor as the hotro user with DISPLAY={borrowed} (README.md, health "
            "check); if the terminal is not running, check `systemctl status hotro-terminal` "
            "and the monitor's power and cable.",
        )
    if display or wayland:
        named = f"DISPLAY={display}" if display else f"WAYLAND_DISPLAY={wayland}"
        local = display.partition(".")[0] if display.startswith(":") else ""
        if local and local not in probes.x_displays():
            why = why or f"no X server is running on {local}"
        return CheckResult(
            "screen",
            "fail",
            f"{named} is set but the display cannot be opened"
            + (f" ({why})" if why else "")
            + (f"; SDL fell back to '{report.driver}'" if report.driver else "")
            + ".",
            "Check that the X server is running (systemctl status hotro-terminal) and that this "
            "user may use it; on the kiosk run the doctor as the hotro user.",
        )
    return CheckResult(
        "screen",
        "fail",
        "No screen found: no X or Wayland display in this session and no graphics device SDL "
        f"can use (it chose '{report.driver or 'none'}'"
        + (f": {why}" if why else "")
        + ").",
        "On the kiosk the terminal starts its own X server (hotro-terminal.service): check the "
        "monitor is on and its cable is plugged in, then `systemctl status hotro-terminal`. "
        "From a remote shell, run `DISPLAY=:0 hotro doctor` while the terminal is running.",
    )


def check_audio_out(config: Config, probes: Probes) -> CheckResult:
    """Speech synthesis (espeak-ng) and a loudspeaker to play it on."""
    lang = config.terminal.languages[0] if config.terminal.languages else "vi"
    text = "Xin chào" if lang == "vi" else "Hello"
    speech_problem = ""
    seconds = 0.0
    with tempfile.TemporaryDirectory(prefix="hotro-doctor-") as tmp:
        try:
            wav = probes.synthesize(text, lang, Path(tmp))
            seconds = wav_seconds(wav)
            if seconds <= 0.05:
                speech_problem = f"the synthesised sound is empty ({seconds:.2f} s)"
        except Exception as exc:  # noqa: BLE001 - any failure is the finding
            speech_problem = str(exc) or type(exc).__name__
    env = dict(probes.env)
    forced = env.get("SDL_AUDIODRIVER", "").strip().lower()
    test_mode = forced in TEST_AUDIO_DRIVERS
    device_problem = ""
    device_note = ""
    busy = False
    try:
        sdl = probes.sdl("audio", env, PROBE_TIMEOUT_S)
        test_mode = test_mode or sdl.driver.lower() in TEST_AUDIO_DRIVERS
        forced = forced or sdl.driver.lower()
        if sdl.ok and sdl.opened:
            named = ", ".join(sdl.names[:2]) + (" ..." if len(sdl.names) > 2 else "")
            device_note = f"plays through SDL's {sdl.driver} driver" + (
                f" ({named})" if named else ""
            )
        elif not sdl.ok:
            device_problem = f"SDL audio cannot start ({sdl.error or 'no reason given'})"
        else:
            busy = "busy" in sdl.error.lower()
            device_problem = (
                "the sound device is in use by another program"
                if busy
                else "no audio output device can be opened (no sound card, or it is not "
                "detected)"
            ) + (f"; SDL says: {sdl.error}" if sdl.error else "")
    except ProbeError as exc:
        device_problem = str(exc)
    if device_problem and not busy:
        with contextlib.suppress(ProbeError):
            outputs = probes.audio_devices(PROBE_TIMEOUT_S).outputs
            if outputs:
                device_problem += f" (PortAudio lists {', '.join(outputs[:2])})"

    speech_ok = f"espeak-ng speaks ({seconds:.1f} s of test speech)"
    if speech_problem and (device_problem and not test_mode):
        return CheckResult(
            "audio_out",
            "fail",
            f"Residents cannot hear the terminal: speech synthesis failed ({speech_problem}) "
            f"and {device_problem}.",
            "Install the Debian package espeak-ng; connect the speakers and check the sound card "
            "with `aplay -l`.",
        )
    if speech_problem:
        return CheckResult(
            "audio_out",
            "fail",
            f"Speech synthesis failed: {speech_problem}. The terminal works on screen only.",
            "Install or repair the Debian package espeak-ng (`apt install espeak-ng`), then "
            "check `espeak-ng -v vi \"xin chào\"`.",
        )
    if test_mode:
        return CheckResult(
            "audio_out",
            "warn",
            f"{speech_ok}, but SDL_AUDIODRIVER={forced or 'disk'}: sound goes to a file "
            "(test mode); residents would hear nothing.",
            "Unset SDL_AUDIODRIVER on a kiosk (check the systemd unit and /etc/environment).",
        )
    if busy:
        return CheckResult(
            "audio_out",
            "warn",
            f"{speech_ok}, but {device_problem}.",
            "This is normal while the terminal is speaking; if it stays, stop other programs "
            "that use the sound card (or restart hotro-terminal).",
        )
    if device_problem:
        return CheckResult(
            "audio_out",
            "fail",
            f"{speech_ok}, but {device_problem}. Blind residents and those who cannot read "
            "cannot use the terminal.",
            "Connect the speakers or headphones and switch them on; check the sound card with "
            "`aplay -l`, that the hotro user is in the 'audio' group, and that nothing is muted "
            "(`alsamixer`).",
        )
    return CheckResult("audio_out", "ok", f"{speech_ok}; sound {device_note}.")


def voice_coverage(config: Config) -> Any:
    from terminal.coverage import Surveyor

    return Surveyor(config).coverage()


def check_recorded_voice(config: Config, probes: Probes) -> CheckResult:
    """How much of a visit is heard in the centre's recorded voice (``hotro voices coverage``)."""
    from voices.clips import PackError, open_packs

    try:
        packs = open_packs(config.clips_dir)
        found = probes.voice_coverage(config)
    except (PackError, OSError) as exc:
        return CheckResult(
            "recorded_voice",
            "warn",
            f"The recorded clip packs in {config.clips_dir} cannot be read ({exc}); espeak-ng "
            "speaks instead.",
            "Run `hotro voices check` on the folder, or import the pack again "
            "(`hotro voices pack import FILE.zip`).",
        )
    others = sorted(set(packs) - {found.pack})
    more = f" Other packs here: {', '.join(others)}." if others else ""
    advice = ""
    if found.visit_human_share < 0.5:
        advice = "Staff can record the missing lines in the desk's studio (/studio)."
    return CheckResult("recorded_voice", "ok", f"{found.line()}.{more}", advice)


def _model_choice(config: Config, probes: Probes) -> tuple[Path | None, str, ModelVerdict]:
    """(model folder, where it came from, verdict). Folder None: no model installed."""
    if config.voice.model:
        path = Path(config.voice.model).expanduser()
        return path, "configured in voice.model", probes.verify_model(path)
    models = probes.installed_models(config)
    if not models:
        return None, "", ModelVerdict()
    verdicts = [probes.verify_model(path) for path in models]
    for path, verdict in zip(models, verdicts, strict=True):
        if verdict.problem is None:
            return path, f"installed in {path.parent}", verdict
    return models[0], f"installed in {models[0].parent}", verdicts[0]


def check_vosk_model(config: Config, probes: Probes) -> CheckResult:
    """The speech-recognition model: present and complete (voice input is optional)."""
    path, origin, verdict = _model_choice(config, probes)
    if path is None:
        return CheckResult(
            "vosk_model",
            "warn",
            f"No voice model is installed in {config.models_dir}: voice input is off. The "
            "terminal works by touch and keypad, and still speaks.",
            f"To let residents answer by voice: `{_hotro(config)} models install "
            "vosk-model-small-vn-0.4.zip` (with no file it downloads that model); "
            f"`{_hotro(config)} models list` shows what is installed.",
        )
    if not probes.vosk_installed():
        return CheckResult(
            "vosk_model",
            "fail",
            f"A voice model is there ({path}) but the vosk speech-recognition package is not "
            "installed: voice input is off.",
            "Reinstall hotro with its dependencies (scripts/setup.sh), which installs vosk.",
        )
    if verdict.problem:
        return CheckResult(
            "vosk_model",
            "fail",
            f"The voice model {origin} is not usable: {verdict.problem.rstrip('.')}. Voice "
            "input is off.",
            f"Install the model again with `{_hotro(config)} models install`, or correct "
            "voice.model in the "
            "configuration file (or set it to \"\" to use the installed one).",
        )
    if not verdict.grammar:
        return CheckResult(
            "vosk_model",
            "warn",
            f"The voice model {path.name} ({origin}) works, but only for free speech: it has no "
            "lookahead graph (graph/HCLr.fst + Gr.fst), so answers cannot be limited to the "
            "choices on screen and are recognised less reliably.",
            "Install a model with a lookahead graph, e.g. vosk-model-small-vn-0.4.",
        )
    return CheckResult("vosk_model", "ok", f"Voice model {path.name} ({origin}) is complete.")


def check_microphone(config: Config, probes: Probes) -> CheckResult:
    """A microphone PortAudio can record from (needed only when a voice model is installed)."""
    try:
        path, _, verdict = _model_choice(config, probes)
        wanted = path is not None and not verdict.problem
    except Exception:  # noqa: BLE001 - the model check reports its own failure
        wanted = False
    off = "" if wanted else " Voice input is off anyway (no usable voice model)."
    status: Status = "fail" if wanted else "warn"
    try:
        devices = probes.audio_devices(PROBE_TIMEOUT_S)
    except ProbeError as exc:
        return CheckResult(
            "microphone",
            status,
            f"Cannot look for a microphone: {exc}." + off,
            "Install the Debian package libportaudio2 (`apt install libportaudio2`).",
        )
    if not devices.inputs:
        return CheckResult(
            "microphone",
            status,
            "No microphone found (PortAudio sees no recording device)." + off,
            "Plug in the USB microphone (or headset) and run the doctor again; check it with "
            "`arecord -l` and that the hotro user is in the 'audio' group.",
        )
    shown = ", ".join(devices.inputs[:3]) + (" ..." if len(devices.inputs) > 3 else "")
    return CheckResult(
        "microphone",
        "ok",
        f"Microphone found: {shown}." + ("" if wanted else " (Voice input is off: no model.)"),
    )


PRINTER_ADVICE: dict[str, str] = {
    "paper_out": "Put in a new paper roll (thermal paper, {paper} mm) and close the cover.",
    "cover_open": "Close the printer cover firmly until it clicks.",
    "offline": "Switch the printer on and check its cable; if its light blinks, open and close "
    "the cover and clear any paper jam.",
    "timeout": "The printer did not answer in time: switch it off and on, check the cable, or "
    "raise printer.timeout.",
    "unreachable": "Cannot reach the printer at {uri}: check the cable (USB) or the network "
    "address (tcp), that it is switched on, and that the hotro user may use the device "
    "('lp' or 'dialout' group).",
    "bad_uri": "printer.uri in the configuration file is not valid; use usb:VID:PID, "
    "serial:DEVICE?baudrate=N, tcp:HOST[:PORT], file:PATH or png:FOLDER.",
}


def _printer_advice(problem: str | None, config: Config) -> str:
    text = PRINTER_ADVICE.get(problem or "", "Check the printer's power, cable and paper.")
    return text.format(uri=config.printer_uri, paper=config.printer.paper)


def check_printer(config: Config, probes: Probes) -> CheckResult:
    """The configured printer answers and is ready (png: the preview folder is writable)."""
    uri = config.printer_uri
    if uri.startswith("png:"):
        folder = Path(uri[4:].partition("?")[0]).expanduser()
        ok, why = _folder_writable(folder, probes.access)
        if not ok:
            return CheckResult(
                "printer",
                "fail",
                f"Slips are saved as PNG pictures in {folder}, but {why}.",
                f"Create the folder and give {_user()} write permission, or set printer.uri.",
            )
        return CheckResult(
            "printer",
            "warn" if not config.printer.uri else "ok",
            f"No paper printer: slips are saved as PNG pictures in {folder} (writable)."
            + (" Residents get no printed slip." if not config.printer.uri else ""),
            ""
            if config.printer.uri
            else "Connect the receipt printer and set printer.uri in the configuration file "
            "(e.g. usb:0x0416:0x5011 or tcp:192.0.2.10:9100).",
        )
    report = probes.printer_status(uri, min(PROBE_TIMEOUT_S, config.printer.timeout))
    if report.ok:
        return CheckResult(
            "printer", "ok", f"The printer at {uri} is ready" + _detail(report.detail) + "."
        )
    what = {
        "paper_out": "is out of paper",
        "cover_open": "has its cover open",
        "offline": "is offline",
        "timeout": "did not answer in time",
        "unreachable": "cannot be reached",
        "bad_uri": "has an invalid address",
    }.get(report.problem or "", "reports a problem")
    return CheckResult(
        "printer",
        "fail",
        f"The printer at {uri} {what}" + _detail(report.detail) + ".",
        _printer_advice(report.problem, config),
    )


def _detail(detail: str) -> str:
    detail = " ".join(str(detail).split()).rstrip(".")
    return f" ({detail})" if detail else ""


def check_test_slip(config: Config, probes: Probes) -> CheckResult:
    """Print one small test slip (only with ``--test-slip``)."""
    report = probes.print_test_slip(config)
    if report.ok:
        where = f"; preview: {report.preview}" if report.preview else ""
        return CheckResult(
            "test_slip",
            "ok",
            f"A test slip was sent to {config.printer_uri}{where}. Check that the Vietnamese "
            "letters and the QR code are sharp.",
        )
    return CheckResult(
        "test_slip",
        "fail",
        f"The test slip did not print: {report.problem or 'error'}" + _detail(report.detail) + ".",
        _printer_advice(report.problem, config),
    )


def check_journal(config: Config, probes: Probes) -> CheckResult:
    """The SQLite journal: sound, writable, in WAL mode (missing: it will be created)."""
    path = config.journal_path
    if not path.exists():
        ok, why = _folder_writable(path.parent, probes.access)
        if ok:
            return CheckResult(
                "journal",
                "ok",
                f"No journal yet; it will be created at {path} when the terminal first starts.",
            )
        return CheckResult(
            "journal",
            "fail",
            f"The journal {path} does not exist and cannot be created: {why}.",
            f"Create {path.parent} and give {_user()} write permission on it.",
        )
    if path.is_dir():
        return CheckResult(
            "journal",
            "fail",
            f"{path} is a folder, not a journal file.",
            "Set journal.path to a file name, or move the folder away.",
        )
    deadline = time.monotonic() + PROBE_TIMEOUT_S
    try:
        conn = sqlite3.connect(
            f"{path.absolute().as_uri()}?mode=rw", uri=True, timeout=1.0, isolation_level=None
        )
    except sqlite3.Error as exc:
        return _journal_failure(path, exc)
    try:
        conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
        rows = conn.execute("PRAGMA integrity_check(5)").fetchall()
        verdict = "; ".join(str(r[0]) for r in rows)
        if verdict != "ok":
            return CheckResult(
                "journal",
                "fail",
                f"The journal {path} is damaged: {verdict}.",
                "Stop the terminal and the desk, move the file aside (keep it for recovery), "
                "and restore the last backup; a missing journal is started fresh.",
            )
        mode = str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower()
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        return _journal_failure(path, exc)
    finally:
        conn.close()
    writable = probes.access(path, os.W_OK) and probes.access(path.parent, os.W_OK | os.X_OK)
    if not writable:
        return CheckResult(
            "journal",
            "fail",
            f"The journal {path} is read-only for {_user()}: new cases cannot be recorded.",
            f"Give {_user()} write permission on the file and its folder {path.parent} (SQLite "
            "writes -wal and -shm files beside it).",
        )
    journal_mod = _optional("cases.journal")
    newest = getattr(journal_mod, "SCHEMA_VERSION", None) if journal_mod else None
    if isinstance(newest, int) and version > newest:
        return CheckResult(
            "journal",
            "fail",
            f"The journal {path} was written by a newer version of hotro (schema {version}, "
            f"this one knows {newest}).",
            "Update hotro on this machine to the same version as the other terminals and desk.",
        )
    if mode != "wal":
        return CheckResult(
            "journal",
            "warn",
            f"The journal {path} is sound and writable but in '{mode}' mode, not WAL; the "
            "terminal switches it to WAL when it starts.",
            "If the warning stays after the terminal has run, keep the journal on a local disk "
            "(WAL does not work on network shares).",
        )
    return CheckResult(
        "journal",
        "ok",
        f"The journal {path} is sound (integrity check ok), writable, in WAL mode"
        + (f", schema {version}" if version else "")
        + ".",
    )


def _journal_failure(path: Path, exc: sqlite3.Error) -> CheckResult:
    text = str(exc)
    if "interrupted" in text:
        return CheckResult(
            "journal",
            "warn",
            f"The journal {path} is large: its integrity check did not finish within "
            f"{PROBE_TIMEOUT_S:g} s.",
            f"Run `sqlite3 {path} 'PRAGMA integrity_check'` by hand when the centre is closed.",
        )
    if "locked" in text or "busy" in text:
        return CheckResult(
            "journal",
            "warn",
            f"The journal {path} is busy (another process holds a write lock); it could not be "
            "tested for writing.",
            "Run the doctor again in a moment; if it stays locked, look for a stuck hotro process.",
        )
    if "not a database" in text or "malformed" in text:
        return CheckResult(
            "journal",
            "fail",
            f"The journal {path} is corrupt or not a journal file ({text}).",
            "Stop the terminal and the desk, move the file aside (keep it for recovery), and "
            "restore the last backup; a missing journal is started fresh.",
        )
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return CheckResult(
            "journal",
            "fail",
            f"The journal {path} cannot be written ({text}): new cases cannot be recorded.",
            f"Give {_user()} write permission on the file and its folder {path.parent}, and check "
            "the disk is not mounted read-only.",
        )
    return CheckResult("journal", "fail", f"The journal {path} cannot be used: {text}.",
                       "Check the file, its permissions and the disk.")


def check_centre_key(config: Config, probes: Probes) -> CheckResult:
    """The centre's secret key that signs the QR code on every slip."""
    path = config.key_path
    try:
        probes.load_key(path)
    except ProbeError as exc:
        return CheckResult("centre_key", "fail", f"{exc}.", "Reinstall hotro.")
    except Exception as exc:  # noqa: BLE001 - KeyFileError and friends: their text is the finding
        missing = not path.exists()
        advice = (
            f"Run `{_hotro(config)} keys init` on the first machine of the centre, then copy "
            "the same key "
            f"file to {path} on every terminal and on the desk (mode 0600)."
            if missing
            else f"Copy the centre's key file again to {path} from the desk or another terminal "
            "(or, for a new centre, `hotro keys init --force`: old slips then stop verifying)."
        )
        summary = str(exc).strip() or type(exc).__name__
        if missing:
            summary = (
                f"No centre key at {path}. The terminal would make a key of its own when it "
                "starts, and then the desk could not read its slips' QR codes."
            )
        return CheckResult("centre_key", "fail", summary, advice)
    if not probes.key_is_private(path):
        return CheckResult(
            "centre_key",
            "warn",
            f"The centre key {path} is valid but other users can read it.",
            f"`chmod 600 {path}` (and make {_user()} its owner).",
        )
    return CheckResult("centre_key", "ok", f"The centre key {path} is valid and private.")


def check_centre_hub(config: Config, probes: Probes) -> CheckResult:
    """The centre's hub this terminal forwards its records to (``[centre] hub``)."""
    hub = config.centre.hub
    if not hub:
        return CheckResult(
            "centre_hub", "ok",
            f"No hub: one machine, the terminal and the desk share the journal "
            f"{config.journal_path}.",
        )
    try:
        pending = probes.ask_hub(config, PROBE_TIMEOUT_S)
    except PermissionError:
        return CheckResult(
            "centre_hub", "fail",
            f"The hub {hub} answers but refuses this terminal's centre key: nothing it records "
            "reaches the desk's report or its counters.",
            f"Copy the centre's key file from the desk PC to {config.key_path} (mode 0600) and "
            "compare `hotro keys list` on both machines.",
        )
    except (ConnectionError, OSError) as exc:
        return CheckResult(
            "centre_hub", "warn",
            f"The hub cannot be reached now ({exc}). The terminal works and keeps every record; "
            "they reach the hub when it answers.",
            f"Check that the desk PC is on and `hotro desk` runs, that this machine reaches it "
            f"(the network cable, `curl {hub}/healthz`), and `[centre] hub` in {config.source}.",
        )
    if pending > 1000:
        return CheckResult(
            "centre_hub", "warn",
            f"The hub {hub} answers and accepts this terminal's key, but {pending} records have "
            "not reached it yet.",
            "Leave the terminal on: it sends them by itself. If the number does not go down, "
            "look at the terminal's log for forwarding errors.",
        )
    return CheckResult(
        "centre_hub", "ok",
        f"The hub {hub} answers and accepts this terminal's key; {pending} records still to "
        "send (the terminal sends them itself).",
    )


def _size(n: int) -> str:
    if n >= 1024**3:
        return f"{n / 1024**3:.1f} GB"
    return f"{n / 1024**2:.0f} MB"


def check_free_disk(config: Config, probes: Probes) -> CheckResult:
    """Free space where the journal, slips and speech cache live."""
    folders = {_nearest_existing(config.home): config.home}
    folders.setdefault(_nearest_existing(config.journal_path.parent), config.journal_path.parent)
    worst: tuple[int, Path] | None = None
    for existing, named in folders.items():
        free = probes.disk_free(existing)
        if worst is None or free < worst[0]:
            worst = (free, named)
    assert worst is not None
    free, where = worst
    if free < DISK_FAIL_BYTES:
        return CheckResult(
            "free_disk",
            "fail",
            f"Only {_size(free)} free on the disk holding {where}: the journal may soon fail "
            "to record cases.",
            f"Free space now: delete old slip previews in {config.home / 'slips'}, the speech "
            f"cache {config.cache_dir}, old logs in /var/log/hotro.",
        )
    if free < DISK_WARN_BYTES:
        return CheckResult(
            "free_disk",
            "warn",
            f"{_size(free)} free on the disk holding {where} (less than "
            f"{_size(DISK_WARN_BYTES)}).",
            f"Free some space soon: old slip previews in {config.home / 'slips'}, the speech "
            f"cache {config.cache_dir}, old logs in /var/log/hotro.",
        )
    return CheckResult("free_disk", "ok", f"{_size(free)} free on the disk holding {where}.")


def check_clock(config: Config, probes: Probes) -> CheckResult:  # noqa: ARG001
    """The date and time: plausible, and kept in sync (tickets and slips carry them)."""
    now = probes.now()
    shown = now.strftime("%Y-%m-%d %H:%M")
    if not MIN_PLAUSIBLE_YEAR <= now.year <= MAX_PLAUSIBLE_YEAR:
        return CheckResult(
            "clock",
            "fail",
            f"The clock says {shown}, which cannot be right: ticket numbers restart each day and "
            "slips, the queue and the monthly report would carry wrong dates.",
            "Set the date and time (`sudo timedatectl set-time 'YYYY-MM-DD HH:MM'`), enable "
            "network time (`sudo timedatectl set-ntp true`), and replace the motherboard's "
            "CMOS battery if the clock is lost at every power cut.",
        )
    synced = probes.ntp_synced(PROBE_TIMEOUT_S)
    if synced is False:
        return CheckResult(
            "clock",
            "warn",
            f"The clock says {shown} but is not synchronised with network time.",
            "Check it against a phone; `sudo timedatectl set-ntp true` when the network "
            "reaches a time server, or set it by hand with `timedatectl set-time`.",
        )
    sync = (
        "synchronised with network time"
        if synced
        else "sync state unknown (timedatectl not available here)"
    )
    return CheckResult("clock", "ok", f"The clock says {shown}; {sync}.")


Check = Callable[[Config, Probes], CheckResult]

CHECKS: tuple[tuple[str, Check], ...] = (
    ("screen", check_screen),
    ("audio_out", check_audio_out),
    ("recorded_voice", check_recorded_voice),
    ("microphone", check_microphone),
    ("vosk_model", check_vosk_model),
    ("printer", check_printer),
    ("journal", check_journal),
    ("centre_key", check_centre_key),
    ("centre_hub", check_centre_hub),
    ("free_disk", check_free_disk),
    ("clock", check_clock),
)
"""Every check, in reporting order (``configuration`` first, ``test_slip`` after printer)."""


def _guarded(part: str, check: Check, config: Config, probes: Probes) -> CheckResult:
    try:
        result = check(config, probes)
    except ProbeError as exc:
        return CheckResult(
            part,
            "fail",
            f"Cannot test this part: {exc}.",
            "Install or repair what is named above (see scripts/setup.sh), then run the doctor "
            "again.",
        )
    except Exception as exc:  # noqa: BLE001 - the doctor never crashes
        reason = str(exc).strip() or type(exc).__name__
        return CheckResult(
            part,
            "fail",
            f"The check itself failed: {reason} ({type(exc).__name__}).",
            "Report this to the hotro maintainers with the output of `hotro doctor --json`.",
        )
    if not isinstance(result, CheckResult) or result.status not in STATUSES:
        return CheckResult(part, "fail", f"The check returned an invalid result: {result!r}.")
    return result


def run_checks(
    config: Config,
    probes: Probes | None = None,
    *,
    test_slip: bool = False,
    config_problem: str | None = None,
    only: Sequence[str] | None = None,
    timeout: float | None = None,
) -> list[CheckResult]:
    """Run every check in parallel and return one result per part, in ``PARTS`` order.

    Fast enough for the status screen: each probe has its own timeout and the whole run is cut
    off after ``timeout`` (default ``TOTAL_TIMEOUT_S``, or ``TEST_SLIP_TIMEOUT_S`` with
    ``test_slip``); a check still running then is reported as a failure. ``only`` limits the
    run to some part ids. Never raises.
    """
    probes = probes or Probes()
    checks: list[tuple[str, Check]] = [
        ("configuration", lambda c, p: check_configuration(c, p, config_problem))
    ]
    checks += list(CHECKS)
    if test_slip:
        checks.append(("test_slip", check_test_slip))
    if only is not None:
        checks = [(part, fn) for part, fn in checks if part in only]
    limit = timeout if timeout is not None else (
        TEST_SLIP_TIMEOUT_S if test_slip else TOTAL_TIMEOUT_S
    )
    results: dict[str, CheckResult] = {}
    lock = threading.Lock()

    def work(part: str, fn: Check) -> None:
        found = _guarded(part, fn, config, probes)
        with lock:
            results[part] = found

    threads = []
    for part, fn in checks:
        thread = threading.Thread(target=work, args=(part, fn), name=f"doctor-{part}", daemon=True)
        thread.start()
        threads.append(thread)
    deadline = time.monotonic() + limit
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    with lock:
        done = dict(results)
    order = list(PARTS)
    out = []
    for part, _ in checks:
        out.append(
            done.get(part)
            or CheckResult(
                part,
                "fail",
                f"The check did not finish within {limit:g} s (the part may be hanging).",
                "Run `hotro doctor` again; if it stays stuck, restart the machine.",
            )
        )
    out.sort(key=lambda r: order.index(r.part) if r.part in order else len(order))
    return out


def exit_code(results: Sequence[CheckResult]) -> int:
    """0 when no part failed, else 1."""
    return 1 if any(r.status == "fail" for r in results) else 0


STATUS_WORDS: dict[str, str] = {"ok": "OK", "warn": "WARN", "fail": "FAIL"}


def format_report(results: Sequence[CheckResult]) -> str:
    """The plain-text report ``hotro doctor`` prints."""
    lines = []
    for r in results:
        lines.append(f"{STATUS_WORDS[r.status]:<5} {r.label}: {r.summary}")
        if r.advice:
            lines.append(f"      What to do: {r.advice}")
    counts = {s: sum(1 for r in results if r.status == s) for s in STATUSES}
    verdict = (
        "Some parts are down: fix the FAIL lines first."
        if counts["fail"]
        else "Everything works" + (", with warnings." if counts["warn"] else ".")
    )
    lines.append("")
    lines.append(
        f"{counts['ok']} ok, {counts['warn']} warning{'s' if counts['warn'] != 1 else ''}, "
        f"{counts['fail']} failure{'s' if counts['fail'] != 1 else ''}. {verdict}"
    )
    return "\n".join(lines)


def to_json(results: Sequence[CheckResult]) -> str:
    """``[{"part", "status", "summary", "advice"}, ...]``, UTF-8 text."""
    return json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2)

