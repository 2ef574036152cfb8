"""`hotro say` and `hotro voices check`, run as the installed command (real espeak-ng)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from terminal.cli import main
from voices.out import RATE_STEPS

pytestmark = pytest.mark.real


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOTRO_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def read(path: Path) -> tuple[int, int, int, float]:
    with wave.open(str(path), "rb") as wav:
        return (
            wav.getnchannels(),
            wav.getsampwidth(),
            wav.getframerate(),
            wav.getnframes() / wav.getframerate(),
        )


def test_say_writes_the_issue_example_as_a_valid_wav(tmp_path: Path, home: Path) -> None:
    """The 'done when' command, through the installed `hotro` entry point."""
    hotro = shutil.which("hotro", path=str(Path(sys.executable).parent)) or "hotro"
    out = tmp_path / "x.wav"
    env = {**os.environ, "HOTRO_HOME": str(home)}
    proc = subprocess.run(
        [hotro, "say", "Thủ tục đăng ký khai sinh cần giấy chứng sinh.", "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    channels, width, rate, seconds = read(out)
    assert (channels, width, rate) == (1, 2, 22050)
    assert 2.5 < seconds < 6
    assert "Audio saved" not in proc.stdout


def test_say_by_phrase_id_with_voice_and_rate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    slow, fast = tmp_path / "slow.wav", tmp_path / "fast.wav"
    args = ["say", "--id", "speech_rate_level", "--param", "level=1", "--param", "count=7"]
    assert main([*args, "--out", str(slow), "--voice", "south", "--rate", "0"]) == 0
    assert main([*args, "--out", str(fast), "--rate", str(len(RATE_STEPS) - 1)]) == 0
    assert read(slow)[3] > 2 * read(fast)[3]
    assert "Tốc độ đọc: mức một trên bảy." in capsys.readouterr().err


def test_say_rejects_an_unknown_phrase_id(tmp_path: Path) -> None:
    assert main(["say", "--id", "nope_nothing", "--out", str(tmp_path / "n.wav")]) == 2


def test_say_rejects_a_rate_out_of_range(tmp_path: Path) -> None:
    assert main(["say", "xin chào", "--rate", "9", "--out", str(tmp_path / "n.wav")]) == 2


def test_voices_check_exits_1_on_a_bad_clip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clips = tmp_path / "clips"
    clips.mkdir()
    assert main(["say", "Có ạ.", "--out", str(clips / "button_yes.wav")]) == 0
    assert main(["voices", "check", str(clips)]) == 0
    assert "ok   button_yes" in capsys.readouterr().out
    (clips / "button_no.wav").write_bytes(b"garbage")
    assert main(["voices", "check", str(clips)]) == 1
    out = capsys.readouterr().out
    assert "BAD" in out and "button_no.wav" in out and "1 bad file(s)" in out


def test_say_without_an_audio_device_fails_with_one_clear_line(home: Path) -> None:
    hotro = shutil.which("hotro", path=str(Path(sys.executable).parent)) or "hotro"
    env = {**os.environ, "HOTRO_HOME": str(home), "SDL_AUDIODRIVER": "no-such-driver"}
    proc = subprocess.run(
        [hotro, "say", "Xin chào."], capture_output=True, text=True, env=env, timeout=60
    )
    assert proc.returncode == 1
    errors = [line for line in proc.stderr.splitlines() if line.startswith("hotro say:")]
    assert len(errors) == 1
    assert "cannot play: no audio output" in errors[0] and "--out" in errors[0]
