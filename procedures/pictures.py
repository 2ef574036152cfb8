"""Pictograms: one picture per meaning, for residents who cannot read.

The pictures are PNG alpha masks (one colour on transparent) in ``procedures/icons/``, listed in
``procedures/icons/manifest.yaml``, which maps each meaning id to a picture and records where the
picture comes from (icon set, icon name, licence). ``scripts/make-icons.py`` makes the PNGs from
the manifest; nothing is converted at run time. This module only reads: it resolves a meaning id to
a file and checks the files, with the catalogue's file/field errors (``CatalogueError``).

Meaning ids are ``"<kind>/<name>"``: ``group/ho_tich``, ``procedure/1.001193``, ``paper/id_card``,
``service/vneid_help``, ``action/repeat``, ``priority/elderly``, ``need/low_vision``,
``delivery/post``, ``survey/satisfied``.

Usage::

    pictures = load_pictures()               # never raises for bad content
    pictures.errors                          # (CatalogueError(file, field, problem, expected), ...)
    pictures.path("paper/id_card")           # Path to id-card.png (KeyError if unknown)
    pictures.get(procedure.icon).relative    # "icons/baby.png" (the catalogue names meanings)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml
from PIL import Image, UnidentifiedImageError

from procedures.catalogue import (
    GROUPS_FILE,
    PAPERS_FILE,
    SERVICES_FILE,
    Catalogue,
    CatalogueError,
    _type_name,
    field_lines,
    line_of,
)

__all__ = [
    "KINDS",
    "MANIFEST_FILE",
    "MAX_BYTES",
    "MAX_PX",
    "MIN_PX",
    "PICTURE_PX",
    "Picture",
    "Pictures",
    "catalogue_picture_errors",
    "check_picture_file",
    "default_directory",
    "load_pictures",
]

KINDS = (
    "group",
    "procedure",
    "paper",
    "service",
    "action",
    "priority",
    "need",
    "delivery",
    "survey",
    "feedback",
)
"""Kinds of meaning, the first part of a meaning id."""

MANIFEST_FILE = "manifest.yaml"
"""The manifest inside the pictures folder."""

PICTURE_PX = 192
"""Side of the square PNGs that ``scripts/make-icons.py`` writes."""

MIN_PX, MAX_PX = 128, 512
"""Accepted sides of a square picture, in pixels (a replacement may be drawn at another size)."""

MAX_BYTES = 32_768
"""Largest accepted PNG file: the pictures are simple shapes and stay small."""

FRAMES = ("paper", "phone")
"""Frames a picture may put its emblem in (``frames`` in the manifest)."""

MADE_BY = "the PNG made by scripts/make-icons.py"
"""What a picture file is expected to be, in error messages."""

NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
"""A picture name, also its file name without ``.png``."""


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def default_directory() -> Path:
    """The shipped pictures folder, ``procedures/icons``."""
    return Path(__file__).resolve().parent / "icons"


@dataclass(frozen=True, slots=True)
class Picture:
    """One meaning's picture and where it comes from."""

    meaning: str
    """Meaning id, e.g. ``paper/id_card``."""
    name: str
    """Picture name, e.g. ``id-card`` (several meanings may share one picture)."""
    path: Path
    """The PNG file."""
    source_set: str
    """Icon set id from the manifest's ``sets``, e.g. ``mdi``."""
    icon: str
    """The icon's name in that set, e.g. ``card-account-details``."""
    frame: str | None
    """``paper`` or ``phone`` when the icon is drawn inside that frame, else ``None``."""
    licence: str
    """SPDX licence id of what the picture is made from, e.g. ``Apache-2.0``."""

    @property
    def relative(self) -> str:
        """The file's path relative to the ``procedures`` package, e.g. ``icons/id-card.png``."""
        return f"{self.path.parent.name}/{self.path.name}"


@dataclass(frozen=True, eq=False)
class Pictures:
    """Every meaning with a valid picture, and the problems found while loading."""

    by_meaning: Mapping[str, Picture]
    """Meaning id -> picture; meanings whose picture has a problem are left out."""
    errors: tuple[CatalogueError, ...] = ()

    def get(self, meaning: str) -> Picture | None:
        return self.by_meaning.get(meaning)

    def path(self, meaning: str) -> Path:
        """The PNG for ``meaning``; ``KeyError`` naming the meaning when it has none."""
        picture = self.by_meaning.get(meaning)
        if picture is None:
            raise KeyError(f"no picture for {meaning!r}")
        return picture.path


def check_picture_file(path: Path) -> list[tuple[str, str]]:
    """Problems with one picture file, as ``(problem, expected)`` pairs; empty when it is fine.

    A picture is a square PNG of ``MIN_PX`` to ``MAX_PX`` pixels and at most ``MAX_BYTES``, with
    an alpha channel (mode ``LA`` or ``RGBA``), some shape in it, and one colour wherever it is not
    transparent: the screen tints it with the theme's text colour and the printer prints it black.
    """
    if not path.is_file():
        return [("is missing", MADE_BY)]
    size = path.stat().st_size
    if size > MAX_BYTES:
        return [(f"is {size} bytes", f"at most {MAX_BYTES} bytes")]
    try:
        with Image.open(path) as image:
            image_format = image.format
            image.load()
            image = image.copy()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return [("is not a readable image", MADE_BY)]
    if image_format != "PNG":
        return [(f"is a {image_format} image, not a PNG", MADE_BY)]
    problems: list[tuple[str, str]] = []
    width, height = image.size
    if width != height or not MIN_PX <= width <= MAX_PX:
        problems.append(
            (f"is {width} x {height} pixels", f"a square of {MIN_PX} to {MAX_PX} pixels")
        )
    if image.mode not in ("LA", "RGBA"):
        problems.append(
            (f"has mode {image.mode} (no transparency)", "mode LA or RGBA: a shape on transparent")
        )
        return problems
    alpha = image.getchannel("A")
    if alpha.getbbox() is None:
        problems.append(("is fully transparent", "a visible shape"))
        return problems
    shown = alpha.point(_SHOWN)
    for band in image.getbands()[:-1]:
        channel = image.getchannel(band)
        # the lowest and highest value where the picture shows (hidden pixels filled in)
        lowest = Image.composite(channel, Image.new("L", image.size, 255), shown).getextrema()[0]
        highest = Image.composite(channel, Image.new("L", image.size, 0), shown).getextrema()[1]
        if lowest != highest:
            problems.append(
                (
                    "has more than one colour where it is not transparent",
                    "a single-colour shape (the colour is set by the screen or printer)",
                )
            )
            break
    return problems


_SHOWN = [0] + [255] * 255
"""Lookup table: any alpha above zero counts as shown."""


def load_pictures(directory: Path | None = None, *, check_files: bool = True) -> Pictures:
    """Read the manifest in ``directory`` (default: the shipped one) and check every picture.

    Never raises for bad content: problems are returned in ``Pictures.errors`` and the meanings
    they touch are left out. ``check_files=False`` skips opening the PNGs (only checks they exist).
    """
    folder = directory or default_directory()
    errors: list[CatalogueError] = []
    manifest_path = folder / MANIFEST_FILE

    def error(field: str, problem: str, expected: str, file: str = MANIFEST_FILE) -> None:
        errors.append(CatalogueError(file, field, problem, expected))

    try:
        data = yaml.load(manifest_path.read_text(encoding="utf-8"), Loader=_Loader)
    except FileNotFoundError:
        error("", "is missing", f"the pictures manifest in {folder}")
        return Pictures({}, tuple(errors))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        error("", f"is not valid YAML{where}", "valid YAML (check indentation and quotes)")
        return Pictures({}, tuple(errors))
    if not isinstance(data, dict):
        error("", "is not a mapping", "sets, frames, pictures and meanings")
        return Pictures({}, tuple(errors))
    for key in data:
        if key not in ("sets", "frames", "pictures", "meanings"):
            error(str(key), "is not a known field", "sets, frames, pictures or meanings")

    sets: dict[str, str] = {}  # set id -> licence
    for set_id, info in _mapping(data, "sets", error).items():
        if isinstance(info, dict) and isinstance(info.get("licence"), str):
            sets[str(set_id)] = info["licence"]
        else:
            error(f"sets.{set_id}.licence", "is missing", "the set's SPDX licence id")
    frames: dict[str, str] = {}  # frame -> the set its shape comes from
    for frame, source in _mapping(data, "frames", error).items():
        if frame not in FRAMES:
            error(f"frames.{frame}", "is not a known frame", f"one of: {', '.join(FRAMES)}")
        elif not isinstance(source, dict) or source.get("set") not in sets:
            error(f"frames.{frame}.set", "is not a set in sets", f"one of: {', '.join(sets)}")
        else:
            frames[frame] = source["set"]

    pictures: dict[str, Picture] = {}
    bad_pictures: set[str] = set()
    for name, spec in _mapping(data, "pictures", error).items():
        field = f"pictures.{name}"
        picture = _picture(str(name), spec, field, sets, frames, folder, error)
        if picture is None:
            bad_pictures.add(str(name))
            continue
        if check_files:
            problems = check_picture_file(picture.path)
        else:
            problems = [] if picture.path.is_file() else [("is missing", MADE_BY)]
        for problem, expected in problems:
            error("", problem, expected, file=picture.path.name)
        if problems:
            bad_pictures.add(str(name))
        else:
            pictures[str(name)] = picture

    by_meaning: dict[str, Picture] = {}
    for kind, entries in _mapping(data, "meanings", error).items():
        if kind not in KINDS:
            error(f"meanings.{kind}", "is not a known kind", f"one of: {', '.join(KINDS)}")
            continue
        if not isinstance(entries, dict):
            error(f"meanings.{kind}", "is not a mapping", "meaning name: picture name")
            continue
        for meaning_name, picture_name in entries.items():
            field = f"meanings.{kind}.{meaning_name}"
            if not isinstance(meaning_name, str):
                error(
                    field,
                    f"is {_type_name(meaning_name)}, not a name",
                    "a name in quotes (YAML reads yes, no, on, off and 1.5 as values)",
                )
            elif not isinstance(picture_name, str):
                error(field, f"is {_type_name(picture_name)}", "a picture name from pictures")
            elif picture_name in pictures:
                meaning = f"{kind}/{meaning_name}"
                by_meaning[meaning] = replace(pictures[picture_name], meaning=meaning)
            elif picture_name not in bad_pictures:
                error(field, f"{picture_name!r} is not a picture in pictures", "a picture name")
    return Pictures(by_meaning, tuple(errors))


def _mapping(data: dict[str, Any], key: str, error: Any) -> dict[Any, Any]:
    value = data.get(key)
    if value is None:
        error(key, "is missing", "a mapping")
        return {}
    if not isinstance(value, dict):
        error(key, f"is {_type_name(value)}", "a mapping")
        return {}
    return value


def _picture(
    name: str,
    spec: Any,
    field: str,
    sets: dict[str, str],
    frames: dict[str, str],
    folder: Path,
    error: Any,
) -> Picture | None:
    """One ``pictures`` entry as a ``Picture`` (meaning not yet set), or ``None`` after errors."""
    if not NAME_RE.match(name):
        error(field, "is not a valid picture name", "lower-case letters, digits and hyphens")
        return None
    if not isinstance(spec, dict):
        error(field, f"is {_type_name(spec)}", "a mapping with set, icon and licence")
        return None
    ok = True
    for key in spec:
        if key not in ("set", "icon", "frame", "licence"):
            error(f"{field}.{key}", "is not a known field", "set, icon, frame or licence")
            ok = False
    for key in ("set", "icon", "licence"):
        if not isinstance(spec.get(key), str) or not spec.get(key):
            error(f"{field}.{key}", "is missing", "text")
            ok = False
    if not ok:
        return None
    source_set, frame = spec["set"], spec.get("frame")
    if source_set not in sets:
        error(f"{field}.set", f"{source_set!r} is not a set in sets", f"one of: {', '.join(sets)}")
        return None
    if frame is not None and frame not in frames:
        expected = f"one of: {', '.join(frames)}"
        error(f"{field}.frame", f"{frame!r} is not a frame in frames", expected)
        return None
    used = {sets[source_set]} | ({sets[frames[frame]]} if frame is not None else set())
    licence = spec["licence"]
    if set(licence.split(" AND ")) != used:
        error(
            f"{field}.licence",
            f"{licence!r} does not match the sets it is made from",
            " AND ".join(sorted(used)),
        )
        return None
    return Picture("", name, folder / f"{name}.png", source_set, spec["icon"], frame, licence)


def catalogue_picture_errors(catalogue: Catalogue, pictures: Pictures) -> list[CatalogueError]:
    """Every ``icon`` of the catalogue (groups, procedures, papers, services) that names no
    picture of ``pictures``: a meaning the manifest does not list, or one whose PNG has a
    problem (``pictures.errors`` says which). Each error names the catalogue file, the field
    and its line, like the loader's own errors."""
    folder = catalogue.directory
    lines: dict[str, dict[str, int]] = {}

    def error(file: str, field: str, meaning: str) -> CatalogueError:
        if file not in lines:
            lines[file] = field_lines(folder / file) if folder is not None else {}
        return CatalogueError(
            file,
            field,
            f"'{meaning}' has no picture",
            "a meaning listed in procedures/icons/manifest.yaml whose PNG is valid",
            line_of(lines[file], field),
        )

    errors = []
    for i, group in enumerate(catalogue.groups, start=1):
        if pictures.get(group.icon) is None:
            errors.append(error(GROUPS_FILE, f"groups[{i}].icon", group.icon))
    for paper in catalogue.shared_papers.values():
        if pictures.get(paper.icon) is None:
            errors.append(error(PAPERS_FILE, f"papers.{paper.id}.icon", paper.icon))
    for proc in catalogue.procedures.values():
        if pictures.get(proc.icon) is None:
            errors.append(error(f"{proc.slug}.yaml", "icon", proc.icon))
    for i, service in enumerate(catalogue.services.values(), start=1):
        if pictures.get(service.icon) is None:
            errors.append(error(SERVICES_FILE, f"services[{i}].icon", service.icon))
    return errors
