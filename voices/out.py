"""VoiceOut: the terminal's voice. Never blocks the caller; a new prompt replaces the old one.

One worker thread per VoiceOut takes a prompt (a list of (phrase_id, text) items), plans it as
clips (``voices.compose``: phrase clips, catalogue-text clips, number pieces, synthesis for the
rest), and plays it as **one stream**: a preparation thread makes each segment ready (a recorded
clip conformed to the speech rate with SoX ``tempo``, a cached synthesis, a silence) a few
segments ahead of playback, and the player queues each one right behind the one playing, so
clips follow each other with no gap. ``say``/``say_all`` replace the prompt and stop what is
playing; ``stop`` silences within one audio buffer (about 25 ms, see ``voices.player``).
Synthesis runs off the caller's thread, so a call from the Kivy UI thread returns at once.

Recorded clips come from the shelf of packs in ``clips_dir`` (``voices.clips``): the pack named
by ``set_voice`` (a dialect or another language a resident chose), else the pack whose id is the
language. A pack with ``tts`` false speaks only its clips.

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
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from voices import clipaudio
from voices.clips import ClipPack, open_packs
from voices.compose import (
    ITEM_PAUSE,
    CatalogueSection,
    Composer,
    PlayClip,
    Segment,
    Silence,
    Synth,
    realise,
)
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
        catalogue: Sequence[CatalogueSection | tuple[str, str, tuple[str, ...]]] = (),
    ) -> None:
        if variant not in VARIANT_VOICES:
            raise ValueError(f"unknown voice {variant!r}; expected one of {sorted(VARIANT_VOICES)}")
        self.lang = lang
        self.variant = variant
        self.on_idle = on_idle
        self._speaker = speaker if speaker is not None else Speaker(cache_dir)
        self._own_player = player is None
        self._player: Player = player if player is not None else default_player()
        self._cache_dir = self._speaker.cache_dir
        self._clips_dir = clips_dir
        self.packs: dict[str, ClipPack] = open_packs(clips_dir) if clips_dir is not None else {}
        """The shelf of recorded clip packs, by id."""
        self.voice = ""
        """The pack a resident chose ("" = the pack of the language, if any)."""
        self._catalogue = tuple(catalogue)
        self._composers: dict[tuple[str, str], Composer] = {}
        self._prep = ThreadPoolExecutor(max_workers=1, thread_name_prefix="voice-prep")
        self._default_rate = _clamp(rate_step, RATE_STEPS)
        self._default_volume = _clamp(volume_step, VOLUME_STEPS)
        self._rate_step = self._default_rate
        self._volume_step = self._default_volume
        self._player.volume = VOLUME_STEPS[self._volume_step]
        self._cond = threading.Condition()
        self._queue: list[tuple[str | None, str]] = []
        self._last: list[tuple[str | None, str]] = []
        self._current: int | None = None
        """Index in ``_playing`` of the item being played (a segment of it is sounding)."""
        self._playing: list[tuple[str | None, str]] = []
        """The items of the prompt being played, in order."""
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
        self._player.volume = VOLUME_STEPS[self._volume_step]  # heard within a device buffer

    def reset_settings(self) -> None:
        """Default rate, volume and voice again (called at the end of every visit)."""
        self.rate_step = self._default_rate
        self.volume_step = self._default_volume
        self.voice = ""

    def reload_packs(self) -> None:
        """Read the shelf again (after packs were imported or pulled from the hub)."""
        if self._clips_dir is not None:
            self.packs = open_packs(self._clips_dir)

    @property
    def pack(self) -> ClipPack | None:
        """The clip pack in use: the chosen one, else the language's own (same language)."""
        pack = self.packs.get(self.voice) if self.voice else None
        if pack is None:
            pack = self.packs.get(self.lang)
        return pack if pack is not None and pack.lang == self.lang else None

    @property
    def speech_variant(self) -> str:
        """The accent of synthesis and of the reading rules: a chosen pack's, else the
        configured one."""
        pack = self.pack
        if self.voice and pack is not None and pack.id == self.voice:
            return pack.info.variant
        return self.variant

    def composer(self, lang: str | None = None, variant: str | None = None) -> Composer:
        """The clip planner for a language and accent (made once, with the catalogue texts)."""
        key = (lang or self.lang, variant or self.speech_variant)
        if key not in self._composers:
            self._composers[key] = Composer(load_pack(key[0]), key[1], self._catalogue)
        return self._composers[key]

    def segments(self, items: Sequence[tuple[str | None, str]]) -> tuple[Segment, ...]:
        """What a prompt plays with the current pack: clips, synthesised stretches, silences."""
        pack = self.pack
        has = pack.has if pack is not None else (lambda clip_id, text: False)
        try:
            composer = self.composer()
        except PhraseError as exc:
            self._log_once(f"speech: {exc}")
            return tuple(Synth(speakable(t, self.lang, self.variant)) for _, t in items)
        tts = self._speaker.available and (pack is None or pack.info.tts)
        return realise(composer.plan_items(items), has, tts)

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
            cut = self._queue
            if self._current is not None:
                cut = self._playing[self._current :] + cut
            if cut:
                self._unfinished = cut
            self._current = None
            self._playing = []
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

    def set_voice(self, voice: str) -> None:
        """Speak with pack ``voice`` from now on ("" = the language's own pack)."""
        if voice != self.voice:
            self.stop()
            self.voice = voice

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
        self._prep.shutdown(wait=False, cancel_futures=True)
        if self._own_player:
            self._player.close()

    # ------------------------------------------------------------------ worker

    def _log_once(self, message: str) -> None:
        if message and message not in self._logged:
            self._logged.add(message)
            log.warning("%s", message)

    def prepare(self, segment: Segment) -> Path | None:
        """The WAV for one segment at the current rate (None: nothing to play for it)."""
        rate = RATE_STEPS[self._rate_step]
        if isinstance(segment, Silence):
            return clipaudio.silence(self._cache_dir / "clips", segment.seconds / rate)
        if isinstance(segment, PlayClip):
            pack = self.pack
            if pack is None:
                return None
            try:
                return clipaudio.conform(pack.path(segment.id), self._cache_dir / "clips", rate)
            except (OSError, RuntimeError, EOFError, ValueError) as exc:
                self._log_once(f"speech: clip {segment.id} cannot be prepared: {exc}")
                return None
        if not self._speaker.available:
            return None
        try:
            return self._speaker.synthesize(segment.text, self.lang, self.speech_variant, rate)
        except SpeakerError as exc:
            self._log_once(f"speech: {exc}")
            return None

    def audio_for(self, text: str, phrase_id: str | None = None) -> Path | None:
        """The WAV this VoiceOut plays for one item that is a single clip or a single
        synthesised stretch (None otherwise, or when there is nothing to play)."""
        segments = self.segments([(phrase_id, text)])
        return self.prepare(segments[0]) if len(segments) == 1 else None

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._closed:
                    self._cond.wait()
                if self._closed:
                    return
                generation = self._generation
                items, self._queue = self._queue, []
                self._playing = items
                self._current = 0 if items else None
                self._busy = True
            try:
                self._speak(generation, items)
            except Exception as exc:  # a worker must never die: log and carry on
                self._log_once(f"speech: unexpected error: {exc!r}")
            with self._cond:
                self._busy = False
                if generation == self._generation:
                    self._current = None
                    self._playing = []
                idle = not self._queue and generation == self._generation
            if idle and self.on_idle is not None:
                try:
                    self.on_idle()
                except Exception as exc:
                    self._log_once(f"speech: on_idle callback failed: {exc!r}")

    def _tagged_segments(
        self, items: Sequence[tuple[str | None, str]]
    ) -> list[tuple[int, Segment]]:
        """``segments(items)``, each with the index of the item it speaks (so that ``stop`` knows
        where a prompt was cut). Items are planned apart, as ``plan_items`` does: a hard pause
        between them, a silence only after a clip."""
        tagged: list[tuple[int, Segment]] = []
        for index, item in enumerate(items):
            segments = self.segments([item])
            if segments and tagged and isinstance(tagged[-1][1], PlayClip):
                tagged.append((index, Silence(ITEM_PAUSE)))
            tagged += [(index, segment) for segment in segments]
        return tagged

    def _speak(self, generation: int, items: list[tuple[str | None, str]]) -> None:
        if not self._player.available:
            self._log_once(self.problem)
            return
        if not self._speaker.available:  # clips still play without espeak-ng
            self._log_once(self.problem)

        def cancelled() -> bool:
            return generation != self._generation

        def started(index: int) -> None:
            with self._cond:
                if not cancelled():
                    self._current = index

        ahead = _Ahead(self._tagged_segments(items), self.prepare, self._prep, cancelled)
        while self._paused and not cancelled():  # paused before playback began
            time.sleep(0.01)
        if cancelled():
            return
        self._player.volume = VOLUME_STEPS[self._volume_step]
        try:
            if hasattr(self._player, "play_sequence"):
                # the item being played is the one whose segment sounds, not the one queued
                self._player.play_sequence(
                    ahead, cancelled, on_part=lambda n: started(ahead.items[n])
                )
                return
            for path in ahead:  # a player of single files: one after the other
                if path is None:
                    time.sleep(0.002)
                    continue
                started(ahead.items[-1])
                if cancelled() or not self._player.play(path, cancelled):
                    return
        except PlaybackError as exc:
            self._log_once(f"speech: {exc}")


class _Ahead(Iterator[Path | None]):
    """Segments made ready in order, up to ``AHEAD`` of playback, on the preparation thread.
    Yields a WAV path, or None while the next one is not ready yet."""

    AHEAD = 4

    def __init__(
        self,
        segments: Sequence[tuple[int, Segment]],
        prepare: Callable[[Segment], Path | None],
        pool: ThreadPoolExecutor,
        cancelled: Callable[[], bool],
    ) -> None:
        """``segments``: (item index, segment)."""
        self._todo = deque(segments)
        self._prepare = prepare
        self._pool = pool
        self._cancelled = cancelled
        self.items: list[int] = []
        """The item index of each WAV yielded so far, in order."""
        self._futures: deque[tuple[int, Future[Path | None]]] = deque()
        self._fill()

    def _job(self, segment: Segment) -> Path | None:
        return None if self._cancelled() else self._prepare(segment)

    def _fill(self) -> None:
        while self._todo and len(self._futures) < self.AHEAD:
            try:
                index, segment = self._todo.popleft()
                self._futures.append((index, self._pool.submit(self._job, segment)))
            except RuntimeError:  # the pool is shut down: the voice is closing
                self._todo.clear()

    def __next__(self) -> Path | None:
        while self._futures:
            index, future = self._futures[0]
            if not future.done():
                return None
            self._futures.popleft()
            path = future.result()
            self._fill()
            if path is not None:
                self.items.append(index)
                return path
        raise StopIteration


__all__ = [
    "DEFAULT_RATE_STEP",
    "DEFAULT_VOLUME_STEP",
    "RATE_STEPS",
    "VOLUME_STEPS",
    "NullPlayer",
    "VoiceOut",
    "words_per_minute",
]
