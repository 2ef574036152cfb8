"""The hall speaker: desk calls spoken one after another, never cutting each other off.

``VoiceOut.say`` replaces whatever is playing, which is right on the terminal (the newest prompt
wins) but wrong in the hall: when two counters call within seconds, both calls must be heard in
full. ``HallSpeaker`` queues the texts and hands the next one to the voice only when it has gone
quiet. It is the desk's ``announcer`` (a callable taking the spoken text); it never blocks.
"""

from __future__ import annotations

import queue
import threading
import time
from typing import Protocol


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
