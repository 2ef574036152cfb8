"""Recorded clip packs: a commune officer's own voice (or a language with no synthesiser).

A clip pack is a folder of WAV files named ``<phrase_id>.wav``. WAVs directly in the folder are
Vietnamese (``vi``); a sub-folder named after a language (``en/``, or ``vi/``) holds that
language's clips. A clip replaces synthesis for its phrase id, but only for phrases without
``{placeholders}`` (a recording cannot contain the number or name filled in at run time).

Each clip must be PCM 16-bit mono at 16-48 kHz, not silent and not clipped; ``check_pack`` (the
``hotro voices check DIR`` command) reports which ids a pack covers and every bad file.
"""

from __future__ import annotations

import logging
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voices.phrases import PhraseError, PhrasePack, load_pack

log = logging.getLogger(__name__)

MIN_RATE = 16_000
MAX_RATE = 48_000
SILENT_RMS_DBFS = -45.0
"""A clip whose RMS level is below this is reported as silent."""
CLIPPED_FRACTION = 0.001
"""More than this share of samples at full scale (±32767) is reported as clipped."""
DEFAULT_LANG = "vi"


@dataclass(frozen=True, slots=True)
class ClipProblem:
    """One bad file in a clip pack."""

    file: Path
    problem: str
    """What is wrong, in one short English sentence for the technician."""
    expected: str = ""
    """What a good clip looks like."""

    def __str__(self) -> str:
        text = f"{self.file}: {self.problem}"
        return f"{text} (expected {self.expected})" if self.expected else text


@dataclass(frozen=True, slots=True)
class LanguageReport:
    """What a clip pack holds for one language."""

    lang: str
    folder: Path
    covered: tuple[str, ...]
    """Phrase ids that have a good clip, sorted."""
    missing: tuple[str, ...]
    """Phrase ids of the language's phrase pack (without placeholders) with no clip."""
    problems: tuple[ClipProblem, ...]
    notes: tuple[str, ...] = ()
    """Warnings that do not make the pack bad (e.g. a clip for a phrase with placeholders)."""


@dataclass(frozen=True, slots=True)
class PackReport:
    folder: Path
    languages: tuple[LanguageReport, ...]
    problems: tuple[ClipProblem, ...] = ()
    """Problems with the folder itself (missing, empty)."""

    @property
    def ok(self) -> bool:
        return not self.problems and all(not lang.problems for lang in self.languages)


def check_clip(path: Path) -> ClipProblem | None:
    """None for a good clip, else what is wrong with it."""
    expected = "PCM 16-bit mono WAV, 16-48 kHz"
    try:
        with wave.open(str(path), "rb") as wav:
            width, channels, rate = wav.getsampwidth(), wav.getnchannels(), wav.getframerate()
            comp = wav.getcomptype()
            data = wav.readframes(wav.getnframes())
    except (OSError, EOFError, wave.Error) as exc:
        return ClipProblem(path, f"not a readable WAV file ({exc or type(exc).__name__})", expected)
    if comp != "NONE" or width != 2:
        return ClipProblem(path, f"{8 * width}-bit {comp} audio", expected)
    if channels != 1:
        return ClipProblem(path, f"{channels} channels", expected)
    if not MIN_RATE <= rate <= MAX_RATE:
        return ClipProblem(path, f"{rate} Hz sample rate", expected)
    samples = np.frombuffer(data, dtype="<i2").astype(np.float64)
    if samples.size < rate // 10:
        return ClipProblem(path, f"too short ({samples.size / rate:.2f} s)", "at least 0.1 s")
    rms = float(np.sqrt(np.mean(samples**2)))
    level = 20 * np.log10(max(rms, 1e-9) / 32768)
    if level < SILENT_RMS_DBFS:
        return ClipProblem(
            path, f"silent (level {level:.0f} dBFS)", f"speech above {SILENT_RMS_DBFS:.0f} dBFS"
        )
    full = np.count_nonzero(np.abs(samples) >= 32767) / samples.size
    if full > CLIPPED_FRACTION:
        return ClipProblem(
            path,
            f"clipped ({100 * full:.1f} % of samples at full scale)",
            "a recording with headroom (peaks below full scale)",
        )
    return None


def language_folders(folder: Path) -> dict[str, Path]:
    """Language → folder of its clips (WAVs at the top level are Vietnamese)."""
    found: dict[str, Path] = {}
    if any(folder.glob("*.wav")):
        found[DEFAULT_LANG] = folder
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        if any(sub.glob("*.wav")):
            found[sub.name] = sub  # an explicit vi/ folder wins over top-level files
    return found


def _usable_ids(pack: PhrasePack) -> set[str]:
    return {pid for pid in pack.ids if not pack.placeholders_of(pid)}


def check_pack(folder: Path) -> PackReport:
    """Check every clip of a pack against the phrase packs of its languages."""
    folder = Path(folder)
    if not folder.is_dir():
        return PackReport(folder, (), (ClipProblem(folder, "no such folder"),))
    langs = language_folders(folder)
    if not langs:
        return PackReport(
            folder, (), (ClipProblem(folder, "no clips", "WAV files named <phrase_id>.wav"),)
        )
    reports = []
    for lang, sub in langs.items():
        problems: list[ClipProblem] = []
        notes: list[str] = []
        try:
            pack: PhrasePack | None = load_pack(lang)
        except PhraseError as exc:
            pack = None
            problems.append(ClipProblem(sub, f"no phrase pack for language {lang!r}: {exc}"))
        covered = []
        for wav_path in sorted(sub.glob("*.wav")):
            pid = wav_path.stem
            if pack is not None and pid not in pack:
                problems.append(
                    ClipProblem(wav_path, f"unknown phrase id {pid!r}", f"an id of the {lang} pack")
                )
                continue
            bad = check_clip(wav_path)
            if bad is not None:
                problems.append(bad)
                continue
            if pack is not None and pack.placeholders_of(pid):
                notes.append(f"{wav_path.name}: phrase has placeholders; the clip is not used")
                continue
            covered.append(pid)
        missing = sorted(_usable_ids(pack) - set(covered)) if pack is not None else []
        reports.append(
            LanguageReport(lang, sub, tuple(covered), tuple(missing), tuple(problems), tuple(notes))
        )
    return PackReport(folder, tuple(reports))


class ClipPack:
    """Clip lookup for ``VoiceOut``: each file is checked once; a bad file is logged once."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._checked: dict[Path, bool] = {}

    def clip_for(self, lang: str, phrase_id: str) -> Path | None:
        """The good clip for ``phrase_id`` in ``lang``, or None (then synthesise)."""
        candidates = [self.folder / lang / f"{phrase_id}.wav"]
        if lang == DEFAULT_LANG:
            candidates.append(self.folder / f"{phrase_id}.wav")
        for path in candidates:
            if not path.is_file():
                continue
            ok = self._checked.get(path)
            if ok is None:
                problem = check_clip(path)
                ok = problem is None
                self._checked[path] = ok
                if problem is not None:
                    log.warning("speech: bad recorded clip, using synthesis instead: %s", problem)
            if ok:
                try:
                    pack = load_pack(lang)
                    if phrase_id in pack and pack.placeholders_of(phrase_id):
                        return None
                except PhraseError:
                    pass
                return path
        return None
