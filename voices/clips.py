"""Recorded clip packs: a centre's own voice, per language or dialect.

A **shelf** is the folder ``[voice] clips`` (default ``$HOTRO_HOME/clips``); each sub-folder is
one **pack**, named by its id (``vi``, ``vi-south``, ``hmn``...)::

    clips/
      vi/
        pack.json          the manifest (below)
        title_home.wav     one WAV per clip id (see ``voices.compose`` for the ids)
        t_3f0c9a1b2d4e5f60.wav
        num_2.wav

``pack.json``::

    {"format": 1, "id": "vi", "name": "Tiếng Việt", "spoken_name": "tiếng Việt",
     "lang": "vi", "variant": "north", "tts": true,
     "clips": {"title_home": {"text": "Ông bà cần làm việc gì?", "by": "Lan",
                              "at": "2026-11-23T09:15:02+07:00", "seconds": 1.42}}}

``lang`` is the phrase pack whose ids and texts the clips speak (the screen language);
``variant`` is the reading and synthesis accent for pieces without a clip (north, central,
south); ``tts`` false means the pack speaks a language with no synthesiser (an ethnic-minority
language): pieces without a clip are then left silent, and the terminal offers such a pack only
when it covers enough of a visit. A clip is used only while its recorded ``text`` is the text
the terminal is about to say: a changed phrase or catalogue text falls back to synthesis until
it is recorded again.

Older packs without ``pack.json`` still work: WAVs directly in the shelf are Vietnamese
(pack ``vi``), a sub-folder named after a language holds that language's clips, and each clip is
used for its phrase id whatever the phrase's text.

Each clip must be PCM 16-bit mono at 16-48 kHz, not silent, not clipped and at least 0.1 s
long; ``check_pack`` (``hotro voices check DIR``) reports bad files.
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import shutil
import tempfile
import threading
import unicodedata
import wave
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from voices.compose import Composer, ScriptEntry, text_clip_id
from voices.phrases import PhraseError, PhrasePack, load_pack

log = logging.getLogger(__name__)

MIN_RATE = 16_000
MAX_RATE = 48_000
SILENT_RMS_DBFS = -45.0
"""A clip whose RMS level is below this is reported as silent."""
CLIPPED_FRACTION = 0.001
"""More than this share of samples at full scale (±32767) is reported as clipped."""
DEFAULT_LANG = "vi"
MANIFEST = "pack.json"
FORMAT = 1
VARIANTS = ("north", "central", "south")
PACK_ID = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{2,12})?")
"""A pack id: a language code, optionally a dialect (``vi``, ``vi-south``, ``hmn``)."""
CLIP_ID = re.compile(r"[A-Za-z0-9_]+(?:\.[0-9]+)?")
"""Clip ids as ``voices.compose`` makes them (also safe file names)."""
MAX_PACK_BYTES = 400 * 1024 * 1024
"""An imported pack larger than this (uncompressed) is refused."""


class PackError(ValueError):
    """A pack or its manifest is unusable; the message is one sentence for a technician."""


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


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / wav.getframerate()


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


# -- one pack -------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ClipInfo:
    """What the manifest says about one clip."""

    text: str | None
    """The words recorded (None in an old pack without a manifest: any text)."""
    by: str = ""
    """Who recorded it: a staff label of their choice."""
    at: str = ""
    """When, ISO 8601 with the time zone."""
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class PackInfo:
    """A pack's identity and voice settings (the manifest without its clips)."""

    id: str
    name: str
    """Shown on the language screen, e.g. "Tiếng Việt (giọng miền Nam)"."""
    lang: str
    """The phrase pack (screen language) whose ids and texts the clips speak."""
    variant: str = "north"
    tts: bool = True
    """False: a language with no synthesiser; pieces without a clip stay silent."""
    spoken_name: str = ""
    """How the language screen names it aloud (default: ``name``)."""

    @classmethod
    def default(cls, pack_id: str) -> PackInfo:
        lang = pack_id.split("-")[0]
        variant = pack_id.split("-")[1] if "-" in pack_id else "north"
        names = {"vi": "Tiếng Việt", "en": "English"}
        return cls(
            pack_id,
            names.get(lang, pack_id),
            lang,
            variant if variant in VARIANTS else "north",
            lang in ("vi", "en"),
        )


def check_pack_info(data: Any, where: str) -> PackInfo:
    """A manifest's header, validated; raises PackError naming ``where`` and the field."""
    if not isinstance(data, dict):
        raise PackError(f"{where}: expected a JSON object")
    if data.get("format", FORMAT) != FORMAT:
        raise PackError(f"{where}: format {data.get('format')!r}; this hotro reads format {FORMAT}")
    pack_id = data.get("id")
    if not isinstance(pack_id, str) or not PACK_ID.fullmatch(pack_id):
        raise PackError(f"{where}: id {pack_id!r} is not a pack id (e.g. vi, vi-south, hmn)")
    base = PackInfo.default(pack_id)
    text_fields = {}
    for key in ("name", "lang", "variant", "spoken_name"):
        value = data.get(key, getattr(base, key))
        if not isinstance(value, str):
            raise PackError(f"{where}: {key} must be text")
        text_fields[key] = _nfc(value)
    if text_fields["variant"] not in VARIANTS:
        raise PackError(f"{where}: variant must be one of {', '.join(VARIANTS)}")
    tts = data.get("tts", base.tts)
    if not isinstance(tts, bool):
        raise PackError(f"{where}: tts must be true or false")
    return PackInfo(pack_id, tts=tts, **text_fields)


class ClipPack:
    """One pack folder. Each WAV is checked once; a bad file is logged once and not used."""

    def __init__(self, folder: Path, info: PackInfo | None = None) -> None:
        self.folder = Path(folder)
        self._lock = threading.Lock()
        self._checked: dict[str, bool] = {}
        manifest = self.folder / MANIFEST
        self.legacy = not manifest.exists() and info is None
        self.clips: dict[str, ClipInfo] = {}
        self.stamp = 0
        """The manifest's modification time when this object last read or wrote it."""
        if manifest.exists():
            self.stamp = manifest.stat().st_mtime_ns
            self.info, self.clips = _read_manifest(manifest)
        elif info is not None:
            self.info = info
        else:
            pack_id = self.folder.name if PACK_ID.fullmatch(self.folder.name) else DEFAULT_LANG
            self.info = PackInfo.default(pack_id)
            self.clips = {p.stem: ClipInfo(None) for p in sorted(self.folder.glob("*.wav"))}

    @property
    def id(self) -> str:
        return self.info.id

    @property
    def lang(self) -> str:
        return self.info.lang

    def path(self, clip_id: str) -> Path:
        return self.folder / f"{clip_id}.wav"

    def has(self, clip_id: str, text: str) -> bool:
        """A good clip recorded for exactly ``text`` (any text in an old pack) exists."""
        info = self.clips.get(clip_id)
        if info is None or (info.text is not None and info.text != _nfc(text)):
            return False
        return self.good(clip_id)

    def good(self, clip_id: str) -> bool:
        ok = self._checked.get(clip_id)
        if ok is None:
            problem = check_clip(self.path(clip_id))
            ok = problem is None
            self._checked[clip_id] = ok
            if problem is not None:
                log.warning("speech: bad recorded clip, using synthesis instead: %s", problem)
        return ok

    def recorded(self, entries: Iterable[ScriptEntry]) -> list[ScriptEntry]:
        """The entries of a script this pack holds a good clip for (recorded for its text)."""
        return [e for e in entries if self.has(e.id, e.text)]

    # -- changing the pack (the desk's studio, import) ----------------------------------------
    def add(self, clip_id: str, text: str, wav: Path, by: str = "", at: str = "") -> ClipInfo:
        """Store ``wav`` (already checked) as ``clip_id``, recorded for ``text``."""
        if not CLIP_ID.fullmatch(clip_id):
            raise PackError(f"{clip_id!r} is not a clip id")
        problem = check_clip(wav)
        if problem is not None:
            raise PackError(str(problem))
        info = ClipInfo(_nfc(text), by.strip()[:60], at, round(wav_seconds(wav), 3))
        with self._lock:
            self.folder.mkdir(parents=True, exist_ok=True)
            target = self.path(clip_id)
            tmp = target.with_name(f".{clip_id}.{os.getpid()}.tmp")
            shutil.copyfile(wav, tmp)
            os.replace(tmp, target)
            self.clips[clip_id] = info
            self._checked.pop(clip_id, None)
            self.save()
        return info

    def save(self) -> None:
        """Write the manifest atomically (an old pack gains one)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        data = {
            "format": FORMAT,
            "id": self.info.id,
            "name": self.info.name,
            "spoken_name": self.info.spoken_name,
            "lang": self.info.lang,
            "variant": self.info.variant,
            "tts": self.info.tts,
            "clips": {
                cid: {"text": c.text, "by": c.by, "at": c.at, "seconds": c.seconds}
                for cid, c in sorted(self.clips.items())
            },
        }
        target = self.folder / MANIFEST
        tmp = target.with_name(f".{MANIFEST}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, target)
        self.stamp = target.stat().st_mtime_ns
        self.legacy = False


def _read_manifest(path: Path) -> tuple[PackInfo, dict[str, ClipInfo]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackError(f"{path}: cannot read the manifest ({exc})") from None
    info = check_pack_info(data, str(path))
    raw = data.get("clips", {})
    if not isinstance(raw, dict):
        raise PackError(f"{path}: clips must be an object of clip id to clip")
    clips: dict[str, ClipInfo] = {}
    for cid, c in raw.items():
        if not isinstance(cid, str) or not CLIP_ID.fullmatch(cid) or not isinstance(c, dict):
            raise PackError(f"{path}: clips.{cid}: not a clip id with its record")
        text = c.get("text")
        if not isinstance(text, str) or not text.strip():
            raise PackError(f"{path}: clips.{cid}.text: the recorded words are missing")
        seconds = c.get("seconds", 0.0)
        clips[cid] = ClipInfo(
            _nfc(text),
            str(c.get("by", "")),
            str(c.get("at", "")),
            float(seconds) if isinstance(seconds, int | float) else 0.0,
        )
    return info, clips


# -- the shelf of packs ---------------------------------------------------------------------------
def open_packs(root: Path) -> dict[str, ClipPack]:
    """Every pack on a shelf, by id. WAVs directly in ``root`` form the old-style pack ``vi``
    (a ``vi/`` sub-folder wins over them). A pack with a broken manifest is logged and skipped."""
    root = Path(root)
    packs: dict[str, ClipPack] = {}
    if not root.is_dir():
        return packs
    if any(root.glob("*.wav")):
        packs[DEFAULT_LANG] = ClipPack(root)
    for sub in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if not (sub / MANIFEST).exists() and not any(sub.glob("*.wav")):
            continue
        try:
            pack = ClipPack(sub)
        except PackError as exc:
            log.warning("speech: clip pack skipped: %s", exc)
            continue
        packs[pack.id] = pack
    return packs


def create_pack(root: Path, info: PackInfo) -> ClipPack:
    """A new, empty pack on the shelf (its manifest written). Raises PackError if it exists."""
    folder = Path(root) / info.id
    if (folder / MANIFEST).exists():
        raise PackError(f"pack {info.id!r} already exists in {root}")
    pack = ClipPack(folder, info)
    pack.save()
    return pack


def export_pack(pack: ClipPack, out: Path | io.BytesIO) -> int:
    """Write ``pack`` as a zip (``<id>/pack.json`` + ``<id>/<clip>.wav``); returns the clip
    count. Only good clips listed in the manifest are written."""
    if pack.legacy:
        pack.save()
    count = 0
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.write(pack.folder / MANIFEST, f"{pack.id}/{MANIFEST}")
        for cid in sorted(pack.clips):
            if pack.good(cid):
                zf.write(pack.path(cid), f"{pack.id}/{cid}.wav")
                count += 1
    return count


@dataclass
class ImportReport:
    pack_id: str
    clips: int
    skipped: list[str] = field(default_factory=list)
    """Clips left out, each with the reason."""


def import_pack(root: Path, source: Path | io.BytesIO) -> ImportReport:
    """Install a pack zip on the shelf, replacing a pack of the same id as a whole (atomically:
    the old pack stays until the new one is complete). Bad clips are left out and reported;
    a zip without a good manifest, with paths outside its pack folder, or too large is refused
    with PackError."""
    root = Path(root)
    try:
        zf = zipfile.ZipFile(source)
    except (OSError, zipfile.BadZipFile) as exc:
        raise PackError(f"not a clip pack zip file ({exc})") from None
    with zf:
        names = [i for i in zf.infolist() if not i.is_dir()]
        manifests = [i for i in names if i.filename.endswith("/" + MANIFEST)]
        if len(manifests) != 1:
            raise PackError(f"a pack zip holds exactly one <id>/{MANIFEST}")
        pack_id = manifests[0].filename.split("/")[0]
        if sum(i.file_size for i in names) > MAX_PACK_BYTES:
            raise PackError(f"the pack is larger than {MAX_PACK_BYTES // 2**20} MB")
        for i in names:
            parts = i.filename.split("/")
            if len(parts) != 2 or parts[0] != pack_id or parts[1].startswith("."):
                raise PackError(f"unexpected file {i.filename!r} in the pack zip")
        try:
            data = json.loads(zf.read(manifests[0]).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise PackError(f"{manifests[0].filename}: not a manifest ({exc})") from None
        info = check_pack_info(data, manifests[0].filename)
        if info.id != pack_id:
            raise PackError(f"the manifest says id {info.id!r} but the folder is {pack_id!r}")
        root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".import-{pack_id}-", dir=root))
        try:
            (staging / MANIFEST).write_bytes(zf.read(manifests[0]))
            _, listed = _read_manifest(staging / MANIFEST)
            report = ImportReport(pack_id, 0)
            kept: dict[str, ClipInfo] = {}
            for cid, clip in listed.items():
                member = f"{pack_id}/{cid}.wav"
                if member not in zf.namelist():
                    report.skipped.append(f"{cid}: no WAV in the zip")
                    continue
                target = staging / f"{cid}.wav"
                target.write_bytes(zf.read(member))
                problem = check_clip(target)
                if problem is not None:
                    report.skipped.append(f"{cid}: {problem.problem}")
                    target.unlink()
                    continue
                kept[cid] = clip
            pack = ClipPack(staging, info)
            pack.clips = kept
            pack.save()
            report.clips = len(kept)
            final = root / pack_id
            old = root / f".old-{pack_id}-{os.getpid()}"
            if final.exists():
                os.replace(final, old)
            os.replace(staging, final)
            shutil.rmtree(old, ignore_errors=True)
            return report
        finally:
            shutil.rmtree(staging, ignore_errors=True)


# -- checking a pack (hotro voices check) -------------------------------------------------------
@dataclass(frozen=True, slots=True)
class LanguageReport:
    """What one pack holds."""

    lang: str
    folder: Path
    covered: tuple[str, ...]
    """Clip ids with a good clip for today's text, sorted."""
    missing: tuple[str, ...]
    """Clip ids of the recording script (phrases, numbers, and the catalogue when given) with
    no usable clip."""
    problems: tuple[ClipProblem, ...]
    notes: tuple[str, ...] = ()
    """Warnings that do not make the pack bad (a clip whose text has changed since...)."""
    pack_id: str = ""


@dataclass(frozen=True, slots=True)
class PackReport:
    folder: Path
    languages: tuple[LanguageReport, ...]
    problems: tuple[ClipProblem, ...] = ()
    """Problems with the folder itself (missing, empty, broken manifest)."""

    @property
    def ok(self) -> bool:
        return not self.problems and all(not lang.problems for lang in self.languages)


def check_pack(
    folder: Path, composer_for: Callable[[PackInfo, PhrasePack], Composer] | None = None
) -> PackReport:
    """Check every clip of a shelf (or of one pack folder) against the recording script of its
    language. ``composer_for`` adds the catalogue's texts to the script (the CLI passes it)."""
    folder = Path(folder)
    if not folder.is_dir():
        return PackReport(folder, (), (ClipProblem(folder, "no such folder"),))
    try:
        packs = {"": ClipPack(folder)} if (folder / MANIFEST).exists() else open_packs(folder)
    except PackError as exc:
        return PackReport(folder, (), (ClipProblem(folder, str(exc)),))
    if not packs:
        return PackReport(
            folder, (), (ClipProblem(folder, "no clips", "WAV files named <clip id>.wav"),)
        )
    make = composer_for or (lambda info, pack: Composer(pack, info.variant))
    return PackReport(folder, tuple(_check_one(p, make) for p in packs.values()))


def _check_one(pack: ClipPack, make: Callable[[PackInfo, PhrasePack], Composer]) -> LanguageReport:
    problems: list[ClipProblem] = []
    notes: list[str] = []
    try:
        phrases: PhrasePack | None = load_pack(pack.lang)
    except PhraseError as exc:
        phrases = None
        problems.append(
            ClipProblem(pack.folder, f"no phrase pack for language {pack.lang!r}: {exc}")
        )
    script = {e.id: e for e in make(pack.info, phrases).script()} if phrases else {}
    covered = []
    for wav_path in sorted(pack.folder.glob("*.wav")):
        cid = wav_path.stem
        clip = pack.clips.get(cid)
        template = phrases is not None and cid in phrases and bool(phrases.placeholders_of(cid))
        known = cid in script or (phrases is not None and cid in phrases)
        if clip is not None and clip.text is not None and cid.startswith("t_"):
            known = text_clip_id(pack.lang, clip.text) == cid
        if not known:
            problems.append(
                ClipProblem(
                    wav_path, f"unknown clip id {cid!r}", f"an id of the {pack.lang} script"
                )
            )
            continue
        bad = check_clip(wav_path)
        if bad is not None:
            problems.append(bad)
            continue
        if template:
            notes.append(f"{wav_path.name}: phrase has placeholders; the clip is not used")
            continue
        if clip is None:
            notes.append(f"{wav_path.name}: not in {MANIFEST}; not used")
            continue
        entry = script.get(cid)
        if entry is not None and clip.text is not None and clip.text != entry.text:
            notes.append(
                f"{wav_path.name}: recorded as {clip.text!r}, the text is now {entry.text!r};"
                " synthesis is used until it is recorded again"
            )
            continue
        covered.append(cid)
    missing = sorted(set(script) - set(covered))
    return LanguageReport(
        pack.lang,
        pack.folder,
        tuple(covered),
        tuple(missing),
        tuple(problems),
        tuple(notes),
        pack.id,
    )


__all__ = [
    "ClipInfo",
    "ClipPack",
    "ClipProblem",
    "ImportReport",
    "PackError",
    "PackInfo",
    "check_clip",
    "check_pack",
    "create_pack",
    "export_pack",
    "import_pack",
    "open_packs",
]
