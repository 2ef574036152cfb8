"""Phrasings → vosk grammar, and the matcher that snaps a transcript to an allowed sentence.

A choice is an intent with phrasings written once as sentence templates in hassil's syntax
(the template library of Home Assistant's voice assistant):

* ``[làm] giấy khai sinh`` — an optional word or words;
* ``(một|số một)`` — alternatives; both may nest: ``[(cho|của) cháu]``.

``build_grammar`` expands every template into the plain sentences it accepts (hassil's
``sample_expression``), normalises them, and keeps which intent each sentence belongs to.
The same sentences are handed to vosk (``Grammar.vosk_phrases``) and used by ``snap`` to map
what vosk heard back to an intent, so the recogniser and the matcher can never drift apart.

Normalisation is Unicode-generic (NFC, casefold, punctuation and symbols removed, whitespace
collapsed); nothing here knows which language it is handling.

A phrasing that expands to the same sentence in two different choices is a *collision*: the
grammar still builds (the sentence is dropped from both choices, since it could never pick one)
and the collision is reported in ``Grammar.collisions``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz.distance import Indel

UNKNOWN_MARK = "\ufffd"
"""What an unknown-word token (``[unk]``) becomes in a normalised transcript: one character that
matches nothing, so a transcript full of unknown words snaps to nothing."""

MAX_SENTENCES_PER_TEMPLATE = 256
"""A template that expands to more sentences than this is refused (it would bloat the grammar)."""


SOUND_ALIKE = 0.75
"""Two spellings this similar (NFD, 1 - normalised indel distance) are easily taken for each
other by a recogniser: the default of ``voices.listen.Thresholds.sound_alike``, and what keeps
a courtesy word out of a grammar (``Courtesy.safe_for``)."""


class GrammarError(ValueError):
    """A phrasing cannot be parsed or expanded; the message names the intent and the phrasing."""


@dataclass(frozen=True, slots=True)
class Phrasing:
    """What may be said for one intent (the input of ``build_grammar``)."""

    intent: str
    """The id returned when one of the phrasings is heard (e.g. ``button_yes``)."""
    templates: tuple[str, ...]
    """Sentence templates: ``[optional]`` words and ``(a|b)`` alternatives."""
    priority: int = 0
    """When a sentence belongs to several intents, a single owner with the highest priority
    keeps it (a screen's own choices have 0, global commands -1)."""


@dataclass(frozen=True, slots=True)
class Collision:
    """The same sentence is allowed by two or more intents."""

    sentence: str
    """The normalised sentence."""
    intents: tuple[str, ...]
    """Every intent whose phrasings expand to it (sorted)."""
    winner: str | None = None
    """The intent that keeps the sentence (higher priority), or None when it is dropped."""

    def __str__(self) -> str:
        text = f"{self.sentence!r} is a phrasing of {', '.join(self.intents)}"
        return text + (f"; {self.winner} keeps it" if self.winner else "; dropped from all")


@dataclass(frozen=True, slots=True)
class Courtesy:
    """Polite words a person may say around any answer, which change nothing in it: Vietnamese
    residents answer a kiosk as they answer an official, "dạ, có rồi ạ", "dạ, số hai ạ". They
    come from the language's phrase pack (``speech_courtesy_before``/``_after``), so nothing here
    knows the language. The recogniser may hear them before and after every sentence
    (``Grammar.vosk_phrases``), and ``snap`` compares a transcript with them set aside too.

    A word that is an answer on its own ("vâng", yes) must not be one: a recogniser that drops
    the answer after it ("vâng, chưa có") would leave a different answer."""

    before: tuple[str, ...] = ()
    """Said before the answer ("dạ"), normalised; a phrase of several words is one."""
    after: tuple[str, ...] = ()
    """Said after it ("ạ")."""

    @classmethod
    def of(cls, before: Iterable[str] = (), after: Iterable[str] = ()) -> Courtesy:
        """From phrasings as written (normalised here; empty ones dropped)."""

        def clean(texts: Iterable[str]) -> tuple[str, ...]:
            return tuple(dict.fromkeys(t for t in (normalize(x) for x in texts) if t))

        return cls(clean(before), clean(after))

    def __bool__(self) -> bool:
        return bool(self.before or self.after)

    @property
    def words(self) -> frozenset[str]:
        return frozenset(w for phrase in (*self.before, *self.after) for w in phrase.split())

    def around(self, sentence: str) -> tuple[str, ...]:
        """``sentence`` with and without each courtesy phrase before and after it."""
        return tuple(
            " ".join(p for p in (b, sentence, a) if p)
            for b in ("", *self.before)
            for a in ("", *self.after)
        )

    def safe_for(self, sentences: Iterable[str], alike: float = SOUND_ALIKE) -> Courtesy:
        """Only the courtesy phrases that cannot turn one answer into another on a screen with
        these ``sentences``: a phrase that is a sentence itself ("vâng") is left out, and so is
        one with a word spelled almost like a word of a sentence (one letter or mark apart, or
        NFD similarity ≥ ``alike``): "thưa" beside "chưa" would let the decoder hear "chưa có"
        (not yet) as "thưa, có" (have)."""
        own = set(sentences)
        polite = {unicodedata.normalize("NFD", w) for w in self.words}
        words = {unicodedata.normalize("NFD", w) for s in own for w in s.split()} - polite

        def unsafe(phrase: str) -> bool:
            if phrase in own:
                return True
            for word in phrase.split():
                mine = unicodedata.normalize("NFD", word)
                for other in words:
                    if (
                        Indel.distance(mine, other) <= 1
                        or Indel.normalized_similarity(mine, other) >= alike
                    ):
                        return True
            return False

        return Courtesy(
            tuple(p for p in self.before if not unsafe(p)),
            tuple(p for p in self.after if not unsafe(p)),
        )

    def core(self, text: str) -> str:
        """``text`` (normalised) without the courtesy phrases at its start and end; ``text``
        itself when nothing else would be left."""
        words = text.split()
        start, end = 0, len(words)
        for phrases, at_start in ((self.before, True), (self.after, False)):
            for phrase in sorted(phrases, key=lambda x: -len(x.split())):
                n = len(phrase.split())
                part = words[start : start + n] if at_start else words[max(start, end - n) : end]
                if n < end - start and " ".join(part) == phrase:
                    start, end = (start + n, end) if at_start else (start, end - n)
                    break
        return " ".join(words[start:end])


@dataclass(frozen=True, slots=True)
class Grammar:
    """The sentences allowed on one screen, each with its intent."""

    sentences: tuple[tuple[str, str], ...]
    """(normalised sentence, intent) pairs, sorted; a collided sentence only with its winner."""
    collisions: tuple[Collision, ...] = ()
    """Sentences that belonged to more than one intent."""
    intents: tuple[str, ...] = field(default=())
    """Every intent that has at least one sentence left, in the order given."""
    courtesy: Courtesy = field(default_factory=Courtesy)
    """Polite words the recogniser may hear around every sentence (not sentences themselves:
    ``sentences``, and every check made on them, stay without them)."""

    @property
    def words(self) -> frozenset[str]:
        """Every word of every allowed sentence, and the courtesy words."""
        return frozenset(w for s, _ in self.sentences for w in s.split()) | self.courtesy.words

    def vosk_phrases(self, unknown_token: str | None = None) -> list[str]:
        """The list to give ``KaldiRecognizer`` (JSON-encode it): every sentence, with and
        without the courtesy words around it, and ``unknown_token`` (``"[unk]"``) appended when
        the model has one."""
        phrases = sorted({v for s, _ in self.sentences for v in self.courtesy.around(s)})
        if unknown_token:
            phrases.append(unknown_token)
        return phrases

    def missing_words(self, has_word: Callable[[str], bool]) -> dict[str, tuple[str, ...]]:
        """Intent → its words that the model's vocabulary lacks (vosk silently drops them,
        so such a phrasing can never be heard as written)."""
        out: dict[str, set[str]] = {}
        for sentence, intent in self.sentences:
            for word in sentence.split():
                if not has_word(word):
                    out.setdefault(intent, set()).add(word)
        for word in self.courtesy.words:
            if not has_word(word):
                out.setdefault("(courtesy words)", set()).add(word)
        return {intent: tuple(sorted(words)) for intent, words in out.items()}


def normalize(text: str, unknown_tokens: Iterable[str] = ("[unk]",)) -> str:
    """Unicode-generic normal form for matching: NFC, casefolded, punctuation and symbols
    replaced by spaces, whitespace collapsed. Unknown-word tokens become ``UNKNOWN_MARK``."""
    words = []
    unknown = {u.casefold() for u in unknown_tokens}
    for raw in text.split():
        if raw.casefold() in unknown:
            words.append(UNKNOWN_MARK)
            continue
        words.append(raw)
    out = []
    for word in words:
        if word == UNKNOWN_MARK:
            out.append(word)
            continue
        chars = []
        for ch in unicodedata.normalize("NFC", word).casefold():
            category = unicodedata.category(ch)
            chars.append(" " if category[0] in "PSZC" else ch)
        out.append("".join(chars))
    return unicodedata.normalize("NFC", " ".join(" ".join(out).split()))


def expand(template: str) -> tuple[str, ...]:
    """Every normalised sentence that ``template`` accepts (sorted, no duplicates).
    Raises GrammarError for a malformed template."""
    from hassil.errors import HassilError
    from hassil.parse_expression import parse_sentence
    from hassil.parser import ParseError
    from hassil.sample import sample_expression

    text = unicodedata.normalize("NFC", template).strip()
    if not text:
        raise GrammarError("an empty phrasing")
    if any(mark in text for mark in "{}<>"):
        raise GrammarError(
            f"{template!r} is not a valid phrasing: braces {{ }} and angle brackets < > are not "
            "part of it; use words with [optional] parts and (a|b) alternatives"
        )
    try:
        parsed = parse_sentence(text)
        sentences: set[str] = set()
        for sample in sample_expression(parsed.expression):
            sentence = normalize(sample)
            if sentence:
                sentences.add(sentence)
            if len(sentences) > MAX_SENTENCES_PER_TEMPLATE:
                raise GrammarError(
                    f"{template!r} expands to more than {MAX_SENTENCES_PER_TEMPLATE} sentences; "
                    "split it into smaller phrasings"
                )
    except GrammarError:
        raise
    except (HassilError, ParseError, ValueError, IndexError, AssertionError):
        # (hassil asserts on an empty group such as "()"; its messages name parser internals)
        raise GrammarError(
            f"{template!r} is not a valid phrasing: expected words with [optional] parts and "
            "(a|b) alternatives, every bracket closed and none empty"
        ) from None
    if not sentences:
        raise GrammarError(f"{template!r} expands to no words")
    return tuple(sorted(sentences))


def build_grammar(
    phrasings: Sequence[Phrasing], courtesy: Courtesy | None = None, alike: float = SOUND_ALIKE
) -> Grammar:
    """Expand every phrasing and report sentences shared by different intents; ``courtesy``:
    polite words that may come around any sentence (``Courtesy``; those that could turn one of
    these sentences into another, spelled ``alike``, are left out: ``Courtesy.safe_for``).

    A shared sentence goes to the single intent with the highest ``priority`` (a screen's own
    choice beats a global command); when the top priority is shared it is dropped, since it could
    never pick one. Raises GrammarError naming the intent for a malformed template.
    """
    owners: dict[str, dict[str, int]] = {}
    order: list[str] = []
    for phrasing in phrasings:
        if phrasing.intent not in order:
            order.append(phrasing.intent)
        for template in phrasing.templates:
            try:
                sentences = expand(template)
            except GrammarError as exc:
                raise GrammarError(f"intent {phrasing.intent!r}: {exc}") from None
            for sentence in sentences:
                prio = owners.setdefault(sentence, {})
                prio[phrasing.intent] = max(
                    prio.get(phrasing.intent, phrasing.priority), phrasing.priority
                )
    kept: list[tuple[str, str]] = []
    collisions: list[Collision] = []
    for sentence, prio in sorted(owners.items()):
        top = max(prio.values())
        leaders = [intent for intent, p in prio.items() if p == top]
        winner = leaders[0] if len(leaders) == 1 else None
        if len(prio) > 1:
            collisions.append(Collision(sentence, tuple(sorted(prio)), winner))
        if winner is not None:
            kept.append((sentence, winner))
    with_sentences = {intent for _, intent in kept}
    return Grammar(
        tuple(kept),
        tuple(collisions),
        tuple(i for i in order if i in with_sentences),
        (courtesy or Courtesy()).safe_for((s for s, _ in kept), alike),
    )


@dataclass(frozen=True, slots=True)
class Snap:
    """The allowed sentence nearest to a transcript."""

    intent: str | None
    """The intent of the nearest sentence; None when nothing reaches the cutoff."""
    sentence: str
    """The nearest allowed sentence ("" when the grammar is empty)."""
    score: float
    """Similarity 0..1 of the transcript to ``sentence`` (1 = identical)."""
    runner_up: str | None = None
    """The best intent other than ``intent`` (None when there is none)."""
    runner_up_score: float = 0.0
    """Its similarity 0..1."""


def similarity(a: str, b: str) -> float:
    """Character-level similarity 0..1 of two normalised texts (1 - normalised indel distance).
    Works on any script: letters, syllable blocks and combining marks alike."""
    return float(Indel.normalized_similarity(a, b))


def collapse_repeats(text: str) -> str:
    """Drop immediately repeated words ("có có" → "có"): residents often say an answer twice."""
    out: list[str] = []
    for word in text.split():
        if not out or out[-1] != word:
            out.append(word)
    return " ".join(out)


def snap(transcript: str, grammar: Grammar, cutoff: float = 0.0) -> Snap:
    """The best (intent, sentence) for ``transcript``.

    A transcript is compared as heard, with repeated words collapsed, and with the grammar's
    courtesy words at its ends set aside (``Courtesy.core``): the best of these counts.
    Rule: highest similarity wins; ties go to the shorter sentence, then alphabetical order
    (sort key ``(-score, len(sentence), sentence)``). ``intent`` is None when the best score is
    below ``cutoff``. The runner-up is the best sentence of any *other* intent.
    """
    text = normalize(transcript)
    forms = {text, collapse_repeats(text)}
    if grammar.courtesy:
        forms |= {grammar.courtesy.core(f) for f in forms}
        forms |= {collapse_repeats(f) for f in forms}
    best_by_intent: dict[str, tuple[float, str]] = {}
    for sentence, intent in grammar.sentences:
        score = max(similarity(f, sentence) for f in forms)
        current = best_by_intent.get(intent)
        if current is None or (-score, len(sentence), sentence) < (
            -current[0],
            len(current[1]),
            current[1],
        ):
            best_by_intent[intent] = (score, sentence)
    if not best_by_intent:
        return Snap(None, "", 0.0)
    ranked = sorted(
        best_by_intent.items(), key=lambda kv: (-kv[1][0], len(kv[1][1]), kv[1][1], kv[0])
    )
    intent, (score, sentence) = ranked[0]
    runner, runner_score = (ranked[1][0], ranked[1][1][0]) if len(ranked) > 1 else (None, 0.0)
    return Snap(intent if score >= cutoff else None, sentence, score, runner, runner_score)
