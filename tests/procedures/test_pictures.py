"""The pictograms: every meaning has one, each is a clean single-colour shape, each survives print.

Reads the real committed PNGs (nothing is mocked). The print check renders each picture the way a
203 dpi thermal printer would print it 8 mm tall (64 dots, 1 bit) and checks that it keeps its
structure: as many separate parts and enclosed holes as the 192 px original. Contact sheets of the
64-dot prints and of the pictures at 120 px on black and on white are written to
``test-artifacts/pictures/`` for a person to look at.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml
from PIL import Image, ImageDraw, ImageFont

from procedures import load_catalogue
from procedures.pictures import (
    MANIFEST_FILE,
    PICTURE_PX,
    catalogue_picture_errors,
    check_picture_file,
    default_directory,
    load_pictures,
)
from voices.phrases import load_pack

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "pictures"
ICONS = default_directory()

PRINT_DOTS = round(8 / 25.4 * 203)
"""8 mm at 203 dpi: the smallest size a paper's picture is printed on the slip."""

PAPERS = (
    "id_card",
    "vneid",
    "birth_paper",
    "residence_paper",
    "marriage_paper",
    "death_paper",
    "photo",
    "authorisation",
    "medical_paper",
    "disability_paper",
    "form",
    "copy",
    "original",
    "land_certificate",
    "will",
    "contract",
    "poverty_paper",
    "merit_paper",
    "witness",
    "court_paper",
    "police_paper",
    "paper",
)
SERVICES = (
    "vneid_help",
    "submit_online",
    "track_application",
    "pay_online",
    "pick_up_result",
    "late_result",
    "feedback",
    "write_declaration",
    "read_aloud",
    "meet_officer",
)
ACTIONS = ("next_page", "previous_page", "yes", "no", "print", "type")
"""Actions beyond the pack's ``command_*`` ids (which are derived below)."""


def required_meanings() -> set[str]:
    """Every meaning the terminal, the slip and the services need a picture for."""
    catalogue = load_catalogue()
    pack = load_pack("vi")
    wanted = {f"group/{group.id}" for group in catalogue.groups}
    wanted |= {"group/lien_thong", "group/viec_khac"}
    wanted |= {f"procedure/{code}" for code in catalogue.procedures}
    wanted |= {f"paper/{name}" for name in PAPERS}
    wanted |= {paper.icon for paper in catalogue.shared_papers.values()}
    wanted |= {f"service/{name}" for name in SERVICES}
    wanted |= {f"action/{name}" for name in ACTIONS}
    prefixes = {
        "command_": "action",
        "button_priority_": "priority",
        "button_need_": "need",
        "button_delivery_": "delivery",
        "button_survey_": "survey",
    }
    for phrase_id in pack.ids:
        for prefix, kind in prefixes.items():
            if phrase_id.startswith(prefix):
                wanted.add(f"{kind}/{phrase_id.removeprefix(prefix)}")
    return wanted


def test_every_meaning_has_a_picture() -> None:
    pictures = load_pictures()
    assert pictures.errors == ()
    wanted = required_meanings()
    assert len([m for m in wanted if m.startswith("procedure/")]) == 39
    assert {"action/repeat", "action/call_staff", "priority/elderly", "need/wheelchair",
            "delivery/post", "survey/unsatisfied"} <= wanted  # fmt: skip
    missing = sorted(wanted - set(pictures.by_meaning))
    assert missing == [], f"meanings without a picture: {missing}"
    for meaning in wanted:
        assert pictures.path(meaning).is_file()


def test_every_picture_is_a_clean_single_colour_shape() -> None:
    manifest = yaml.safe_load((ICONS / MANIFEST_FILE).read_text(encoding="utf-8"))
    names = set(manifest["pictures"])
    files = {path.stem for path in ICONS.glob("*.png")}
    assert files == names, "every PNG is in the manifest and every manifest picture has a PNG"
    used = {name for entries in manifest["meanings"].values() for name in entries.values()}
    assert used == names, f"pictures no meaning uses: {sorted(names - used)}"
    for name in sorted(names):
        path = ICONS / f"{name}.png"
        assert check_picture_file(path) == [], name
        with Image.open(path) as image:
            assert (image.mode, image.size) == ("LA", (PICTURE_PX, PICTURE_PX)), name
            # white shape on transparent: the screen multiplies white by the theme's text colour
            assert image.getchannel("L").getextrema() == (255, 255), name
            # trimmed to the shape: its longer side spans the square, up to the 4 px margins
            left, top, right, bottom = image.getchannel("A").getbbox()
            far = PICTURE_PX - 5
            assert (left <= 5 and right >= far) or (top <= 5 and bottom >= far), name
        assert path.stat().st_size <= 8192, f"{name}: {path.stat().st_size} bytes"


def test_pictures_are_recognisable_printed_in_1_bit_at_8_mm() -> None:
    """Enough ink, not a blob: at 64 dots each picture keeps its parts and holes."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    report = []
    names = sorted(path.stem for path in ICONS.glob("*.png"))
    for name in names:
        with Image.open(ICONS / f"{name}.png") as image:
            alpha = image.getchannel("A")
        printed = one_bit(alpha, PRINT_DOTS)
        original = one_bit(alpha, PICTURE_PX)
        ink = printed.mean()
        got, want = structure(printed), structure(original)
        report.append(f"{name:20} ink {ink:.2f} parts {got[0]}/{want[0]} holes {got[1]}/{want[1]}")
        assert 0.12 <= ink <= 0.80, f"{name}: ink covers {ink:.0%} of the square at 8 mm"
        assert got == want, (
            f"{name}: at {PRINT_DOTS} dots it has {got[0]} parts and {got[1]} holes, "
            f"the original {want[0]} and {want[1]}: detail is lost in print"
        )
    (ARTIFACTS / "print-8mm.txt").write_text("\n".join(report) + "\n", encoding="utf-8")
    write_contact_sheets(names)
    print("\n".join(report))


def one_bit(alpha: Image.Image, side: int) -> np.ndarray:
    """The mask scaled to ``side`` dots and cut at half coverage, as the slip renderer prints."""
    if alpha.size != (side, side):
        alpha = alpha.resize((side, side), Image.Resampling.LANCZOS)
    return np.asarray(alpha) >= 128


def structure(ink: np.ndarray) -> tuple[int, int]:
    """(separate parts of ink, 8-connected; enclosed holes, 4-connected background)."""
    return _components(ink, eight=True)[0], _components(~ink, eight=False)[1]


def _components(mask: np.ndarray, *, eight: bool) -> tuple[int, int]:
    """(components, components not touching the border), labelled by runs of each row."""
    parent: list[int] = []

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    border: set[int] = set()
    previous: list[tuple[int, int, int]] = []
    height, width = mask.shape
    reach = 1 if eight else 0
    for y in range(height):
        row = np.concatenate(([False], mask[y], [False]))
        edges = np.flatnonzero(row[1:] != row[:-1])
        runs = []
        for start, end in zip(edges[::2], edges[1::2], strict=True):
            label = len(parent)
            parent.append(label)
            for p_start, p_end, p_label in previous:
                if p_start < end + reach and start < p_end + reach:
                    parent[find(p_label)] = find(label)
            if y in (0, height - 1) or start == 0 or end == width:
                border.add(label)
            runs.append((int(start), int(end), label))
        previous = runs
    roots = {find(i) for i in range(len(parent))}
    touching = {find(i) for i in border}
    return len(roots), len(roots - touching)


def write_contact_sheets(names: list[str]) -> None:
    """The 64-dot prints (drawn 3x, one square per dot) and 120 px on black and on white."""
    columns = 10
    rows = -(-len(names) // columns)
    sheets = {
        "print-8mm-1bit.png": (PRINT_DOTS * 3, (255, 255, 255), (0, 0, 0)),
        "screen-120px-on-white.png": (120, (255, 255, 255), (0, 0, 0)),
        "screen-120px-on-black.png": (120, (0, 0, 0), (255, 255, 0)),
    }
    for file, (side, background, colour) in sheets.items():
        cell = max(side + 30, 150)
        sheet = Image.new("RGB", (columns * cell, rows * cell), background)
        draw = ImageDraw.Draw(sheet)
        font = ImageFont.load_default(size=13)
        for i, name in enumerate(names):
            x, y = (i % columns) * cell, (i // columns) * cell
            with Image.open(ICONS / f"{name}.png") as image:
                alpha = image.getchannel("A")
            if file.startswith("print"):
                dots = Image.fromarray(one_bit(alpha, PRINT_DOTS).astype(np.uint8) * 255)
                mask = dots.resize((side, side), Image.Resampling.NEAREST)
            else:
                mask = alpha.resize((side, side), Image.Resampling.LANCZOS)
            sheet.paste(colour, (x + (cell - side) // 2, y + 4), mask)
            draw.text((x + 4, y + side + 8), name, fill=(110, 110, 110), font=font)
        sheet.save(ARTIFACTS / file)


def test_a_meaning_resolves_to_its_file_relative_to_the_package() -> None:
    pictures = load_pictures(check_files=False)
    own = pictures.get("procedure/1.001193")
    assert own is not None and own.name == "baby" and own.relative == "icons/baby.png"
    assert (ICONS.parent / own.relative).is_file()
    with pytest.raises(KeyError, match="paper/no_such_paper"):
        pictures.path("paper/no_such_paper")


# --- the catalogue names its pictures ----------------------------------------------------------


def test_every_group_procedure_paper_and_service_of_the_catalogue_has_a_picture() -> None:
    """Every entry states its picture in the data (no shipped entry relies on the default)."""
    catalogue = load_catalogue()
    pictures = load_pictures()
    assert catalogue_picture_errors(catalogue, pictures) == []
    data = catalogue.directory
    groups = yaml.safe_load((data / "groups.yaml").read_text(encoding="utf-8"))["groups"]
    assert all(group["icon"] == f"group/{group['id']}" for group in groups)
    papers = yaml.safe_load((data / "papers.yaml").read_text(encoding="utf-8"))["papers"]
    assert len(papers) == len(catalogue.shared_papers)
    assert all(paper["icon"].startswith("paper/") for paper in papers.values())
    for proc in catalogue.procedures.values():
        raw = yaml.safe_load((data / f"{proc.slug}.yaml").read_text(encoding="utf-8"))
        assert raw["icon"] == proc.icon == f"procedure/{proc.code}", proc.slug
    # the papers offered as alternatives of one paper look different from each other
    for paper in catalogue.shared_papers.values():
        icons = [catalogue.shared_papers[a].icon for a in paper.any_of]
        assert len(set(icons)) == len(icons) or paper.id == "giay-bao-tu-hoac-trich-luc-khai-tu"


def test_check_names_each_icon_without_a_picture(folder, write, model, paper_list) -> None:
    from terminal.commands.procedures import catalogue_problems

    model["code"], model["icon"] = "9.999999", "procedure/9.999999"  # its own, with no picture
    write(model)
    paper_list["papers"]["giay-uy-quyen"]["icon"] = "paper/letter"
    (folder / "papers.yaml").write_text(
        yaml.safe_dump(paper_list, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    _, problems = catalogue_problems(folder)
    found = [str(p) for p in problems if "has no picture" in p.problem]
    expected = "a meaning listed in procedures/icons/manifest.yaml whose PNG is valid"
    assert found == [
        "papers.yaml: papers.giay-uy-quyen.icon: 'paper/letter' has no picture; "
        f"expected {expected}",
        f"dang-ky-khai-sinh.yaml: icon: 'procedure/9.999999' has no picture; expected {expected}",
    ]
    assert [p.line for p in problems if "has no picture" in p.problem][1] == 6


def test_check_opens_every_picture_file(broken: Path, folder, write, model) -> None:
    """A missing or broken PNG is an error of its own, and so is every icon that uses it."""
    from terminal.commands.procedures import catalogue_problems

    write(model)
    (broken / "baby.png").unlink()
    Image.new("LA", (100, 120), (255, 255)).save(broken / "form.png")
    _, problems = catalogue_problems(folder, broken)
    messages = [str(p) for p in problems]
    assert "baby.png: is missing; expected the PNG made by scripts/make-icons.py" in messages
    assert "form.png: is 100 x 120 pixels; expected a square of 128 to 512 pixels" in messages
    bad = {(p.file, p.field) for p in problems if "has no picture" in p.problem}
    assert ("dang-ky-khai-sinh.yaml", "icon") in bad
    assert ("papers.yaml", "papers.to-khai-khai-sinh.icon") in bad


def test_every_picture_records_its_source_and_licence() -> None:
    pictures = load_pictures(check_files=False)
    manifest = yaml.safe_load((ICONS / MANIFEST_FILE).read_text(encoding="utf-8"))
    for picture in pictures.by_meaning.values():
        assert picture.source_set in manifest["sets"]
        assert picture.icon and picture.licence == "Apache-2.0"
    attribution = (ROOT / "LICENSES" / "ICONS.md").read_text(encoding="utf-8")
    for info in manifest["sets"].values():
        assert info["name"] in attribution and info["author"] in attribution
        assert f"{info['package']}@{info['version']}" in attribution
    assert (ROOT / "LICENSES" / "Apache-2.0.txt").is_file()


# --- errors in a broken copy of the manifest and the files ---------------------------------


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A copy of the shipped pictures folder that each test can break one way."""
    folder = tmp_path / "icons"
    shutil.copytree(ICONS, folder)
    return folder


def edit(folder: Path, change: object) -> None:
    path = folder / MANIFEST_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def messages(folder: Path) -> list[str]:
    return [str(error) for error in load_pictures(folder).errors]


def test_manifest_errors_name_the_field(broken: Path) -> None:
    def change(data: dict) -> None:
        data["pictures"]["baby"]["set"] = "openmoji"
        data["pictures"]["candle"]["licence"] = "MIT"
        data["pictures"]["house"]["colour"] = "red"
        data["pictures"]["tick"]["frame"] = "box"
        data["meanings"]["paper"]["id_card"] = "id-cards"
        data["meanings"]["gadget"] = {"x": "tick"}
        data["meanings"]["action"][True] = data["meanings"]["action"].pop("yes")

    edit(broken, change)
    assert sorted(messages(broken)) == sorted(
        [
            "manifest.yaml: pictures.baby.set: 'openmoji' is not a set in sets; "
            "expected one of: material-symbols, mdi",
            "manifest.yaml: pictures.candle.licence: 'MIT' does not match the sets it is made "
            "from; expected Apache-2.0",
            "manifest.yaml: pictures.house.colour: is not a known field; "
            "expected set, icon, frame or licence",
            "manifest.yaml: pictures.tick.frame: 'box' is not a frame in frames; "
            "expected one of: paper, phone",
            "manifest.yaml: meanings.action.True: is yes/no, not a name; "
            "expected a name in quotes (YAML reads yes, no, on, off and 1.5 as values)",
            "manifest.yaml: meanings.gadget: is not a known kind; expected one of: group, "
            "procedure, paper, service, action, priority, need, delivery, survey, feedback",
            "manifest.yaml: meanings.paper.id_card: 'id-cards' is not a picture in pictures; "
            "expected a picture name",
        ]
    )
    pictures = load_pictures(broken)
    # meanings of a broken picture are left out, every other one stays
    assert pictures.get("procedure/1.001193") is None
    assert pictures.get("procedure/1.000894") is not None
    assert pictures.get("paper/id_card") is None


def test_invalid_yaml_is_reported_with_its_line(broken: Path) -> None:
    (broken / MANIFEST_FILE).write_text("sets:\n  mdi: [\n", encoding="utf-8")
    assert messages(broken) == [
        "manifest.yaml: is not valid YAML at line 3; "
        "expected valid YAML (check indentation and quotes)"
    ]
    (broken / MANIFEST_FILE).unlink()
    assert messages(broken)[0].startswith("manifest.yaml: is missing; expected the pictures")


def test_file_errors_say_what_is_wrong(broken: Path) -> None:
    (broken / "baby.png").unlink()
    (broken / "candle.png").write_text("not an image", encoding="utf-8")
    Image.new("LA", (192, 192)).convert("RGB").save(broken / "cross.jpg", "JPEG")
    (broken / "cross.jpg").replace(broken / "cross.png")
    Image.new("LA", (100, 120), (255, 255)).save(broken / "tick.png")
    Image.new("RGB", (192, 192), "white").save(broken / "house.png")
    Image.new("LA", (192, 192), (255, 0)).save(broken / "printer.png")
    two_colours = Image.new("RGBA", (192, 192), (0, 0, 0, 0))
    two_colours.paste((255, 0, 0, 255), (0, 0, 96, 192))
    two_colours.paste((0, 0, 255, 255), (96, 0, 192, 192))
    two_colours.save(broken / "keyboard.png")
    Image.effect_noise((128, 128), 64).convert("LA").save(broken / "map.png")
    assert sorted(messages(broken)) == [
        "baby.png: is missing; expected the PNG made by scripts/make-icons.py",
        "candle.png: is not a readable image; expected the PNG made by scripts/make-icons.py",
        "cross.png: is a JPEG image, not a PNG; expected the PNG made by scripts/make-icons.py",
        "house.png: has mode RGB (no transparency); "
        "expected mode LA or RGBA: a shape on transparent",
        "keyboard.png: has more than one colour where it is not transparent; "
        "expected a single-colour shape (the colour is set by the screen or printer)",
        "map.png: has more than one colour where it is not transparent; "
        "expected a single-colour shape (the colour is set by the screen or printer)",
        "printer.png: is fully transparent; expected a visible shape",
        "tick.png: is 100 x 120 pixels; expected a square of 128 to 512 pixels",
    ]
    assert load_pictures(broken).get("action/type") is None
    assert load_pictures(broken).get("action/help") is not None


def test_a_hand_drawn_rgba_replacement_in_one_colour_is_accepted(broken: Path) -> None:
    shape = Image.new("RGBA", (256, 256), (0, 0, 0, 0))
    ImageDraw.Draw(shape).ellipse((16, 16, 240, 240), fill=(20, 20, 20, 255))
    shape.save(broken / "question.png")
    assert check_picture_file(broken / "question.png") == []
    assert load_pictures(broken).errors == ()


def test_a_broken_set_or_frame_leaves_out_only_what_uses_it(broken: Path) -> None:
    def change(data: dict) -> None:
        data["frames"]["phone"] = "mdi"
        data["sets"]["material-symbols"] = {"name": "Material Symbols"}

    edit(broken, change)
    errors = messages(broken)
    assert "manifest.yaml: frames.phone.set: is not a set in sets; expected one of: mdi" in errors
    assert (
        "manifest.yaml: sets.material-symbols.licence: is missing; "
        "expected the set's SPDX licence id"
    ) in errors
    assert (
        "manifest.yaml: pictures.phone-id.frame: 'phone' is not a frame in frames; "
        "expected one of: paper"
    ) in errors
    pictures = load_pictures(broken)
    assert pictures.get("paper/vneid") is None and pictures.get("group/ho_tich") is None
    assert pictures.get("action/faster") is not None  # an mdi picture
