"""The hall speaker: desk calls spoken one after another, never cutting each other off.

``VoiceOut.say`` replaces whatever is playing, which is right on the terminal (the newest prompt
wins) but wrong in the hall: when two counters call within seconds, both calls must be heard in
full. ``HallSpeaker`` queues the texts and hands the next one to the voice only when it has gone
quiet. It is the desk's ``announcer`` (a callable taking the spoken text); it never blocks.

``board_voice`` makes the same calls as WAV files for the hall board's TV (``desk.board``).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

_log = logging.getLogger(__name__)


class Voice(Protocol):
    """What the hall speaker needs of ``voices.out.VoiceOut``."""

    def say(self, text: str, phrase_id: str | None = None) -> None: ...

    @property
    def speaking(self) -> bool: ...


class HallSpeaker:
    def __init__(self, voice: Voice, max_seconds: float = 30.0, poll: float = 0.05) -> None:
        """``max_seconds``: longest wait for one call to finish before the next one starts."""
        self.voice = voice
        self.max_seconds = max_seconds
        self.poll = poll
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="hall-speaker", daemon=True)
        self._thread.start()

    def __call__(self, text: str) -> None:
        self._queue.put(text)

    def close(self, timeout: float = 5.0) -> None:
        """Finish the queued calls (up to ``timeout``) and stop the worker."""
        self._queue.put(None)
        self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            text = self._queue.get()
            if text is None:
                return
            self.voice.say(text)
            # VoiceOut reports speaking from the moment ``say`` returns until playback ends.
            deadline = time.monotonic() + self.max_seconds
            while self.voice.speaking and time.monotonic() < deadline:
                time.sleep(self.poll)


def board_voice(cache_dir: Path, variant: str = "north") -> Callable[[str], Path | None] | None:
    """The spoken calls for the hall board: text → a cached WAV synthesised by espeak-ng (the
    same reading rules as the terminal: "A-105" is "a, một không năm", digit by digit). None
    when no speech engine is installed (the board then only chimes)."""
    from voices.reading import speakable
    from voices.speaker import Speaker, SpeakerError

    speaker = Speaker(cache_dir=cache_dir)
    if not speaker.available:
        _log.warning("hall board: no spoken calls (%s)", speaker.problem)
        return None

    def voice(text: str) -> Path | None:
        try:
            return speaker.synthesize(speakable(text, "vi", variant), "vi", variant)
        except SpeakerError as exc:
            _log.warning("hall board: cannot say a call: %s", exc)
            return None

    return voice
