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

How the decision is made (``decide``), with every number in ``Thresholds``. The rule was chosen
on the development split of ``voices.evalsets`` (``bench/listen.py``), never on the held-out one:

0. Noise is not speech: the end-pointed audio reaches vosk only when the Silero voice-activity
   model finds voice in it (``voices.audio_in.SpeechGate``); otherwise the listener keeps
   listening, and says "silence" after ``no_speech_seconds``.
1. The grammar has a *garbage path*: besides the choices, vosk may hear ``decoys_far`` words of
   the model's own vocabulary that sound nothing like the choices and ``decoys_near`` words per
   choice word that sound close to it (``choose_decoys``; similarity of the decomposed, NFD,
   spellings, so it works for any script). A choice is only taken when it beats them: with the
   Korean model, which has no ``[unk]``, plain grammars forced noise and other speech onto a
   choice (dev: 15 of 54 noise clips, 10 of 63 other sentences).
2. The 1-best transcript (``SetWords(True)``) must hold no decoy word, and snap to an allowed
   sentence with similarity ≥ ``min_snap``, nearer to it than to any other intent by
   ``snap_margin``.
3. The N-best list (``SetMaxAlternatives``) becomes a probability per intent (softmax of the
   alternatives' scores × ``score_scale``); alternatives with a decoy or out of the grammar are
   the garbage share. The best intent must lead both the next intent and the garbage share by
   ``min_margin``.
4. Every word's confidence must be ≥ ``min_word_conf``, and ``confidence = snap similarity ×
   min(mean word conf, intent probability)`` ≥ ``min_confidence``.

Models with ``[unk]`` also get it in the grammar. Nothing here assumes a language: text is
compared after Unicode NFC + casefold normalisation; decoys come from the model's vocabulary.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
import unicodedata
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from rapidfuzz.distance import Indel
from rapidfuzz.process import cdist

from voices.audio_in import (
    AudioError,
    AudioSource,
    Endpointer,
    EndpointSettings,
    MicSource,
    SpeechGate,
    Utterance,
    WavSource,
)
from voices.grammar import Grammar, Phrasing, build_grammar, normalize, snap
from voices.models import ModelError, model_vocabulary, verify_model

if TYPE_CHECKING:  # pragma: no cover
    import vosk

__all__ = [
    "Choice",
    "ListenResult",
    "ModelError",
    "Recognizer",
    "Thresholds",
    "VoiceIn",
    "choose_decoys",
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
    """Every number the listener decides with (chosen on the development split; see the module
    docstring and README "Voice input")."""

    min_snap: float = 0.75
    """Transcript-to-sentence similarity (0..1, 1 - normalised edit distance) needed to count
    as that sentence; below it the speech is out of the grammar."""
    snap_margin: float = 0.1
    """The nearest intent must be at least this much nearer than the next intent."""
    min_margin: float = 0.4
    """Probability lead (0..1, from the N-best list) of the best intent over both the next
    intent and the garbage share. Dev: 0.2 let 13 of 166 clean 6-way/screen answers through
    wrong; 0.4 cut that to 5 while keeping yes/no answers."""
    min_word_conf: float = 0.5
    """Lowest per-word confidence (vosk's MBR posterior) in the 1-best. On dev, with the
    garbage path in place, wrong answers had word confidences up to 1.0: this threshold alone
    separates nothing; higher values only cost right yes/no answers."""
    min_confidence: float = 0.45
    """Lowest confidence accepted as ``heard``."""
    max_alternatives: int = 10
    """Size of the N-best list asked from vosk."""
    score_scale: float = 0.25
    """Multiplier on vosk's alternative scores (log-likelihoods) before the softmax."""
    decoys_far: int = 60
    """Garbage path: vocabulary words unlike any choice word (dev: 20 let noise through onto
    choices, 150 absorbed too many right answers)."""
    decoys_near: int = 3
    """Garbage path: vocabulary words close to each choice word (NFD similarity in
    ``near_band``), so that a choice is only taken when it beats its sound-alikes."""
    near_band: tuple[float, float] = (0.5, 0.85)
    """Similarity range (0..1, NFD spellings) of the near decoys to a choice word."""
    unknown_tokens: tuple[str, ...] = ("[unk]",)
    """Unknown-word tokens to add to the grammar when the model's vocabulary has one."""
    endpoint: EndpointSettings = field(default_factory=EndpointSettings)
    """When speech starts and ends, and the voice-activity gate (``voices.audio_in``)."""


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


def _script(ch: str) -> str:
    """The Unicode script-like prefix of a character's name ("HANGUL", "LATIN", ...)."""
    return unicodedata.name(ch, "?").split(" ")[0]


def choose_decoys(
    vocabulary: Sequence[str], words: Iterable[str], thresholds: Thresholds
) -> tuple[str, ...]:
    """Decoy words for the garbage path of a grammar whose words are ``words``.

    From the model's vocabulary, in a fixed pseudo-random order (CRC32 of the word), keep only
    words written in the choices' script and about as long as them: ``decoys_far`` words whose
    similarity to every choice word is below the near band, then ``decoys_near`` per choice
    word inside the band (most similar first). Similarity is measured on NFD spellings, so
    Hangul syllables compare by their letters and Vietnamese by base letters and tone marks.
    """
    own = sorted({w for w in words if w})
    if not own or not vocabulary:
        return ()
    scripts = {_script(ch) for w in own for ch in w}
    shortest, longest = min(len(w) for w in own), max(len(w) for w in own)
    taken = set(own)
    candidates = [
        w
        for w in vocabulary
        if w not in taken
        and shortest - 1 <= len(w) <= longest + 1
        and all(_script(ch) in scripts for ch in w)
    ]
    candidates.sort(key=lambda w: zlib.crc32(w.encode("utf-8")))
    if not candidates:
        return ()
    decomposed = [unicodedata.normalize("NFD", w) for w in own]
    sims = cdist(
        [unicodedata.normalize("NFD", w) for w in candidates],
        decomposed,
        scorer=Indel.normalized_similarity,
        workers=1,
    )
    low, high = thresholds.near_band
    best = sims.max(axis=1)
    far = [
        w
        for w, b in zip(candidates, best, strict=True)
        if b < low and shortest <= len(w) <= longest
    ][: thresholds.decoys_far]
    out = list(far)
    for j in range(len(own)):
        column = sims[:, j]
        near = [
            (-float(column[i]), candidates[i])
            for i in np.flatnonzero((column >= low) & (column < high) & (column >= best))
        ]
        out += [w for _, w in sorted(near)[: thresholds.decoys_near]]
    return tuple(dict.fromkeys(out))


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
    decoys: Iterable[str] = (),
) -> ListenResult:
    """Turn vosk's two results for one utterance into a ListenResult (pure; see module doc).

    ``best`` is a ``Result()`` with ``SetWords(True)``; ``alternatives`` one with
    ``SetMaxAlternatives(n)``; ``decoys`` the garbage-path words that were in the grammar.
    """
    unknown = tuple(unknown_tokens)
    garbage = frozenset(decoys)
    heard_words = best.get("text", "").split()
    text = normalize(best.get("text", ""), unknown)
    if not text:
        return ListenResult("unclear", None, "", 0.0, "speech, but no allowed words were heard")
    caught = [w for w in heard_words if w in garbage]
    if caught:
        return ListenResult("unclear", None, text, 0.0, f"garbage path: heard {' '.join(caught)!r}")
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
        alt_text = alt.get("text", "")
        intent = None
        if not any(w in garbage for w in alt_text.split()):
            alt_snap = snap(normalize(alt_text, unknown), grammar)
            intent = alt_snap.intent if alt_snap.score >= thresholds.min_snap else None
        by_intent[intent] = by_intent.get(intent, 0.0) + p
    p_best = by_intent.get(s.intent, 0.0)
    rivals = [(p, i or "garbage") for i, p in by_intent.items() if i != s.intent]
    if rivals:
        p_next, next_intent = max(rivals, key=lambda x: x[0])
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
    if confs and min(confs) < thresholds.min_word_conf:
        return ListenResult(
            "unclear",
            None,
            text,
            min(confs),
            f"low confidence: a word of {s.intent} at {min(confs):.2f}",
        )
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
        self._grammars: dict[tuple[Choice, ...], tuple[Grammar, tuple[str, ...]]] = {}
        self.vocabulary = _vocabulary(self.model_dir)
        """The model's words (for the decoys); () when it cannot be read."""
        try:
            self.gate: SpeechGate | None = SpeechGate(self.thresholds.endpoint.vad_threshold)
        except AudioError as exc:
            log.warning("%s Noise is then only kept out by the garbage path.", exc)
            self.gate = None

    @property
    def has_unknown(self) -> bool:
        """True when the model's vocabulary has an unknown-word token such as ``[unk]``."""
        return self.unknown_token is not None

    def has_word(self, word: str) -> bool:
        return int(self.model.vosk_model_find_word(word)) >= 0

    def grammar_for(self, choices: Sequence[Choice]) -> Grammar:
        return self._grammar_and_decoys(choices)[0]

    def decoys_for(self, choices: Sequence[Choice]) -> tuple[str, ...]:
        """The garbage-path words listened for besides ``choices`` (``choose_decoys``)."""
        return self._grammar_and_decoys(choices)[1]

    def _grammar_and_decoys(self, choices: Sequence[Choice]) -> tuple[Grammar, tuple[str, ...]]:
        key = tuple(choices)
        found = self._grammars.get(key)
        if found is None:
            grammar = build_grammar(
                [Phrasing(c.intent, tuple(c.phrases), -1 if is_command(c) else 0) for c in key]
            )
            words = [w for w in grammar.words if self.has_word(w)]
            found = (grammar, choose_decoys(self.vocabulary, words, self.thresholds))
            if len(self._grammars) > 64:
                self._grammars.clear()
            self._grammars[key] = found
        return found

    def is_voiced(self, utterance: Utterance) -> bool:
        """True when the voice-activity gate finds enough voice in ``utterance`` (always True
        when the gate could not be loaded)."""
        if self.gate is None:
            return True
        voiced = self.gate.voiced_seconds(utterance.samples, utterance.rate)
        return voiced >= self.thresholds.endpoint.min_voiced_seconds

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

        grammar, decoys = self._grammar_and_decoys(choices)
        if not grammar.sentences:
            return ListenResult("unclear", None, "", 0.0, "no choices to listen for")
        phrases = json.dumps(
            grammar.vosk_phrases(self.unknown_token) + list(decoys), ensure_ascii=False
        )
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
        return decide(grammar, best, alternatives, self.thresholds, tokens, decoys)

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


_VOCABULARIES: dict[Path, tuple[str, ...]] = {}


def _vocabulary(model_dir: Path) -> tuple[str, ...]:
    key = Path(model_dir).expanduser().resolve()
    with _MODELS_LOCK:
        if key not in _VOCABULARIES:
            _VOCABULARIES[key] = model_vocabulary(key)
        return _VOCABULARIES[key]


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
        self.noise_dropped = 0
        """Loud stretches the voice-activity gate kept from the recogniser."""

    def reset(self) -> None:
        """Forget everything heard so far (used while the terminal itself is speaking)."""
        self.endpointer.reset()

    def feed(self, block: np.ndarray) -> ListenResult | None:
        utterance = self.endpointer.feed(block)
        if utterance is not None:
            self.speech_ended_at = time.perf_counter()
            if self.recognizer.is_voiced(utterance):
                return self.recognizer.decode(utterance, self.choices)
            self.noise_dropped += 1  # loud, but not a voice: keep listening
        settings = self.recognizer.thresholds.endpoint
        if (
            not self.endpointer.in_speech
            and self.endpointer.seconds_seen >= settings.no_speech_seconds
        ):
            return ListenResult("silence", None, "", 0.0, "no speech")
        return None

    def finish(self) -> ListenResult:
        """End of input."""
        utterance = self.endpointer.flush()
        if utterance is not None:
            self.speech_ended_at = time.perf_counter()
            if self.recognizer.is_voiced(utterance):
                return self.recognizer.decode(utterance, self.choices)
            self.noise_dropped += 1
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
        # build the grammar and its decoys (≈ 1-2 s for a new screen) off the caller's thread,
        # while the resident is still thinking
        warm = threading.Thread(
            target=self.recognizer.decoys_for, args=(tuple(choices),), daemon=True
        )
        warm.start()
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
