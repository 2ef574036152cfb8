"""Short soaks in CI: the bench's soak (``bench/soak.py``) with 25 visits instead of 2,000, and
its screen soak (``bench/screen_soak.py``, the real Kivy window) with 6 instead of 300.

Real parts, in this one process: the dialogue and session, the catalogue and phrase pack,
VoiceOut → Speaker → pyttsx3/espeak-ng synthesis into its WAV cache (nothing played), the
centre key and QR codec, build_slip → Pillow render_slip → print_image to a PNG folder, and the
SQLite journal. No visit may fail and memory may not grow by 20 MB after the warm-up.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _bench():  # noqa: ANN202
    spec = importlib.util.spec_from_file_location("hotro_bench_soak", ROOT / "bench" / "soak.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


@pytest.mark.real
def test_twenty_five_visits_in_one_process_no_failure_and_bounded_memory(tmp_path, monkeypatch):
    """Real parts: see the module docstring (all in this process, 25 visits, 10 of warm-up)."""
    bench = _bench()
    monkeypatch.setenv("HOTRO_HOME", str(tmp_path / "home"))
    result = bench.soak(25, tmp_path, warmup=10, seed=11, sample_every=5)
    print("\n" + result.report())
    assert result.failures == []
    assert result.cases == 25 and result.integrity == "ok"
    assert result.spoken_items > 25 * 20  # every screen was spoken (synthesised or cached)
    assert result.growth_mb < bench.GROWTH_LIMIT_MB


@pytest.mark.real
def test_the_screen_soak_walks_visits_through_the_real_window(tmp_path):
    """Real parts: ``bench/screen_soak.py`` as a command (its own process: Kivy allows one
    window per process), the Kivy app in an SDL offscreen window (Mesa), with the same parts as
    above and a thread running the cycle collector all the time. 6 visits, 2 of warm-up; the
    resident changes the contrast and the text size on the way."""
    import os
    import subprocess

    env = {
        **os.environ,
        "SDL_VIDEODRIVER": "offscreen",
        "SDL_AUDIODRIVER": "dummy",
        "KIVY_HOME": str(tmp_path / "kivy"),
        "HOTRO_HOME": str(tmp_path / "home"),
    }
    cmd = [sys.executable, str(ROOT / "bench" / "screen_soak.py"), "--visits", "6"]
    proc = subprocess.run(
        [*cmd, "--warmup", "2", "--size", "1366x768"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    figures = dict(
        line.split(":", 1) for line in proc.stdout.splitlines() if ":" in line and "  " in line
    )
    assert figures["visits"].strip() == "6" and figures["failures"].strip() == "0"
    assert figures["cases in journal"].strip().startswith("6 (integrity_check: ok)")
    assert int(figures["screens built"]) >= 6 * 10  # every step of every visit was drawn
    assert int(figures["garbage collections"].split()[0]) > 100
