"""Vosk models: check a model folder's layout, install one from a zip, a folder or a URL, list.

A vosk model folder holds (the names vosk itself reads)::

    am/final.mdl            acoustic model
    conf/mfcc.conf          features (``--sample-frequency``, default 16000)
    conf/model.conf         decoder settings
    graph/HCLr.fst + graph/Gr.fst   lookahead graph: needed for restricted grammars
    graph/HCLG.fst          static graph: works, but ignores restricted grammars
    graph/words.txt         vocabulary (or the word symbols stored inside Gr.fst)
    ivector/...             optional speaker adaptation

Installed models live in ``<models_dir>/<lang>/<name>`` (``Config.models_dir``). Installing
copies the model there; recording it in the configuration is the caller's job (``hotro models
install`` does both). Errors are ``ModelError`` with one clear sentence.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import tempfile
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MODEL_URL = "https://alphacephei.com/vosk/models/vosk-model-small-vn-0.4.zip"
"""The official small Vietnamese model (about 32 MB zipped)."""

DEFAULT_URLS = {"vi": DEFAULT_MODEL_URL}
"""Default download per language for ``hotro models install`` with no usable local source."""

FST_MAGIC = 2125659606
"""OpenFst file header magic number."""

_FLAG_HAS_OSYMBOLS = 2


class ModelError(Exception):
    """The voice model is missing or broken. ``str(e)`` is one clear sentence."""


@dataclass(frozen=True, slots=True)
class ModelCheck:
    """What a model folder holds."""

    path: Path
    problems: tuple[str, ...] = ()
    """Missing or broken files, each "path: what is wrong" (empty when usable)."""
    grammar: bool = False
    """True when restricted grammars work (lookahead graph HCLr.fst + Gr.fst and a vocabulary)."""
    rate: int = 16000
    """The sample rate the model expects (``--sample-frequency`` in conf/mfcc.conf)."""

    @property
    def ok(self) -> bool:
        return not self.problems

    def sentence(self) -> str:
        """One sentence for a technician."""
        if self.ok:
            kind = "restricted grammars" if self.grammar else "free speech only (no grammars)"
            return f"{self.path}: a usable vosk model at {self.rate} Hz, {kind}."
        return f"{self.path} is not a usable vosk model: " + "; ".join(self.problems) + "."


@dataclass(frozen=True, slots=True)
class InstalledModel:
    """A model under ``<models_dir>/<lang>/<name>``."""

    lang: str
    name: str
    path: Path
    check: ModelCheck


def fst_has_output_symbols(path: Path) -> bool:
    """True when an OpenFst file stores its output symbol table (the vocabulary)."""
    try:
        with open(path, "rb") as f:
            (magic,) = struct.unpack("<i", f.read(4))
            if magic != FST_MAGIC:
                return False
            for _ in range(2):  # fst type, arc type
                (n,) = struct.unpack("<i", f.read(4))
                if not 0 <= n < 256:
                    return False
                f.read(n)
            _version, flags = struct.unpack("<ii", f.read(8))
            return bool(flags & _FLAG_HAS_OSYMBOLS)
    except (OSError, struct.error):
        return False


SYMBOL_TABLE_MAGIC = 2125658996


def model_vocabulary(model_dir: Path) -> tuple[str, ...]:
    """Every word of a model's vocabulary: ``graph/words.txt`` when the model has one, else
    the symbol table stored in ``graph/Gr.fst`` (OpenFst binary header). () when neither can
    be read. Used to pick the listener's decoy words (``voices.listen``)."""
    graph = Path(model_dir) / "graph"
    words_txt = graph / "words.txt"
    if words_txt.is_file():
        try:
            lines = words_txt.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return ()
        return tuple(line.split()[0] for line in lines if line.split())
    try:
        with open(graph / "Gr.fst", "rb") as f:

            def i32() -> int:
                return struct.unpack("<i", f.read(4))[0]

            def text() -> str:
                n = i32()
                if not 0 <= n < 1 << 20:
                    raise ValueError("bad string length")
                return f.read(n).decode("utf-8", errors="replace")

            if i32() != FST_MAGIC:
                return ()
            text(), text()  # fst type, arc type
            _version, flags = i32(), i32()
            f.read(32)  # properties, start, number of states, number of arcs
            if not flags & 3 or i32() != SYMBOL_TABLE_MAGIC:
                return ()
            text()  # table name
            _available, size = struct.unpack("<qq", f.read(16))
            words = []
            for _ in range(size):
                words.append(text())
                f.read(8)  # key
            return tuple(words)
    except (OSError, struct.error, ValueError):
        return ()


def with_decoder_options(model_dir: Path, options: dict[str, str]) -> Path:
    """A view of ``model_dir`` whose ``conf/model.conf`` has ``options`` (``{"lattice-beam":
    "8.0"}``) instead of its own values: every other file is a symbolic link to the original,
    so it costs no disk. vosk reads decoder settings only from that file. The view lives in the
    system's temporary folder, named after the model and the options (built once, shared by
    processes). Models without ``conf/model.conf`` (the old layout) and any failure to build
    the view give ``model_dir`` itself."""
    import hashlib

    model_dir = Path(model_dir).expanduser().resolve()
    conf = model_dir / "conf" / "model.conf"
    if not options or not conf.is_file():
        return model_dir
    try:  # a model replaced in place (another conf, other folders) gets a view of its own
        own = conf.read_bytes() + "|".join(sorted(p.name for p in model_dir.iterdir())).encode()
    except OSError:
        return model_dir
    key = hashlib.sha1(f"{model_dir}|{sorted(options.items())}|".encode() + own).hexdigest()[:16]
    view = Path(tempfile.gettempdir()) / f"hotro-vosk-{os.getuid()}" / f"{model_dir.name}-{key}"
    if (view / "conf" / "model.conf").is_file():
        return view
    try:
        lines = conf.read_text(encoding="utf-8").splitlines()
        kept = [ln for ln in lines if ln.strip().lstrip("-").split("=")[0] not in options]
        kept += [f"--{name}={value}" for name, value in sorted(options.items())]
        view.parent.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(prefix=".build-", dir=view.parent))
        for entry in model_dir.iterdir():
            if entry.name != "conf":
                (building / entry.name).symlink_to(entry)
        (building / "conf").mkdir()
        for entry in (model_dir / "conf").iterdir():
            if entry.name != "model.conf":
                (building / "conf" / entry.name).symlink_to(entry)
        (building / "conf" / "model.conf").write_text("\n".join(kept) + "\n", encoding="utf-8")
        try:
            building.rename(view)
        except OSError:  # another process built it first
            shutil.rmtree(building, ignore_errors=True)
        return view if (view / "conf" / "model.conf").is_file() else model_dir
    except OSError:
        return model_dir


def _is_fst(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            data = f.read(4)
        return len(data) == 4 and struct.unpack("<i", data)[0] == FST_MAGIC
    except OSError:
        return False


def _rate(mfcc_conf: Path) -> int:
    try:
        text = mfcc_conf.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return 16000
    match = re.search(r"--sample-frequency\s*=\s*(\d+)", text)
    return int(match.group(1)) if match else 16000


def verify_model(path: Path) -> ModelCheck:
    """Check the layout of a model folder; say precisely what is missing."""
    path = Path(path)
    if not path.exists():
        return ModelCheck(path, ("the folder does not exist",))
    if not path.is_dir():
        return ModelCheck(path, ("not a folder",))
    problems: list[str] = []
    for rel in ("am/final.mdl", "conf/mfcc.conf", "conf/model.conf"):
        f = path / rel
        if not f.is_file():
            problems.append(f"{rel} is missing")
        elif f.stat().st_size == 0:
            problems.append(f"{rel} is empty")
    graph = path / "graph"
    hclr, gr, hclg = graph / "HCLr.fst", graph / "Gr.fst", graph / "HCLG.fst"
    lookahead = hclr.is_file() and gr.is_file()
    if lookahead:
        for f in (hclr, gr):
            if not _is_fst(f):
                problems.append(f"graph/{f.name} is not an OpenFst file")
    elif hclg.is_file():
        if not _is_fst(hclg):
            problems.append("graph/HCLG.fst is not an OpenFst file")
    elif hclr.is_file() or gr.is_file():
        missing = "Gr.fst" if hclr.is_file() else "HCLr.fst"
        problems.append(
            f"graph/{missing} is missing (the lookahead graph needs HCLr.fst and Gr.fst)"
        )
    else:
        problems.append("graph/ has neither HCLr.fst + Gr.fst nor HCLG.fst")
    vocabulary = (graph / "words.txt").is_file() or (lookahead and fst_has_output_symbols(gr))
    grammar = lookahead and vocabulary and not problems
    if lookahead and not vocabulary:
        problems.append("graph/words.txt is missing and Gr.fst holds no word list")
    rate = _rate(path / "conf" / "mfcc.conf")
    return ModelCheck(path, tuple(problems), grammar, rate)


def find_model_root(folder: Path) -> Path | None:
    """The folder (``folder`` itself or one below it) that holds ``am/`` and ``conf/``."""
    folder = Path(folder)
    if (folder / "am").is_dir() and (folder / "conf").is_dir():
        return folder
    for dirpath, dirnames, _ in os.walk(folder):
        dirnames.sort()
        here = Path(dirpath)
        if (here / "am").is_dir() and (here / "conf").is_dir():
            return here
        if len(here.relative_to(folder).parts) >= 3:
            dirnames.clear()
    return None


def _safe_extract(archive: Path, dest: Path) -> None:
    try:
        with zipfile.ZipFile(archive) as zf:
            bad = zf.testzip()
            if bad is not None:
                raise ModelError(f"{archive}: the zip file is damaged ({bad} fails its checksum).")
            for member in zf.infolist():
                name = member.filename
                target = (dest / name).resolve()
                if name.startswith(("/", "\\")) or not target.is_relative_to(dest.resolve()):
                    raise ModelError(f"{archive}: the zip file holds an unsafe path {name!r}.")
            zf.extractall(dest)
    except zipfile.BadZipFile:
        raise ModelError(f"{archive} is not a readable zip file.") from None
    except (OSError, EOFError) as exc:
        raise ModelError(f"{archive}: cannot unpack the zip file ({exc}).") from None


def _download(url: str, dest: Path, timeout: float = 30.0) -> Path:
    target = dest / "download.zip"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp, open(target, "wb") as out:
            shutil.copyfileobj(resp, out, length=1 << 20)
    except (OSError, ValueError) as exc:
        raise ModelError(
            f"Cannot download {url} ({exc}); download the zip on another computer and run "
            "`hotro models install FILE.zip`."
        ) from None
    return target


def model_name_for(source: str) -> str:
    """A folder name for a model from its source (zip name, folder name or URL)."""
    base = source.rstrip("/\\").replace("\\", "/").rsplit("/", 1)[-1]
    if base.lower().endswith(".zip"):
        base = base[:-4]
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", base).strip("-.")
    return base or "model"


def install_model(
    source: str | Path, models_dir: Path, lang: str, name: str | None = None
) -> InstalledModel:
    """Copy a model from a zip file, a folder or an http(s) URL to ``models_dir/lang/name``.

    The model is verified before anything is replaced; a broken source leaves the installed
    models untouched. Raises ModelError (one sentence) on any problem.
    """
    if not re.fullmatch(r"[A-Za-z]{2,3}([_-][A-Za-z0-9]+)?", lang):
        raise ModelError(f"{lang!r} is not a language code; expected e.g. vi, en or ko.")
    text = str(source)
    name = name or model_name_for(text)
    target_parent = Path(models_dir) / lang
    target_parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".install-", dir=target_parent) as tmp:
        work = Path(tmp)
        if re.match(r"^https?://", text, re.IGNORECASE):
            archive: Path | None = _download(text, work)
            folder = None
        else:
            path = Path(text).expanduser()
            if not path.exists():
                raise ModelError(f"{path} does not exist; expected a model zip file or folder.")
            archive, folder = (None, path) if path.is_dir() else (path, None)
        if archive is not None:
            unpacked = work / "unpacked"
            unpacked.mkdir()
            _safe_extract(archive, unpacked)
            root = find_model_root(unpacked)
            where = str(source)
        else:
            assert folder is not None
            root = find_model_root(folder)
            where = str(folder)
        if root is None:
            raise ModelError(f"{where} holds no vosk model (no folder with am/ and conf/ in it).")
        check = verify_model(root)
        if not check.ok:
            raise ModelError(
                f"{where} is not a usable vosk model: " + "; ".join(check.problems) + "."
            )
        staged = work / "staged"
        if archive is not None:
            shutil.move(str(root), staged)
        else:
            shutil.copytree(root, staged)
        final = target_parent / name
        old = work / "old"
        if final.exists():
            final.rename(old)
        staged.rename(final)
    return InstalledModel(lang, name, final, verify_model(final))


def list_models(models_dir: Path) -> tuple[InstalledModel, ...]:
    """Every model folder under ``models_dir/<lang>/`` (sorted by language, then name)."""
    out: list[InstalledModel] = []
    models_dir = Path(models_dir)
    if not models_dir.is_dir():
        return ()
    for lang_dir in sorted(p for p in models_dir.iterdir() if p.is_dir()):
        for model_dir in sorted(p for p in lang_dir.iterdir() if p.is_dir()):
            if model_dir.name.startswith("."):
                continue
            out.append(
                InstalledModel(lang_dir.name, model_dir.name, model_dir, verify_model(model_dir))
            )
    return tuple(out)


def installed_model(models_dir: Path, lang: str) -> Path | None:
    """The usable installed model for ``lang`` (the last by name when several), or None."""
    usable = [m for m in list_models(models_dir) if m.lang == lang and m.check.ok]
    return usable[-1].path if usable else None
