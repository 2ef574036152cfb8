"""Make the pictograms in procedures/icons/ from the icon sets named in its manifest.

Reads procedures/icons/manifest.yaml, installs each icon set's npm package at the pinned version
into build/icon-sources/ (npm, once), checks the package's licence against the manifest, draws
each picture's SVG with cairosvg, and writes a 192 x 192 PNG alpha mask: a white shape on
transparent (mode LA), trimmed to the shape and centred with a 4 px margin. A picture with a
``frame`` draws its icon, smaller, inside a sheet of paper or a phone.

Usage (from the repository root; needs npm and the ``icons`` extra):

    .venv/bin/pip install -e '.[icons]'
    .venv/bin/python scripts/make-icons.py            # write every PNG
    .venv/bin/python scripts/make-icons.py --check    # exit 1 if a committed PNG differs
    .venv/bin/python scripts/make-icons.py --only baby,paper-baby

Nothing here runs on the terminal: the PNGs are committed and the package ships them.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from PIL import Image, ImageChops

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from procedures.pictures import (  # noqa: E402
    MANIFEST_FILE,
    PICTURE_PX,
    default_directory,
    load_pictures,
)

SOURCES = ROOT / "build" / "icon-sources"
"""Where the npm packages are installed (ignored by git)."""

DRAW_PX = 768
"""Side of the high-resolution drawing that is composed, trimmed and scaled down."""

MARGIN_PX = 4
"""Transparent margin around the shape in the final PNG."""

UNITS = 24
"""Both sets draw on a 24 x 24 grid; frame boxes below are in these units."""

EMBLEM_BOX = {
    # x, y, side of the square the emblem is fitted into, inside the frame's icon
    "paper": (6.4, 9.4, 11.2),  # mdi file-outline: the sheet below the folded corner
    "phone": (7.6, 7.4, 8.8),  # mdi cellphone: the screen
}


def ensure_package(package: str, version: str) -> Path:
    """The installed package folder, installing ``package@version`` with npm when needed."""
    folder = SOURCES / "node_modules" / package
    meta = folder / "package.json"
    if meta.is_file() and json.loads(meta.read_text())["version"] == version:
        return folder
    if shutil.which("npm") is None:
        sys.exit("make-icons: npm is needed to fetch the icon sets (apt-get install npm)")
    SOURCES.mkdir(parents=True, exist_ok=True)
    print(f"make-icons: npm install {package}@{version}", file=sys.stderr)
    subprocess.run(
        [
            "npm",
            "install",
            "--prefix",
            str(SOURCES),
            "--no-audit",
            "--no-fund",
            f"{package}@{version}",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    if json.loads(meta.read_text())["version"] != version:
        sys.exit(f"make-icons: npm did not install {package}@{version}")
    return folder


class IconSet:
    """One Iconify JSON icon set, as installed from npm."""

    def __init__(self, set_id: str, info: dict[str, str]) -> None:
        folder = ensure_package(info["package"], str(info["version"]))
        self.data = json.loads((folder / "icons.json").read_text())
        meta = json.loads((folder / "info.json").read_text())
        licence = meta["license"]["spdx"]
        if licence != info["licence"]:
            sys.exit(f"make-icons: {set_id} is {licence}, the manifest says {info['licence']}")
        self.set_id = set_id

    def svg(self, icon: str) -> str:
        """The icon as a standalone SVG in black, on its own view box."""
        icons, aliases = self.data["icons"], self.data.get("aliases", {})
        name = icon
        while name not in icons:
            if name not in aliases:
                sys.exit(f"make-icons: {self.set_id} has no icon {icon!r}")
            if set(aliases[name]) - {"parent"}:
                sys.exit(
                    f"make-icons: {self.set_id}:{icon} is a transformed alias; name its parent"
                )
            name = aliases[name]["parent"]
        entry = icons[name]
        width = entry.get("width", self.data.get("width", 16))
        height = entry.get("height", self.data.get("height", 16))
        if (width, height) != (UNITS, UNITS):
            sys.exit(f"make-icons: {self.set_id}:{icon} is {width}x{height}, expected 24x24")
        body = entry["body"].replace("currentColor", "#000")
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{DRAW_PX}" height="{DRAW_PX}">{body}</svg>'
        )


def draw(svg: str) -> Image.Image:
    """The SVG's coverage as an 8-bit mask, ``DRAW_PX`` square."""
    import cairosvg

    png = cairosvg.svg2png(bytestring=svg.encode(), output_width=DRAW_PX, output_height=DRAW_PX)
    return Image.open(io.BytesIO(png)).getchannel("A")


def fit(mask: Image.Image, side: int) -> Image.Image:
    """The mask trimmed to its shape and scaled (aspect kept) to fit a ``side`` square."""
    shape = mask.crop(mask.getbbox())
    scale = side / max(shape.size)
    size = (max(1, round(shape.width * scale)), max(1, round(shape.height * scale)))
    return shape.resize(size, Image.Resampling.LANCZOS)


def picture(
    spec: dict[str, str], frames: dict[str, dict[str, str]], sets: dict[str, IconSet]
) -> Image.Image:
    """The finished PNG image (mode LA, white on transparent) for one manifest entry."""
    mask = draw(sets[spec["set"]].svg(spec["icon"]))
    frame = spec.get("frame")
    if frame:
        source = frames[frame]
        outer = draw(sets[source["set"]].svg(source["icon"]))
        x, y, side = (v * DRAW_PX / UNITS for v in EMBLEM_BOX[frame])
        emblem = fit(mask, round(side))
        placed = Image.new("L", outer.size, 0)
        placed.paste(
            emblem, (round(x + (side - emblem.width) / 2), round(y + (side - emblem.height) / 2))
        )
        mask = ImageChops.lighter(outer, placed)
    shape = fit(mask, PICTURE_PX - 2 * MARGIN_PX)
    alpha = Image.new("L", (PICTURE_PX, PICTURE_PX), 0)
    alpha.paste(shape, ((PICTURE_PX - shape.width) // 2, (PICTURE_PX - shape.height) // 2))
    white = Image.new("L", alpha.size, 255)
    return Image.merge("LA", (white, alpha))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    parser.add_argument("--only", help="comma-separated picture names")
    args = parser.parse_args()

    folder = default_directory()
    manifest = yaml.safe_load((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    sets = {set_id: IconSet(set_id, info) for set_id, info in manifest["sets"].items()}
    frames = manifest["frames"]
    wanted = set(args.only.split(",")) if args.only else set(manifest["pictures"])
    unknown = wanted - set(manifest["pictures"])
    if unknown:
        sys.exit(f"make-icons: not in the manifest: {', '.join(sorted(unknown))}")

    differ = []
    for name in sorted(wanted):
        image = picture(manifest["pictures"][name], frames, sets)
        path = folder / f"{name}.png"
        if args.check:
            if not path.is_file():
                differ.append(f"{path.name}: is missing")
                continue
            with Image.open(path) as old:
                same = (
                    old.mode == "LA"
                    and ImageChops.difference(old.convert("LA"), image).getbbox() is None
                )
            if not same:
                differ.append(f"{path.name}: differs from what the manifest makes")
        else:
            image.save(path, optimize=True)
    if args.check:
        print(f"make-icons: {len(wanted) - len(differ)} of {len(wanted)} pictures as committed")
    else:
        print(f"make-icons: wrote {len(wanted)} pictures to {folder}")
    orphans = sorted(p.name for p in folder.glob("*.png") if p.stem not in manifest["pictures"])
    differ += [f"{name}: is not in the manifest" for name in orphans]
    # what the terminal's loader will say about the result
    differ += [str(error) for error in load_pictures(folder).errors]
    for line in differ:
        print(line)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
