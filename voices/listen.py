"""Voice in: what a resident said, among the choices of the current screen.

The recogniser is vosk's ``KaldiRecognizer`` with a *restricted grammar*: the sentences of the
current choices plus the global commands (see ``command_choices``), expanded from templates by
``voices.grammar``, plus ``[unk]`` when the model has it, so that other speech is rejected
rather than forced onto a choice. What vosk returns is then snapped to the nearest allowed
sentence, and the answer is one of three values (never an exception):

* ``heard``: an intent, the text and a confidence 0..1;
* ``unclear``: speech that is out of the grammar, of low confidence, or equally near two
  intents (``reason`` says which);
* ``silence``: no speech at all.

How the decision is made (``decide``), with every number in ``Thresholds``:

1. The 1-best transcript (``SetWords(True)``: words with their posterior ``conf``) is snapped to
   the nearest allowed sentence; a similarity below ``min_snap`` → unclear (out of grammar).
2. The transcript must be nearer to the best intent than to any other by ``snap_margin``.
3. The N-best list (``SetMaxAlternatives``) is turned into a probability per intent (softmax of
   the alternatives' scores; alternatives that snap to nothing count against every intent).
   The best intent must lead the next one by ``min_margin`` → else unclear (too close).
4. ``confidence = snap similarity × min(mean word conf, intent probability)``; below
   ``min_confidence`` → unclear (low confidence).

Models without ``[unk]`` (the Korean test model) rely on steps 1-4 alone; with ``[unk]``,
unknown words in the transcript also lower the snap similarity. Nothing here assumes a language:
text is compared after Unicode NFC + casefold normalisation.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from voices.audio_in import (
    AudioError,
    AudioSource,
    Endpointer,
    EndpointSettings,
    MicSource,
    Utterance,
    WavSource,
)
from voices.grammar import Grammar, Phrasing, build_grammar, normalize, snap
from voices.models import ModelError, verify_model

if TYPE_CHECKING:  # pragma: no cover
    import vosk

__all__ = [
    "Choice",
    "ListenResult",
    "ModelError",
    "Recognizer",
    "Thresholds",
    "VoiceIn",
    "command_choices",
    "decide",
    "load_model",
]

log = logging.getLogger(__name__)

COMMAND_IDS_EXTRA = ("button_yes", "button_no")
"""Answer ids that are always listened for besides ``command_*``."""


@dataclass(frozen=True, slots=True)
class Choice:
    """Something the resident can say on this screen."""

    intent: str
    """Returned when heard: a phrase id (``button_yes``), a procedure code, an option key."""
    phrases: tuple[str, ...]
    """Templates: words, ``[optional]`` parts, ``(a|b)`` alternatives (``voices.grammar``)."""
    is_command: bool = False
    """A global command (from ``command_choices``; intents ``command_*``, ``button_yes`` and
    ``button_no`` count as commands anyway): when a phrasing is shared with one of the
    screen's own choices, the screen's choice wins."""


@dataclass(frozen=True, slots=True)
class ListenResult:
    """What was heard; failure is a value."""

    result: Literal["heard", "unclear", "silence"]
    intent: str | None
    """The chosen intent (``heard`` only)."""
    text: str
    """What vosk heard (normalised), "" for silence."""
    confidence: float
    """0..1 (see the module docstring); 0 for silence."""
    reason: str = ""
    """For ``unclear``: why, in plain English (for logs and technicians)."""

    def as_json(self) -> dict[str, Any]:
        """The shape printed by ``hotro listen --json``."""
        return {
            "result": self.result,
            "intent": self.intent,
            "text": self.text,
            "confidence": round(self.confidence, 3),
        }


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Every number the listener decides with (defaults tuned on the Korean test model)."""

    min_snap: float = 0.75
    """Transcript-to-sentence similarity (0..1, 1 - normalised edit distance) needed to count
    as that sentence; below it the speech is out of the grammar."""
    snap_margin: float = 0.1
    """The nearest intent must be at least this much nearer than the next intent."""
    min_margin: float = 0.2
    """Probability lead (0..1, from the N-best list) of the best intent over the next one."""
    min_confidence: float = 0.45
    """Lowest confidence accepted as ``heard``."""
    max_alternatives: int = 5
    """Size of the N-best list asked from vosk."""
    score_scale: float = 1.0
    """Multiplier on vosk's alternative scores before the softmax (higher = sharper)."""
    unknown_tokens: tuple[str, ...] = ("[unk]",)
    """Unknown-word tokens to add to the grammar when the model's vocabulary has one."""
    endpoint: EndpointSettings = field(default_factory=EndpointSettings)
    """When speech starts and ends (``voices.audio_in``)."""


_MODELS: dict[Path, Any] = {}
_MODELS_LOCK = threading.Lock()


def load_model(model_dir: Path) -> vosk.Model:
    """Load (once per process) the vosk model in ``model_dir``. Raises ModelError."""
    path = Path(model_dir).expanduser()
    check = verify_model(path)
    if not check.ok:
        raise ModelError(check.sentence())
    key = path.resolve()
    with _MODELS_LOCK:
        if key in _MODELS:
            return _MODELS[key]
        try:
            import vosk
        except (ImportError, OSError) as exc:
            raise ModelError(f"The vosk library cannot be loaded ({exc}).") from None
        vosk.SetLogLevel(-1)
        try:
            model = vosk.Model(str(key))
        except Exception as exc:  # vosk raises a bare Exception
            raise ModelError(f"{path}: vosk cannot load this model ({exc}).") from None
        _MODELS[key] = model
        return model


def command_choices(pack: Any) -> tuple[Choice, ...]:
    """The global commands of a phrase pack: ids ``command_*`` plus ``button_yes``/``button_no``
    that have ``say:`` phrasings, as Choices (sorted by id)."""
    out = []
    for phrase_id in sorted(pack.ids):
        if not (phrase_id.startswith("command_") or phrase_id in COMMAND_IDS_EXTRA):
            continue
        blanks = {name: "" for name in pack.placeholders_of(phrase_id)}
        say = tuple(pack.get(phrase_id, **blanks).say)
        if say:
            out.append(Choice(phrase_id, say, is_command=True))
    return tuple(out)


def is_command(choice: Choice) -> bool:
    """A global command: marked ``is_command``, or named ``command_*``/``button_yes``/
    ``button_no`` (the phrase-pack convention), so callers that build plain Choices from the
    pack get the same priority rule."""
    return (
        choice.is_command
        or choice.intent.startswith("command_")
        or choice.intent in COMMAND_IDS_EXTRA
    )


def _softmax(scores: Sequence[float], scale: float) -> list[float]:
    if not scores:
        return []
    top = max(scores)
    exps = [math.exp((s - top) * scale) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


def decide(
    grammar: Grammar,
    best: dict[str, Any],
    alternatives: dict[str, Any],
    thresholds: Thresholds,
    unknown_tokens: Iterable[str] = ("[unk]",),
) -> ListenResult:
    """Turn vosk's two results for one utterance into a ListenResult (pure; see module doc).

    ``best`` is a ``Result()`` with ``SetWords(True)``; ``alternatives`` one with
    ``SetMaxAlternatives(n)``.
    """
    unknown = tuple(unknown_tokens)
    text = normalize(best.get("text", ""), unknown)
    if not text:
        return ListenResult("unclear", None, "", 0.0, "speech, but no allowed words were heard")
    s = snap(text, grammar)
    if s.intent is None or s.score < thresholds.min_snap:
        return ListenResult(
            "unclear",
            None,
            text,
            s.score,
            f"out of grammar: nearest allowed sentence {s.sentence!r} is only "
            f"{s.score:.2f} similar",
        )
    if s.runner_up is not None and s.score - s.runner_up_score < thresholds.snap_margin:
        return ListenResult(
            "unclear",
            None,
            text,
            s.score,
            f"too close: {s.intent} ({s.score:.2f}) and {s.runner_up} ({s.runner_up_score:.2f})",
        )
    alts = alternatives.get("alternatives") or [{"text": best.get("text", ""), "confidence": 0.0}]
    probs = _softmax([float(a.get("confidence", 0.0)) for a in alts], thresholds.score_scale)
    by_intent: dict[str | None, float] = {}
    for alt, p in zip(alts, probs, strict=True):
        alt_snap = snap(normalize(alt.get("text", ""), unknown), grammar)
        intent = alt_snap.intent if alt_snap.score >= thresholds.min_snap else None
        by_intent[intent] = by_intent.get(intent, 0.0) + p
    p_best = by_intent.get(s.intent, 0.0)
    others = [(p, i) for i, p in by_intent.items() if i is not None and i != s.intent]
    if others:
        p_next, next_intent = max(others, key=lambda x: x[0])
        if p_best - p_next < thresholds.min_margin:
            return ListenResult(
                "unclear",
                None,
                text,
                p_best,
                f"too close: {s.intent} ({p_best:.2f}) and {next_intent} ({p_next:.2f})",
            )
    words = best.get("result") or []
    confs = [float(w.get("conf", 1.0)) for w in words if w.get("word") not in unknown]
    word_conf = sum(confs) / len(confs) if confs else 0.0
    confidence = s.score * min(word_conf, p_best)
    if confidence < thresholds.min_confidence:
        return ListenResult(
            "unclear",
            None,
            text,
            confidence,
            f"low confidence: {s.intent} at {confidence:.2f} "
            f"(words {word_conf:.2f}, N-best {p_best:.2f}, snap {s.score:.2f})",
        )
    return ListenResult("heard", s.intent, s.sentence, confidence)


class Recognizer:
    """A loaded model and the grammar machinery; thread-safe for concurrent ``recognize_*``."""

    def __init__(self, model_dir: Path, thresholds: Thresholds | None = None) -> None:
        self.model_dir = Path(model_dir)
        self.thresholds = thresholds or Thresholds()
        self.model = load_model(self.model_dir)
        self.rate = verify_model(self.model_dir).rate
        self.unknown_token: str | None = next(
            (t for t in self.thresholds.unknown_tokens if self.has_word(t)), None
        )
        self._grammars: dict[tuple[Choice, ...], Grammar] = {}

    @property
    def has_unknown(self) -> bool:
        """True when the model's vocabulary has an unknown-word token such as ``[unk]``."""
        return self.unknown_token is not None

    def has_word(self, word: str) -> bool:
        return int(self.model.vosk_model_find_word(word)) >= 0

    def grammar_for(self, choices: Sequence[Choice]) -> Grammar:
        key = tuple(choices)
        grammar = self._grammars.get(key)
        if grammar is None:
            grammar = build_grammar(
                [Phrasing(c.intent, tuple(c.phrases), -1 if is_command(c) else 0) for c in key]
            )
            if len(self._grammars) > 64:
                self._grammars.clear()
            self._grammars[key] = grammar
        return grammar

    def problems(self, choices: Sequence[Choice]) -> tuple[str, ...]:
        """Phrasings that collide across choices, and words the model does not know."""
        grammar = self.grammar_for(choices)
        out = [f"collision: {c}" for c in grammar.collisions]
        for intent, words in sorted(grammar.missing_words(self.has_word).items()):
            out.append(f"{intent}: not in the model's vocabulary: {', '.join(words)}")
        return tuple(out)

    def decode(self, utterance: Utterance, choices: Sequence[Choice]) -> ListenResult:
        """Run vosk on one end-pointed utterance and decide."""
        import vosk

        grammar = self.grammar_for(choices)
        if not grammar.sentences:
            return ListenResult("unclear", None, "", 0.0, "no choices to listen for")
        phrases = json.dumps(grammar.vosk_phrases(self.unknown_token), ensure_ascii=False)
        words_rec = vosk.KaldiRecognizer(self.model, self.rate, phrases)
        words_rec.SetWords(True)
        alts_rec = vosk.KaldiRecognizer(self.model, self.rate, phrases)
        alts_rec.SetMaxAlternatives(self.thresholds.max_alternatives)
        data = utterance.samples.astype("<i2").tobytes()
        step = self.rate // 5 * 2  # 0.2 s of 16-bit samples
        chunks = [data[i : i + step] for i in range(0, len(data), step)]
        best_parts: list[str] = []
        alt_final: list[str] = []

        def run_alternatives() -> None:  # vosk releases the GIL: both decode at once
            for chunk in chunks:
                alts_rec.AcceptWaveform(chunk)
            alt_final.append(alts_rec.FinalResult())

        worker = threading.Thread(target=run_alternatives, name="hotro-vosk-nbest")
        worker.start()
        try:
            for chunk in chunks:
                if words_rec.AcceptWaveform(chunk):
                    best_parts.append(words_rec.Result())
            best_parts.append(words_rec.FinalResult())
        finally:
            worker.join()
        best = _merge_results([json.loads(p) for p in best_parts])
        alternatives = json.loads(alt_final[0]) if alt_final else {}
        tokens = (self.unknown_token,) if self.unknown_token else ()
        return decide(grammar, best, alternatives, self.thresholds, tokens)

    def listening(self, choices: Sequence[Choice]) -> Listening:
        """A fresh end-pointed listen over ``choices`` (feed it blocks at ``self.rate``)."""
        return Listening(self, tuple(choices))

    def recognize_source(self, source: AudioSource, choices: Sequence[Choice]) -> ListenResult:
        """The first result from a source (a WAV file or the microphone)."""
        listening = self.listening(choices)
        try:
            for block in source.blocks():
                result = listening.feed(block)
                if result is not None:
                    return result
        finally:
            source.close()
        return listening.finish()

    def recognize_wav(self, path: Path, choices: Sequence[Choice]) -> ListenResult:
        """Recognise the first utterance of a WAV file, through the microphone's path
        (resampled to the model's rate, end-pointed). Raises AudioError for unreadable files."""
        source = WavSource(
            Path(path), self.rate, trailing_silence=self.thresholds.endpoint.end_silence_seconds
        )
        return self.recognize_source(source, choices)

    def recognize_samples(
        self, samples: np.ndarray, rate: int, choices: Sequence[Choice]
    ) -> ListenResult:
        """Like ``recognize_wav`` for int16 samples already in memory."""
        from voices.audio_in import resample

        audio = resample(np.asarray(samples, np.int16), rate, self.rate)
        listening = self.listening(choices)
        tail = np.zeros(int(self.thresholds.endpoint.end_silence_seconds * self.rate), np.int16)
        step = int(self.rate * 0.05)
        for block in (audio, tail):
            for i in range(0, block.size, step):
                result = listening.feed(block[i : i + step])
                if result is not None:
                    return result
        return listening.finish()


def _merge_results(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """Join vosk's segment results (an endpoint inside one utterance splits it)."""
    words: list[dict[str, Any]] = []
    texts: list[str] = []
    for part in parts:
        words.extend(part.get("result") or [])
        if part.get("text"):
            texts.append(part["text"])
    return {"text": " ".join(texts), "result": words}


class Listening:
    """One listen in progress: blocks → endpointer → (at the end of speech) vosk → result."""

    def __init__(self, recognizer: Recognizer, choices: tuple[Choice, ...]) -> None:
        self.recognizer = recognizer
        self.choices = choices
        self.endpointer = Endpointer(recognizer.rate, recognizer.thresholds.endpoint)
        self.speech_ended_at: float | None = None
        """``time.perf_counter()`` when the endpointer closed the utterance (for latency)."""

    def reset(self) -> None:
        """Forget everything heard so far (used while the terminal itself is speaking)."""
        self.endpointer.reset()

    def feed(self, block: np.ndarray) -> ListenResult | None:
        utterance = self.endpointer.feed(block)
        if utterance is not None:
            self.speech_ended_at = time.perf_counter()
            return self.recognizer.decode(utterance, self.choices)
        settings = self.recognizer.thresholds.endpoint
        if (
            not self.endpointer.heard_speech
            and not self.endpointer.in_speech
            and self.endpointer.seconds_seen >= settings.no_speech_seconds
        ):
            return ListenResult("silence", None, "", 0.0, "no speech")
        return None

    def finish(self) -> ListenResult:
        """End of input."""
        utterance = self.endpointer.flush()
        if utterance is not None:
            self.speech_ended_at = time.perf_counter()
            return self.recognizer.decode(utterance, self.choices)
        return ListenResult("silence", None, "", 0.0, "no speech")


class VoiceIn:
    """The microphone, listened to on a background thread.

    ``listen(choices, on_result)`` arms one listen: the next result (heard, unclear, or silence
    after ``EndpointSettings.no_speech_seconds``) is passed to ``on_result`` from the worker
    thread, then the listener idles until ``listen`` is called again. Audio captured while
    ``is_speaking()`` is true, and for ``speaking_tail`` seconds after, is discarded, so the
    terminal never hears its own voice as an answer.

    Never raises for a missing model or microphone: ``available`` is False and ``problem`` holds
    one clear sentence.
    """

    def __init__(
        self,
        model_dir: Path | None,
        is_speaking: Callable[[], bool],
        device: int | str | None = None,
        thresholds: Thresholds | None = None,
        source: Callable[[int], AudioSource] | None = None,
        speaking_tail: float = 0.4,
    ) -> None:
        self.is_speaking = is_speaking
        self.device = device
        self.speaking_tail = speaking_tail
        self.problem = ""
        self.recognizer: Recognizer | None = None
        self._source_factory = source
        self._source: AudioSource | None = None
        self._lock = threading.Lock()
        self._listening: Listening | None = None
        self._on_result: Callable[[ListenResult], None] | None = None
        self._thread: threading.Thread | None = None
        self._closed = False
        self.discarded_blocks = 0
        """Blocks thrown away because the terminal was speaking (for tests and logs)."""
        if model_dir is None or str(model_dir) == "":
            self.problem = "Voice input is off: no voice model is installed."
            return
        try:
            self.recognizer = Recognizer(Path(model_dir), thresholds)
        except ModelError as exc:
            self.problem = f"Voice input is off: {exc}"
            return
        if source is None:
            problem = MicSource.check(device)
            if problem:
                self.problem = problem

    @property
    def available(self) -> bool:
        return self.recognizer is not None and not self.problem and not self._closed

    def listen(self, choices: Sequence[Choice], on_result: Callable[[ListenResult], None]) -> None:
        """Listen for ``choices``; replaces a listen in progress. No-op when unavailable."""
        if not self.available:
            return
        assert self.recognizer is not None
        with self._lock:
            self._listening = self.recognizer.listening(choices)
            self._on_result = on_result
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="hotro-voice-in", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Stop listening (the microphone stays open for the next ``listen``)."""
        with self._lock:
            self._listening = None
            self._on_result = None

    def close(self) -> None:
        """Stop and release the microphone."""
        self.stop()
        self._closed = True
        source = self._source
        if source is not None:
            source.close()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=2.0)

    def _deliver(self, listening: Listening, result: ListenResult) -> None:
        with self._lock:
            if self._listening is not listening:
                return  # replaced or stopped meanwhile
            callback = self._on_result
            self._listening = None
            self._on_result = None
        if callback is not None:
            try:
                callback(result)
            except Exception:  # a broken callback must not kill the microphone thread
                log.exception("voice-in result callback failed")

    def _run(self) -> None:
        assert self.recognizer is not None
        rate = self.recognizer.rate
        factory = self._source_factory or (lambda r: MicSource(r, self.device))
        gate_until = 0.0
        try:
            self._source = factory(rate)
            for block in self._source.blocks():
                if self._closed:
                    break
                with self._lock:
                    listening = self._listening
                if listening is None:
                    continue
                now = time.monotonic()
                if self.is_speaking():
                    gate_until = now + self.speaking_tail
                    listening.reset()
                    self.discarded_blocks += 1
                    continue
                if now < gate_until:
                    listening.reset()
                    self.discarded_blocks += 1
                    continue
                result = listening.feed(block)
                if result is not None:
                    self._deliver(listening, result)
            with self._lock:
                listening = self._listening
            if listening is not None and not self._closed:
                self._deliver(listening, listening.finish())
        except AudioError as exc:
            self.problem = str(exc)
            log.warning("%s", exc)
        except Exception as exc:  # never let the thread die silently
            self.problem = f"Voice input stopped: {exc}"
            log.exception("voice-in thread failed")
