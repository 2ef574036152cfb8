"""A visit in text mode with a partly recorded pack: clips and synthesis in one stream.

Starts ``hotro run --text --speak`` as a separate process with real espeak-ng (pyttsx3), SDL2
audio on the disk driver (every played sample written to a file), the real catalogue, phrase
packs, journal and a clip pack on the terminal's shelf. The home screen's title is recorded
(espeak-ng's southern voice stands in for a staff member's voice), the rest is not: the captured
output holds the clip's samples exactly, followed by the synthesised sentence after it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from terminal import dialogue as d
from terminal.config import parse_config
from terminal.wiring import build_context
from voices.clips import PackInfo, create_pack
from voices.out import DEFAULT_VOLUME_STEP, VOLUME_STEPS
from voices.phrases import load_pack
from voices.player import locate, read_wav, scale
from voices.reading import speakable
from voices.speaker import Speaker

ROOT = Path(__file__).resolve().parents[2]


def home_item_after(phrase_id: str) -> str:
    """The text the home screen speaks right after item ``phrase_id`` (the pure dialogue, with
    the real catalogue and phrase packs, as the terminal below runs it)."""
    ctx = build_context(parse_config({}), match=lambda text: None, voices=())
    state, _ = d.start(ctx)
    state, _ = d.step(state, d.Activate())
    state, effects = d.step(state, d.Press("lang:vi"))
    items = [item for e in effects if isinstance(e, d.Say) for item in e.items]
    ids = [pid for pid, _ in items]
    return items[ids.index(phrase_id) + 1][1]


@pytest.mark.real
def test_a_text_mode_visit_with_a_partial_pack_plays_clips_and_synthesis(tmp_path: Path) -> None:
    home = tmp_path / "home"
    pack = create_pack(home / "clips", PackInfo.default("vi"))
    title = load_pack("vi").spoken("title_home")
    stand_in = Speaker(tmp_path / "stand-in")
    pack.add("title_home", title, stand_in.synthesize(title, variant="south"), "test")
    volume = VOLUME_STEPS[DEFAULT_VOLUME_STEP]
    clip = scale(read_wav(pack.path("title_home"))[0], volume)
    after = speakable(home_item_after("title_home"))  # the short menu "Bấm 1 Hộ tịch, …"
    synthesis = Speaker(home / "cache" / "speech")
    synthesis.synthesize(after)  # in the terminal's cache already: the test is about the stream
    capture = tmp_path / "played.raw"
    env = {
        **os.environ,
        "HOTRO_HOME": str(home),
        "PYTHONIOENCODING": "utf-8",
        "SDL_AUDIODRIVER": "disk",
        "SDL_DISKAUDIOFILE": str(capture),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "terminal.cli", "run", "--text", "--speak"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        cwd=ROOT, text=True, encoding="utf-8",
    )  # fmt: skip
    try:
        assert proc.stdin is not None
        proc.stdin.write("\n1\n")  # wake, then Tiếng Việt: the home screen speaks
        proc.stdin.flush()
        # wait on the output itself: the clip, then the synthesised sentence after it
        deadline = time.monotonic() + 90
        at_clip = at_next = None
        while time.monotonic() < deadline and at_next is None:
            time.sleep(0.2)
            got = np.fromfile(capture, dtype="<i2") if capture.exists() else np.zeros(0, "<i2")
            at_clip = locate(clip, got) if len(got) else None
            spoken = synthesis.cache_path(after)
            if at_clip is not None and spoken.exists():
                at_next = locate(scale(read_wav(spoken)[0], volume), got[at_clip:])
        proc.stdin.write("quit\n")
        proc.stdin.flush()
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert "🔊 Ông bà cần làm việc gì?" in out
    assert at_clip is not None, "the recorded clip was not played"
    assert at_next is not None, "the synthesised sentence after the clip was not played"
    got = np.fromfile(capture, dtype="<i2")
    assert np.array_equal(got[at_clip : at_clip + len(clip)], clip)  # the clip, sample for sample
    # after the clip, the pause between two items (0.3 s), then the synthesis: no gap beyond it
    gap = (at_next - len(clip)) / 22050
    assert 0.25 <= gap <= 0.3 + 0.05, gap
