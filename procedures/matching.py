"""Matching what a resident says or types to the catalogue's procedures and services.

``match(text, catalogue)`` returns a verdict:

* ``match``: one clear procedure or service (``candidates`` holds exactly that one);
* ``ask``: two to four fit about equally (``candidates``, best first, to offer as a numbered
  list, or through a distinguishing question: the terminal's business);
* ``none``: nothing in the request points at the catalogue, or it is about something the centre
  does not do (``candidates`` is empty; ``referral`` says where to go instead when known).

One index holds *entries* of several kinds (``Candidate.kind``): every procedure, every service
of ``services.yaml`` (issue 18), and every referral of ``procedures/everyday/referrals.yaml``;
``OFFERED`` says which kinds a verdict may offer (procedures and services).

How an entry is scored (0–100), on normalised text (``procedures.normalize``, with the
everyday-language layer of ``procedures.everyday``):

* its *terms* are the words and word pairs of its names and phrases (full weight), and of its
  summary, who and result texts (half weight, ``CONTEXT_WEIGHT``);
* each term weighs its rarity across entries (inverse document frequency), so "khai tử" counts
  for more than "đăng ký"; a pair never weighs more than its two words; a word no entry knows
  weighs ``UNSEEN_WORD`` of the rarest term, so a long story's other words do not drown the few
  that matter (an unknown pair ``UNSEEN_PAIR``);
* ... times the weight of the part of the request it stands in (``PART_WEIGHT``): a request
  with accents is read in parts (``procedures.normalize.parts``, ``focus.yaml``): what it asks
  for, its story, the rest (weighed apart from ``SPLIT_MIN_WORDS`` words on); what it says it
  does not want is left out;
* ``coverage``: the weighted share of the query's terms that the entry knows;
* ``fit``: for the best single name or phrase, the F1 of query terms against that phrase's terms;
* ``fuzzy``: for the best name or phrase, the mean of rapidfuzz's ``token_set_ratio`` and
  ``token_sort_ratio`` (typos, word order; extra words cost a little);
* ``named``: how much of one of the entry's own names the query says;
* ``score = 100 * (W_COVERAGE * coverage + W_FIT * fit + W_FUZZY * fuzzy + W_NAMED * named)``;
* beside the score, ``evidence``: the summed weight of the query terms the entry knows, however
  long the query.

The verdict (``match``): ``none`` with the referral when the best referral scores at least
``REFERRAL_MIN`` and ``REFERRAL_MARGIN`` above the best procedure or service (in a story of
``LONG_REQUEST_WORDS`` or more: ``REFERRAL_MARGIN_LONG``; never when the request asks to certify
or copy a paper: ``certify_words``); then, on the offered entries (``verdict_for``):
``none`` when the best is under ``ASK_MIN`` (unless it reaches ``CLEAR_MIN`` with a lead of
``CLEAR_MARGIN``) and its evidence under ``EVIDENCE_MIN``; ``match`` when the best score is at
least ``MATCH_MIN`` and leads the second by ``MATCH_MARGIN``; otherwise ``ask`` with the
procedures within ``ASK_BAND`` of the best, 2 to ``MAX_ASK`` of them. A ``none`` still carries
the best referral when it scores at least ``REFERRAL_NOTE``.

A query typed with accents is matched on accented words (so "công nhân", a worker, is not
"công nhận", to recognise); a query typed without accents on folded words of both sides; a query
mixing both ("lam so đỏ") both ways, keeping each entry's better score.

A word no text knows is replaced by a known word that sounds the same (``sound_key``; with
accents the tone counts) when that makes a known word pair with a neighbour: first against the
words as written in the catalogue and the everyday files ("xổ đỏ" → "sổ đỏ", then rewritten),
then against the index ("khai xinh" → "khai sinh"); typed without accents, a word that is no
syllable also by a known word one typing slip away ("thn" → "than") or the closest known spelling
when rapidfuzz's ratio is at least ``SNAP_MIN`` ("khai sinhh").
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Container, Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Literal

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from procedures.catalogue import Catalogue
from procedures.everyday import Referral, shipped_everyday
from procedures.normalize import clean, fold, has_diacritics, normalize, parts, words

__all__ = [
    "ASK_BAND",
    "ASK_MIN",
    "CLEAR_MARGIN",
    "CLEAR_MIN",
    "MATCH_MARGIN",
    "MATCH_MIN",
    "MAX_ASK",
    "Candidate",
    "MatchResult",
    "Verdict",
    "Parts",
    "explain",
    "match",
    "rank",
    "verdict_for",
]

Verdict = Literal["match", "ask", "none"]

OFFERED = frozenset({"procedure", "service"})
"""Kinds of index entries a verdict may offer: procedures and the centre's services (issue 18);
a ``referral`` is never offered, it only explains a ``none``."""

# ---------------------------------------------------------------------------------------------
# Thresholds (scores are 0–100). Tuned on tests/procedures/phrasings.yaml and requests_tune.yaml.
# ---------------------------------------------------------------------------------------------
MATCH_MIN = 52.0
"""The best score must reach this for a ``match``."""
MATCH_MARGIN = 8.0
"""...and lead the second best by at least this much; otherwise it is an ``ask``."""
ASK_MIN = 41.0
"""Below this best score the verdict is ``none``: nothing fits well enough to offer."""
CLEAR_MIN = 37.0
"""...unless the best reaches this and leads by ``CLEAR_MARGIN``: a long, rambling sentence
scores low everywhere but still points at one procedure, which is then offered (``ask``)."""
CLEAR_MARGIN = 10.0
"""Lead over the second best that makes a weak best score worth offering."""
ASK_BAND = 12.0
"""An ``ask`` offers the procedures scoring within this distance of the best (2 to 4 of them)."""
MAX_ASK = 4
"""Most procedures offered in one ``ask``."""

W_COVERAGE = 0.4
"""Weight of how much of the query the procedure explains."""
W_FIT = 0.25
"""Weight of how well the best single name or phrase fits the query."""
W_FUZZY = 0.2
"""Weight of rapidfuzz's token-set/token-sort similarity with the best name or phrase."""
W_NAMED = 0.15
"""Weight of how much of one of the procedure's own names (official, short, spoken) the query
says: "khai sinh" names "Đăng ký khai sinh" fully, "Khai sinh cho người lớn" only in part."""
CONTEXT_WEIGHT = 0.5
"""A term found only in the summary, who or result text counts this much."""
ACCENT_SHARE = 0.3
"""A query with at least this share of accented words is matched with its accents kept;
otherwise (typed without accents) both sides are folded: ``đăng ký`` and ``dang ky`` meet."""
UNSEEN_PAIR = 0.5
"""An unknown pair of words weighs this share of an unknown word ("công nhân", a worker,
is two known words but no procedure's pair); numbers typed in the query weigh nothing."""
SNAP_MIN = 88.0
"""An unknown query word is replaced by the closest known word at this rapidfuzz ratio or more."""
TYPO_MIN_LETTERS = 3
"""A word of at least this many letters may be one typing slip away from a known word."""
UNSEEN_WORD = 0.1
"""An unknown word weighs this share of the rarest term's weight."""
EVIDENCE_MIN = 6.0
"""A best procedure whose ``evidence`` reaches this is offered even with a low score: a long
story scores low everywhere, but the words that point at the catalogue are still there."""
SPLIT_MIN_WORDS = 10
"""A request of at least this many words, typed or said with accents, weighs its parts apart."""
PART_WEIGHT = {"request": 1.0, "plain": 0.7, "background": 0.35}
"""How much a word weighs by the part of the request it stands in, relative to the heaviest
part present (a request with no ``request`` part weighs its plain words fully)."""
REFERRAL_MIN = 32.0
"""A referral (something the centre does not do) scoring at least this ..."""
REFERRAL_MARGIN = 5.0
"""... and at least this much above the best procedure makes the verdict ``none``."""
REFERRAL_MARGIN_LONG = 11.0
"""... or this much in a long story (``LONG_REQUEST_WORDS``): a story mentions in passing what
is done elsewhere ("cha mẹ nó bỏ nhau", "không có lương hưu") more often than it asks for it."""
LONG_REQUEST_WORDS = 30
"""A request of at least this many words is a long story."""
REFERRAL_NOTE = 30.0
"""A ``none`` for another reason carries the best referral when it scores at least this."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """One procedure (or service, or referral) and how well it fits the query."""

    code: str
    """Procedure code, service id or referral id."""
    name: str
    """The short name (what a numbered list shows)."""
    score: float
    """0–100, higher is better, rounded to one decimal."""
    kind: str = "procedure"
    """What the entry is: ``procedure`` or ``service`` (issue 18; ``referral`` entries are
    never offered, they only explain a ``none``)."""
    evidence: float = field(default=0.0, compare=False)
    """How much of the query points at it, whatever the query's length (``Parts.evidence``)."""


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The verdict and the procedures and services to present with it."""

    verdict: Verdict
    """``match``, ``ask`` or ``none``."""
    candidates: tuple[Candidate, ...]
    """match: the one procedure or service; ask: 2–4 to offer, best first; none: empty."""
    ranked: tuple[Candidate, ...] = ()
    """The best-scoring procedures and services whatever the verdict (diagnostics, evaluation)."""
    referral: Referral | None = None
    """For a ``none`` about something the centre does not do: where to go instead."""

    @property
    def best(self) -> Candidate | None:
        """The first candidate, if any."""
        return self.candidates[0] if self.candidates else None


# ---------------------------------------------------------------------------------------------
# Index
# ---------------------------------------------------------------------------------------------


def _terms(text: str) -> list[str]:
    """Words and adjacent word pairs of normalised text."""
    ws = text.split()
    return ws + [f"{a} {b}" for a, b in zip(ws, ws[1:], strict=False)]


@dataclass(frozen=True, slots=True)
class _Entry:
    code: str
    """Procedure code, service id or referral id."""
    name: str
    strong: frozenset[str]
    context: frozenset[str]
    phrases: tuple[str, ...]
    phrase_terms: tuple[frozenset[str], ...]
    phrase_sizes: tuple[float, ...] = ()
    """Sum of term weights of each phrase (filled in once the weights are known)."""
    names: int = 3
    """The first ``names`` phrases are the procedure's own names (official, short, spoken)."""
    postings: dict[str, tuple[int, ...]] = field(default_factory=dict)
    """Term -> positions of the phrases holding it."""
    kind: str = "procedure"
    """``procedure``, ``service`` or ``referral`` (see ``Candidate.kind``)."""


@dataclass(frozen=True)
class _Index:
    entries: tuple[_Entry, ...]
    idf: dict[str, float]
    unseen: float
    vocabulary: tuple[str, ...]
    phrases: tuple[str, ...]
    """Every entry's phrases, flat, for one vectorised rapidfuzz call per query."""
    owners: np.ndarray
    """Entry position of each phrase in ``phrases``."""
    folded: bool
    """True for the index of folded (accent-free) words."""
    sounds: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Sound key (``sound_key``) -> the known words that sound like it."""
    said: _Said | None = None
    """The words as residents say them, before the everyday layer rewrites them."""


@dataclass(frozen=True)
class _Said:
    """Every word and word pair of the catalogue's texts and of the everyday-language files,
    as written (cleaned; folded for the folded index), and the words by sound: a misheard word
    of an everyday phrase ("xổ đỏ", "hộ ngèo") is put right *before* the phrase is rewritten."""

    terms: frozenset[str]
    sounds: dict[str, tuple[str, ...]]
    words: tuple[str, ...]
    folded: bool


def _said(texts: Iterable[str], folded: bool) -> _Said:
    terms: set[str] = set()
    for text in texts:
        cleaned = clean(text)
        terms.update(_terms(fold(cleaned) if folded else cleaned))
    sounds: dict[str, list[str]] = {}
    for w in sorted(t for t in terms if " " not in t):
        sounds.setdefault(sound_key(w, tone=not folded), []).append(w)
    vocabulary = tuple(sorted(t for t in terms if " " not in t))
    return _Said(frozenset(terms), {k: tuple(v) for k, v in sounds.items()}, vocabulary, folded)


def _everyday_texts(catalogue: Catalogue) -> list[str]:
    """Every text a resident's words may meet: the catalogue's and the everyday layer's."""
    everyday = shipped_everyday()
    texts: list[str] = []
    for p in catalogue.procedures.values():
        texts += [p.name, p.short_name, p.spoken_name, p.summary, p.who, p.result]
        texts += [*p.phrases, *p.shared_phrases]
    for svc in catalogue.services.values():
        texts += [svc.name, svc.short_name, svc.spoken_name, svc.summary, *svc.phrases]
    for v in everyday.variants:
        texts += [v.official, *v.everyday]
    for r in everyday.referrals:
        texts += [r.name, *r.words]
    focus = everyday.focus
    texts += [*everyday.fillers, *focus.request, *focus.background, *focus.breaks, *focus.negation]
    return texts


def _postings(phrase_terms: tuple[frozenset[str], ...]) -> dict[str, tuple[int, ...]]:
    out: dict[str, list[int]] = {}
    for i, terms in enumerate(phrase_terms):
        for t in terms:
            out.setdefault(t, []).append(i)
    return {t: tuple(v) for t, v in out.items()}


def _entry(
    code: str,
    name: str,
    names: list[str],
    others: list[str],
    context_texts: list[str],
    folded: bool,
    kind: str,
) -> _Entry:
    own = [normalize(x, folded=folded) for x in names]
    phrases = tuple(
        dict.fromkeys(n for n in (*own, *(normalize(x, folded=folded) for x in others)) if n)
    )
    strong = frozenset(t for ph in phrases for t in _terms(ph))
    context_text = " ".join(normalize(x, folded=folded) for x in context_texts)
    context = frozenset(_terms(context_text)) - strong
    return _Entry(
        code=code,
        name=name,
        strong=strong,
        context=context,
        phrases=phrases,
        phrase_terms=tuple(frozenset(_terms(ph)) for ph in phrases),
        # a referral's words all name the thing done elsewhere ("kiện ra tòa", "tòa án")
        names=len(phrases) if kind == "referral" else len(set(n for n in own if n)),
        kind=kind,
    )


def _build_index(catalogue: Catalogue, folded: bool) -> _Index:
    entries = [
        _entry(
            proc.code,
            proc.short_name,
            [proc.name, proc.short_name, proc.spoken_name],
            [*proc.phrases, *proc.shared_phrases],
            [proc.summary, proc.who, proc.result],
            folded,
            "procedure",
        )
        for proc in catalogue.procedures.values()
    ]
    entries += [
        _entry(
            svc.id,
            svc.short_name,
            [svc.name, svc.short_name, svc.spoken_name],
            list(svc.phrases),
            [svc.summary],
            folded,
            "service",
        )
        for svc in catalogue.services.values()
    ]
    entries += [
        _entry(r.id, r.name, [r.name], list(r.words), [], folded, "referral")
        for r in shipped_everyday().referrals
    ]
    df: Counter[str] = Counter()
    for e in entries:
        df.update(e.strong | e.context)
    n = max(len(entries), 1)
    idf = {t: math.log(1.0 + n / c) for t, c in df.items()}
    unseen = math.log(1.0 + n)
    for t in idf:
        if " " in t:  # a pair never weighs more than its two words ("làm hộ" < "làm" + "hộ")
            a, b = t.split(" ")
            idf[t] = min(idf[t], idf.get(a, unseen) + idf.get(b, unseen))
    entries = [
        replace(
            e,
            phrase_sizes=tuple(sum(idf[t] for t in terms) for terms in e.phrase_terms),
            postings=_postings(e.phrase_terms),
        )
        for e in entries
    ]
    vocabulary = tuple(sorted({t for t in df if " " not in t}))
    flat = tuple(ph for e in entries for ph in e.phrases)
    owners = np.array([i for i, e in enumerate(entries) for _ in e.phrases], dtype=np.int64)
    sounds: dict[str, list[str]] = {}
    for w in vocabulary:
        sounds.setdefault(sound_key(w, tone=not folded), []).append(w)
    return _Index(
        tuple(entries),
        idf,
        unseen,
        vocabulary,
        flat,
        owners,
        folded,
        {k: tuple(v) for k, v in sounds.items()},
        _said(_everyday_texts(catalogue), folded),
    )


def _index(catalogue: Catalogue, folded: bool) -> _Index:
    key = "match_index_folded" if folded else "match_index_accented"
    cached = catalogue._cache.get(key)
    if cached is None:
        cached = _build_index(catalogue, folded)
        catalogue._cache[key] = cached
    return cached


def typed_with_accents(text: str) -> bool:
    """True when at least ``ACCENT_SHARE`` of the words carry diacritics (ordinary Vietnamese)."""
    ws = words(text)
    if not ws:
        return False
    return sum(has_diacritics(w) for w in ws) / len(ws) >= ACCENT_SHARE


_INITIALS = (
    ("ngh", "ng"),
    ("ng", "ng"),
    ("nh", "nh"),
    ("gh", "g"),
    ("gi", "d"),
    ("tr", "ch"),
    ("ch", "ch"),
    ("th", "th"),
    ("ph", "ph"),
    ("kh", "kh"),
    ("qu", "qu"),
    ("dz", "d"),
    ("z", "d"),
    ("r", "d"),
    ("v", "d"),
    ("x", "s"),
    ("k", "c"),
    ("n", "l"),
)
_FINALS = (("nh", "n"), ("ng", "n"), ("ch", "c"), ("t", "c"))


_TONES = {"\u0300": "2", "\u0301": "1", "\u0309": "3", "\u0303": "3", "\u0323": "4"}
"""Tone marks (huyền, sắc, hỏi, ngã, nặng) -> tone class; hỏi and ngã are one (most of the
country says them alike)."""
_SYLLABLE = re.compile(
    r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?$"
)
"""A Vietnamese syllable typed without accents: only a word that is none ("thn", "sinhh") is
taken for a typing slip."""


def sound_key(word: str, tone: bool = False) -> str:
    """How a word sounds, roughly, across accents and recognisers: the sounds that Northern,
    Central and Southern speech (and a speech recogniser) mix up made one: x/s, tr/ch,
    d/gi/r/v, ngh/ng, n/l at the start; n/ng/nh and t/c/ch at the end; y/i; vowels without
    their marks. ``xinh`` and ``sinh``, ``ngèo`` and ``nghèo``, ``chúng`` and ``chứng`` share a
    key. With ``tone``, the tone stays part of the key (hỏi and ngã alike): for text typed or
    heard with accents, where "nằm" is not "làm" and "đột" is not "đợt"."""
    w = fold(word).replace("y", "i")
    for initial, key in _INITIALS:
        if w.startswith(initial):
            w = key + w[len(initial) :]
            break
    for final, key in _FINALS:
        if w.endswith(final) and len(w) > len(final):
            w = w[: -len(final)] + key
            break
    if not tone:
        return w
    marks = unicodedata.normalize("NFD", word)
    return w + next((_TONES[ch] for ch in marks if ch in _TONES), "0")


def _paired(
    w: str, prev: str, nxt: str, candidates: Iterable[str], known: Container[str]
) -> list[str]:
    """The ``candidates`` (other than ``w``) that make a known pair with a neighbour, those
    that pair with the next word first ("có xổ đỏ": "sổ đỏ" before "có số")."""
    after = [c for c in candidates if c != w and f"{c} {nxt}" in known]
    return after + [c for c in candidates if c != w and c not in after and f"{prev} {c}" in known]


def _one_off(w: str, vocabulary: tuple[str, ...], folded: bool) -> list[str]:
    """Known words one typing slip away from ``w`` (a letter missing, added or changed), for
    text typed without accents, when ``w`` is no syllable (with accents, or as a syllable, "tai"
    or "chan" is a word of its own, not "sai" or "can")."""
    if not folded or len(w) < TYPO_MIN_LETTERS or _SYLLABLE.match(w):
        return []
    found = process.extract(w, vocabulary, scorer=Levenshtein.distance, score_cutoff=1, limit=None)
    return [c for c, _, _ in found]


def _snap_said(ws: list[str], said: _Said) -> list[str]:
    """Before the everyday layer: a word no text holds is replaced by one that sounds the same,
    or is one typing slip away, and makes a pair some text holds with a neighbour ("xổ đỏ" →
    "sổ đỏ", which the layer then rewrites). Read without accents (``said.folded``), only the
    words typed without accents are looked at, and the neighbours are folded."""
    out = list(ws)
    for i, w in enumerate(ws):
        if w in said.terms or w.isdigit() or said.folded and not w.isascii():
            continue
        prev = out[i - 1] if i > 0 else ""
        nxt = ws[i + 1] if i + 1 < len(ws) else ""
        if said.folded:
            prev, nxt = fold(prev), fold(nxt)
        key = sound_key(w, tone=not said.folded)
        paired = _paired(w, prev, nxt, said.sounds.get(key, ()), said.terms)
        slips = _one_off(w, said.words, said.folded)
        paired = paired or _paired(w, prev, nxt, slips, said.terms)
        if paired:
            out[i] = paired[0]
    return out


def _snap(words: Iterable[str], index: _Index) -> list[str]:
    """Unknown words replaced by a known word that sounds the same and makes a known pair with a
    neighbour ("khai xinh" → "khai sinh", "hộ ngèo" → "hộ nghèo"); without accents, also by the
    closest known spelling (rapidfuzz ratio ≥ ``SNAP_MIN``: "khai sinhh")."""
    ws = list(words)
    out = list(ws)
    for i, w in enumerate(ws):
        if w in index.idf or w.isdigit():
            continue
        prev = out[i - 1] if i > 0 else ""
        nxt = ws[i + 1] if i + 1 < len(ws) else ""
        key = sound_key(w, tone=not index.folded)
        paired = _paired(w, prev, nxt, index.sounds.get(key, ()), index.idf)
        slips = _one_off(w, index.vocabulary, index.folded)
        paired = paired or _paired(w, prev, nxt, slips, index.idf)
        if paired:
            out[i] = max(paired, key=lambda c: index.idf[c])
            continue
        if index.folded and len(w) >= 4 and not _SYLLABLE.match(w):
            best = process.extractOne(w, index.vocabulary, scorer=fuzz.ratio, score_cutoff=SNAP_MIN)
            if best:
                out[i] = best[0]
    return out


# ---------------------------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Query:
    """One normalised way of reading the request, and how much each of its words weighs."""

    text: str
    index: _Index
    focus: tuple[float, ...]
    """Per word of ``text``: the weight of the part it stands in (``PART_WEIGHT``), 0–1."""

    def terms(self) -> dict[str, float]:
        """Words and adjacent pairs, each with the largest weight of its places (a pair: the
        smaller of its two words')."""
        ws = self.text.split()
        out: dict[str, float] = {}
        for i, w in enumerate(ws):
            out[w] = max(out.get(w, 0.0), self.focus[i])
            if i + 1 < len(ws):
                pair = f"{w} {ws[i + 1]}"
                out[pair] = max(out.get(pair, 0.0), min(self.focus[i], self.focus[i + 1]))
        return out


def _weights(q_terms: dict[str, float], index: _Index) -> dict[str, float]:
    """Each query term's weight: its rarity (an unknown word weighs ``UNSEEN_WORD`` of the
    rarest term, an unknown pair ``UNSEEN_PAIR`` of that, a number nothing), times the weight of
    the part of the request it stands in (``PART_WEIGHT``)."""
    out = {}
    for t, part in q_terms.items():
        w = index.idf.get(t)
        if w is None:
            if t.isdigit():
                continue
            w = index.unseen * (UNSEEN_PAIR if " " in t else UNSEEN_WORD)
        out[t] = w * part
    return out


def _fuzzy_by_entry(query: str, index: _Index) -> np.ndarray:
    """Per entry, the best of its phrases by the mean of rapidfuzz's token-set ratio (a word
    subset scores high) and token-sort ratio (extra words lower it), 0–1."""
    both = process.cdist([query], index.phrases, scorer=fuzz.token_set_ratio)[0]
    both = (both + process.cdist([query], index.phrases, scorer=fuzz.token_sort_ratio)[0]) / 2
    best = np.zeros(len(index.entries))
    np.maximum.at(best, index.owners, both / 100.0)
    return best


@dataclass(frozen=True, slots=True)
class Parts:
    """The parts of one procedure's score (see the module docstring), each 0–1."""

    coverage: float
    fit: float
    fuzzy: float
    named: float = 0.0
    evidence: float = 0.0
    """Not part of the score: the summed weight of the query terms the entry knows (context
    terms at half weight), however long the query is."""

    @property
    def score(self) -> float:
        return 100.0 * (
            W_COVERAGE * self.coverage
            + W_FIT * self.fit
            + W_FUZZY * self.fuzzy
            + W_NAMED * self.named
        )


def _parts(entry: _Entry, weights: dict[str, float], fuzzy: float) -> Parts:
    """One entry's score parts for the query terms' ``weights`` (``_weights``)."""
    total = sum(weights.values())
    if total <= 0:
        return Parts(0.0, 0.0, fuzzy)
    known = 0.0
    for t, w in weights.items():
        if t in entry.strong:
            known += w
        elif t in entry.context:
            known += CONTEXT_WEIGHT * w
    hits: dict[int, float] = {}  # phrase position -> weight of the query terms it holds
    for t, w in weights.items():
        for i in entry.postings.get(t, ()):
            hits[i] = hits.get(i, 0.0) + w
    fit = named = 0.0
    for i, hit in hits.items():
        precision, recall = hit / total, hit / entry.phrase_sizes[i]
        if hit <= 0:
            continue
        fit = max(fit, 2 * precision * recall / (precision + recall))
        if i < entry.names:
            named = max(named, recall)
    return Parts(known / total, fit, fuzzy, named, known)


def _read(text: str, index: _Index, accented: bool) -> _Query:
    """``text`` normalised for ``index``, its unknown words snapped, each word weighted by the
    part of the request it stands in (typed or said with ``accented`` words: read in parts)."""
    ws: list[str] = []
    focus: list[float] = []
    said = index.said

    def fix(words: list[str]) -> list[str]:
        return _snap_said(words, said) if said is not None else words

    if accented:  # what is asked for, the story; what the resident says she does not want is out
        pieces = parts(text, fix=fix)
        if len(words(text)) < SPLIT_MIN_WORDS:  # too short to tell the ask from a story
            pieces = [("request", piece) for _, piece in pieces]
    else:
        pieces = [("request", " ".join(fix(clean(text).split())))]
    top = max((PART_WEIGHT[kind] for kind, _ in pieces), default=1.0)
    for kind, piece in pieces:
        got = normalize(piece, folded=index.folded).split()
        ws += got
        focus += [PART_WEIGHT[kind] / top] * len(got)
    return _Query(" ".join(_snap(ws, index)), index, tuple(focus))


def _queries(text: str, catalogue: Catalogue) -> list[_Query]:
    """The normalised query for each way it is matched: accented, folded, or both when a
    query typed with accents also holds words typed without that only the folded catalogue
    knows ("lam so đỏ": "lam" and "so" are "làm" and "sổ"). A long request typed with accents
    is read in parts (``procedures.normalize.parts``): what it asks for weighs more than its
    story."""
    folded = not typed_with_accents(text)
    index = _index(catalogue, folded)
    out = [_read(text, index, not folded)]
    plain = _index(catalogue, True)
    if not folded and any(
        w.isascii() and w not in index.idf and w in plain.idf for w in out[0].text.split()
    ):
        out.append(_read(text, plain, True))
    return [q for q in out if q.text]


def _scores(query: _Query) -> list[Parts]:
    weights = _weights(query.terms(), query.index)
    fuzzy = _fuzzy_by_entry(query.text, query.index)
    return [_parts(e, weights, float(fuzzy[i])) for i, e in enumerate(query.index.entries)]


def explain(text: str, catalogue: Catalogue, top: int = 5) -> list[tuple[Candidate, Parts, str]]:
    """For tuning and docs: the best ``top`` procedures with their score parts and the
    normalised query the matcher saw."""
    rows = []
    for query in _queries(text, catalogue):
        for e, got in zip(query.index.entries, _scores(query), strict=True):
            rows.append((Candidate(e.code, e.name, round(got.score, 1), e.kind), got, query.text))
    rows.sort(key=lambda r: -r[0].score)
    seen: set[str] = set()
    best = [r for r in rows if not (r[0].code in seen or seen.add(r[0].code))]
    return best[:top]


def _scored(text: str, catalogue: Catalogue) -> list[Candidate]:
    """Every entry of the index (procedures and referrals) scored, best first.

    Best-result rule (the sort key below): higher score first; on equal scores the entry that
    comes first in the index (catalogue file-name order, then the referrals) wins, so results are
    deterministic."""
    queries = _queries(text, catalogue)
    if not queries:
        return []
    best: dict[int, float] = {}
    evidence: dict[int, float] = {}
    for query in queries:  # two ways only for mixed typing; the better score counts
        for i, got in enumerate(_scores(query)):
            best[i] = max(best.get(i, 0.0), round(got.score, 1))
            evidence[i] = max(evidence.get(i, 0.0), round(got.evidence, 2))
    entries = queries[0].index.entries
    order = sorted(range(len(entries)), key=lambda i: (-best[i], i))
    return [
        Candidate(entries[i].code, entries[i].name, best[i], entries[i].kind, evidence[i])
        for i in order
    ]


def rank(text: str, catalogue: Catalogue, top: int | None = None) -> tuple[Candidate, ...]:
    """Every procedure and service scored against ``text``, best first (``top`` of them if
    given), by the best-result rule of ``_scored``."""
    ranked = tuple(c for c in _scored(text, catalogue) if c.kind in OFFERED)
    return ranked[:top] if top is not None else ranked


def verdict_for(ranked: tuple[Candidate, ...], top: int = MAX_ASK) -> MatchResult:
    """The verdict for an already ranked list (see the module docstring and the thresholds)."""
    shown = ranked[: max(top, MAX_ASK)]
    if not ranked:
        return MatchResult("none", (), shown)
    best = ranked[0]
    second = ranked[1].score if len(ranked) > 1 else 0.0
    clear = best.score >= CLEAR_MIN and best.score - second >= CLEAR_MARGIN
    if best.score < ASK_MIN and not clear and best.evidence < EVIDENCE_MIN:
        return MatchResult("none", (), shown)
    if best.score >= MATCH_MIN and best.score - second >= MATCH_MARGIN:
        return MatchResult("match", (best,), shown)
    floor = max(ASK_MIN, best.score - ASK_BAND)
    offer = [c for c in ranked[: min(top, MAX_ASK)] if c.score >= floor]
    if len(offer) < 2:  # an ask always offers a choice: the best and the runner-up
        offer = list(ranked[:2])
    return MatchResult("ask", tuple(offer), shown)


@lru_cache(maxsize=1)
def _certify_words() -> tuple[frozenset[tuple[str, ...]], frozenset[str]]:
    everyday = shipped_everyday()
    words = frozenset(tuple(fold(clean(w)).split()) for w in everyday.certify_words)
    return words, frozenset(fold(clean(w)) for w in everyday.certify_done)


def _certify(text: str) -> bool:
    """True when ``text`` asks to certify or copy a paper (``certify_words``), not when it
    tells of one certified already (``certify_done`` within two words)."""
    phrases, done = _certify_words()
    ws = fold(clean(text)).split()
    for phrase in phrases:
        n = len(phrase)
        for i in range(len(ws) - n + 1):
            if tuple(ws[i : i + n]) != phrase:
                continue
            near = ws[max(0, i - 2) : i] + ws[i + n : i + n + 2]
            if not done & set(near):
                return True
    return False


def match(text: str, catalogue: Catalogue, top: int = MAX_ASK) -> MatchResult:
    """Find the procedure ``text`` asks for: ``match``, ``ask`` (2 to ``top``) or ``none``
    (with the ``referral`` when it is something the centre does not do)."""
    scored = _scored(text, catalogue)
    ranked = tuple(c for c in scored if c.kind in OFFERED)
    referrals = [c for c in scored if c.kind == "referral"]
    result = verdict_for(ranked, top=top)
    if not referrals:
        return result
    ref = referrals[0]
    best = ranked[0].score if ranked else 0.0
    referral = shipped_everyday().referral(ref.code)
    if _certify(text):  # "công chứng hộ chiếu": a certified copy, done here
        return result
    long = len(words(text)) >= LONG_REQUEST_WORDS
    margin = REFERRAL_MARGIN_LONG if long else REFERRAL_MARGIN
    if ref.score >= REFERRAL_MIN and ref.score >= best + margin:
        return MatchResult("none", (), result.ranked, referral)
    if result.verdict == "none" and ref.score >= REFERRAL_NOTE:
        return replace(result, referral=referral)
    return result

