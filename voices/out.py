"""VoiceOut: the terminal's voice. Never blocks the caller; a new prompt replaces the old one.

One worker thread per VoiceOut takes (phrase_id, text) items from a queue, finds the audio (a
recorded clip for the phrase id, else the cached synthesis of ``speakable(text)``) and plays it.
``say``/``say_all`` replace the queue and stop what is playing; ``stop`` silences within one
audio buffer (about 25 ms, see ``voices.player``). Synthesis runs on the worker too, so a call
from the Kivy UI thread returns at once.

Failure never stops the terminal: without espeak-ng or an audio device ``available`` is False,
the problem is logged once, items are skipped and ``on_idle`` still fires, so a dialogue that
waits for speech to end carries on with the screen alone. A broken clip is logged once and the
phrase is synthesised instead.

Settings are closed lists with a default each: ``RATE_STEPS`` (7 multipliers 0.5-2.0 of 125
words a minute) and ``VOLUME_STEPS`` (7 levels). ``reset_settings`` restores the defaults given at
construction (the terminal calls it at the end of every visit).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from voices.clips import ClipPack
from voices.phrases import PhraseError, load_pack
from voices.player import NullPlayer, PlaybackError, Player, default_player
from voices.reading import speakable
from voices.speaker import BASE_WPM, VARIANT_VOICES, Speaker, SpeakerError

log = logging.getLogger(__name__)

RATE_STEPS: tuple[float, ...] = (0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0)
"""Speech-rate multipliers of ``BASE_WPM`` (125 words a minute): 62 to 250 words a minute."""
DEFAULT_RATE_STEP = 2
"""1.0 = 125 words a minute, the pace the design asks for elderly listeners."""
VOLUME_STEPS: tuple[float, ...] = (0.25, 0.4, 0.55, 0.7, 0.8, 0.9, 1.0)
"""Playback gain per volume step (the system mixer sets the loudest level)."""
DEFAULT_VOLUME_STEP = 3


def words_per_minute(rate_step: int) -> int:
    return round(BASE_WPM * RATE_STEPS[rate_step])


def _clamp(value: int, steps: Sequence[float]) -> int:
    return max(0, min(len(steps) - 1, int(value)))


class VoiceOut:
    """Speech output for the terminal (see the module doc and README.md)."""

    def __init__(
        self,
        lang: str = "vi",
        variant: str = "north",
        cache_dir: Path | None = None,
        clips_dir: Path | None = None,
        player: Player | None = None,
        rate_step: int = DEFAULT_RATE_STEP,
        volume_step: int = DEFAULT_VOLUME_STEP,
        on_idle: Callable[[], None] | None = None,
        speaker: Speaker | None = None,
    ) -> None:
        if variant not in VARIANT_VOICES:
            raise ValueError(f"unknown voice {variant!r}; expected one of {sorted(VARIANT_VOICES)}")
        self.lang = lang
        self.variant = variant
        self.on_idle = on_idle
        self._speaker = speaker if speaker is not None else Speaker(cache_dir)
        self._own_player = player is None
        self._player: Player = player if player is not None else default_player()
        self._clips = ClipPack(clips_dir) if clips_dir is not None else None
        self._default_rate = _clamp(rate_step, RATE_STEPS)
        self._default_volume = _clamp(volume_step, VOLUME_STEPS)
        self._rate_step = self._default_rate
        self._volume_step = self._default_volume
        self._player.volume = VOLUME_STEPS[self._volume_step]
        self._cond = threading.Condition()
        self._queue: list[tuple[str | None, str]] = []
        self._last: list[tuple[str | None, str]] = []
        self._current: tuple[str | None, str] | None = None
        self._unfinished: list[tuple[str | None, str]] = []
        self._generation = 0
        self._busy = False
        self._paused = False
        self._closed = False
        self._logged: set[str] = set()
        if not self.available:
            self._log_once(self.problem)
        self._worker = threading.Thread(target=self._run, name="voice-out", daemon=True)
        self._worker.start()

    # ------------------------------------------------------------------ state

    @property
    def available(self) -> bool:
        """False when espeak-ng or the audio device is missing (screen-only mode)."""
        return self._speaker.available and self._player.available

    @property
    def problem(self) -> str:
        """Why speech is unavailable, in one sentence (empty when available)."""
        if not self._speaker.available:
            return f"speech is off: {self._speaker.problem}"
        if not self._player.available:
            return f"speech is off: {self._player.problem}"
        return ""

    @property
    def speaking(self) -> bool:
        """True while anything is being synthesised, played or is queued."""
        with self._cond:
            return self._busy or bool(self._queue)

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def rate_step(self) -> int:
        return self._rate_step

    @rate_step.setter
    def rate_step(self, value: int) -> None:
        self._rate_step = _clamp(value, RATE_STEPS)

    @property
    def volume_step(self) -> int:
        return self._volume_step

    @volume_step.setter
    def volume_step(self, value: int) -> None:
        self._volume_step = _clamp(value, VOLUME_STEPS)
        self._player.volume = VOLUME_STEPS[self._volume_step]  # applies to the next 20 ms

    def reset_settings(self) -> None:
        """Default rate and volume again (called at the end of every visit)."""
        self.rate_step = self._default_rate
        self.volume_step = self._default_volume

    # ------------------------------------------------------------------ speaking

    def say(self, text: str, phrase_id: str | None = None) -> None:
        """Speak ``text``, replacing whatever is queued or playing. Returns at once."""
        self.say_all([(phrase_id, text)])

    def say_all(self, items: Sequence[tuple[str | None, str]]) -> None:
        """Speak several (phrase_id, text) items in order, replacing the current queue."""
        items = [(pid, text) for pid, text in items if text and text.strip()]
        with self._cond:
            if self._closed:
                return
            self._generation += 1
            self._queue = list(items)
            self._unfinished = []
            if items:
                self._last = list(items)
            self._paused = False
            self._cond.notify_all()
        self._player.stop()

    def say_phrase(self, phrase_id: str, **params: object) -> None:
        """Speak a phrase of the current language's pack (its spoken text, or its clip)."""
        try:
            text = load_pack(self.lang).spoken(phrase_id, **params)
        except PhraseError as exc:
            self._log_once(f"speech: {exc}")
            return
        self.say(text, phrase_id)

    def stop(self) -> None:
        """Silence now and forget the queue (``repeat`` still has the last prompt; what was
        cut, from the item playing on, stays in ``unfinished``)."""
        with self._cond:
            cut = ([self._current] if self._current is not None else []) + self._queue
            if cut:
                self._unfinished = cut
            self._current = None
            self._generation += 1
            self._queue = []
            self._paused = False
            self._cond.notify_all()
        self._player.stop()

    @property
    def unfinished(self) -> list[tuple[str | None, str]]:
        """What the last ``stop`` cut short: the item that was playing and those after it."""
        with self._cond:
            return list(self._unfinished)

    def pause(self) -> None:
        self._paused = True
        self._player.pause()

    def resume(self) -> None:
        self._paused = False
        self._player.resume()

    def repeat(self) -> None:
        """Speak the last prompt again from its beginning."""
        with self._cond:
            last = list(self._last)
        if last:
            self.say_all(last)

    def change_rate(self, delta: int) -> int:
        """Step the rate up or down and say the new level (or that it is at the end)."""
        before = self.rate_step
        self.rate_step = before + delta
        if self.rate_step == before and delta:
            self.say_phrase("speech_rate_slowest" if delta < 0 else "speech_rate_fastest")
        else:
            self.say_phrase("speech_rate_level", level=self.rate_step + 1, count=len(RATE_STEPS))
        return self.rate_step

    def change_volume(self, delta: int) -> int:
        """Step the volume up or down and say the new level (or that it is at the end)."""
        before = self.volume_step
        self.volume_step = before + delta
        if self.volume_step == before and delta:
            self.say_phrase("speech_volume_softest" if delta < 0 else "speech_volume_loudest")
        else:
            self.say_phrase(
                "speech_volume_level", level=self.volume_step + 1, count=len(VOLUME_STEPS)
            )
        return self.volume_step

    def set_language(self, lang: str) -> None:
        """Speak ``lang`` from now on (stops the current speech)."""
        self.stop()
        self.lang = lang

    def set_variant(self, variant: str) -> None:
        if variant not in VARIANT_VOICES:
            raise ValueError(f"unknown voice {variant!r}; expected one of {sorted(VARIANT_VOICES)}")
        self.variant = variant

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._generation += 1
            self._queue = []
            self._cond.notify_all()
        self._player.stop()
        self._worker.join(timeout=5)
        if self._own_player:
            self._player.close()

    # ------------------------------------------------------------------ worker

    def _log_once(self, message: str) -> None:
        if message and message not in self._logged:
            self._logged.add(message)
            log.warning("%s", message)

    def audio_for(self, text: str, phrase_id: str | None = None) -> Path | None:
        """The WAV this VoiceOut would play for an item (clip or synthesis), or None."""
        if self._clips is not None and phrase_id:
            clip = self._clips.clip_for(self.lang, phrase_id)
            if clip is not None:
                return clip
        if not self._speaker.available:
            return None
        try:
            return self._speaker.synthesize(
                speakable(text, self.lang, self.variant),
                self.lang,
                self.variant,
                RATE_STEPS[self._rate_step],
            )
        except SpeakerError as exc:
            self._log_once(f"speech: {exc}")
            return None

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._closed:
                    self._cond.wait()
                if self._closed:
                    return
                generation = self._generation
                phrase_id, text = self._queue.pop(0)
                self._current = (phrase_id, text)
                self._busy = True
            try:
                self._speak_one(generation, phrase_id, text)
            except Exception as exc:  # a worker must never die: log and carry on
                self._log_once(f"speech: unexpected error: {exc!r}")
            with self._cond:
                self._busy = False
                if generation == self._generation:
                    self._current = None
                idle = not self._queue and generation == self._generation
            if idle and self.on_idle is not None:
                try:
                    self.on_idle()
                except Exception as exc:
                    self._log_once(f"speech: on_idle callback failed: {exc!r}")

    def _speak_one(self, generation: int, phrase_id: str | None, text: str) -> None:
        if not self._player.available:
            self._log_once(self.problem)
            return
        path = self.audio_for(text, phrase_id)  # a clip still plays without espeak-ng
        if path is None and not self._speaker.available:
            self._log_once(self.problem)

        def cancelled() -> bool:
            return generation != self._generation

        while self._paused and not cancelled():  # paused before playback began
            time.sleep(0.01)
        if path is None or cancelled():
            return
        self._player.volume = VOLUME_STEPS[self._volume_step]
        try:
            self._player.play(path, cancelled)
        except PlaybackError as exc:
            self._log_once(f"speech: {exc}")


__all__ = [
    "DEFAULT_RATE_STEP",
    "DEFAULT_VOLUME_STEP",
    "RATE_STEPS",
    "VOLUME_STEPS",
    "NullPlayer",
    "VoiceOut",
    "words_per_minute",
]
