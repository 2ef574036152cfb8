"""The Kivy terminal in a real window (SDL offscreen, or Xvfb), driven by real touches.

One subprocess runs ``kivy_driver.py`` (Kivy allows one window per process); it saves a
screenshot of every screen in every theme and text size to ``test-artifacts/terminal/`` and a
report. The checks below read the pixels of those screenshots.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image

from terminal.screens import SCREENS

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "terminal"
DRIVER = Path(__file__).with_name("kivy_driver.py")

pytestmark = pytest.mark.real


def _run_driver(tmp: Path, size: str = "1920x1080", artifacts: Path = ARTIFACTS) -> None:
    env = {
        **os.environ,
        "HOTRO_DRIVER_SIZE": size,
        "KIVY_NO_ARGS": "1",
        "KIVY_HOME": str(tmp / "kivy"),
        "HOTRO_HOME": str(tmp / "home"),
        "SDL_AUDIODRIVER": "dummy",
        "SDL_VIDEODRIVER": "offscreen",
        "KIVY_WINDOW": "sdl2",
    }
    cmd = [sys.executable, str(DRIVER), str(artifacts)]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    offscreen = proc
    # Xvfb only when SDL's offscreen driver gave no window; a crash of the app itself is
    # reported as it is, not hidden by a second, luckier run
    started = (artifacts / "window.up").exists()
    if proc.returncode != 0 and not started and shutil.which("xvfb-run"):
        env.pop("SDL_VIDEODRIVER")
        cmd = ["xvfb-run", "-a", "-s", f"-screen 0 {size}x24", *cmd]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, (
        f"offscreen (exit {offscreen.returncode}): {offscreen.stderr[-3000:]}"
        f"{offscreen.stdout[-1000:]}\n"
        f"xvfb-run (exit {proc.returncode}): {proc.stderr[-3000:]}{proc.stdout[-1000:]}\n"
        + _kivy_logs(tmp / "kivy")
    )


def _kivy_logs(kivy_home: Path) -> str:
    """The tail of each run's Kivy log: the app and the driver turn Kivy's console log off
    (KIVY_NO_CONSOLELOG), so a Kivy failure (no window provider, a GL error) is only there."""
    logs = sorted((kivy_home / "logs").glob("*.txt"))
    return (
        "\n".join(
            f"--- {log.name}\n" + "\n".join(log.read_text("utf-8", "replace").splitlines()[-40:])
            for log in logs
        )
        or f"(no Kivy log in {kivy_home / 'logs'})"
    )


def _walk(tmp: Path, size: str, artifacts: Path) -> dict:
    reuse = os.environ.get("HOTRO_REUSE_KIVY_ARTIFACTS") == "1"  # for working on the checks
    if not (reuse and (artifacts / "report.json").exists()):
        if artifacts.exists():
            shutil.rmtree(artifacts)
        artifacts.mkdir(parents=True)
        _run_driver(tmp, size, artifacts)
    data = json.loads((artifacts / "report.json").read_text(encoding="utf-8"))
    assert "error" not in data, data["error"]
    data["artifacts"] = str(artifacts)
    return data


WALKS = {"1920x1080": ARTIFACTS, "1366x768": ARTIFACTS.with_name("terminal-1366x768")}
"""The screen sizes walked, and where each walk's screenshots go."""


@pytest.fixture(scope="module")
def walks(tmp_path_factory) -> dict[str, Future[dict]]:
    """Starts the real Kivy app (SDL2 + Mesa) in one process per size of ``WALKS``, all at once,
    and walks a visit by touch in each: 1920×1080 and a 15.6" 1366×768 panel. Side by side they
    take about as long as the slower one alone (measured on 2 cores: 146 s, against 161 s and
    139 s one after the other). Each walk's failure stays its own: only the tests of that size
    fail with it."""
    tmps = {size: tmp_path_factory.mktemp("kivy") for size in WALKS}
    with ThreadPoolExecutor(len(WALKS)) as pool:
        running = {
            size: pool.submit(_walk, tmps[size], size, artifacts)
            for size, artifacts in WALKS.items()
        }
    return running  # both done: leaving the pool waited for them


@pytest.fixture(scope="module")
def report(walks) -> dict:
    """The walk at 1920×1080."""
    return walks["1920x1080"].result()


@pytest.fixture(scope="module")
def small_report(walks) -> dict:
    """The same walk on a 15.6" 1366×768 panel (real Kivy, a second process)."""
    return walks["1366x768"].result()


@pytest.fixture(params=["1920x1080", "1366x768"])
def walked(request) -> dict:
    return request.getfixturevalue("report" if request.param == "1920x1080" else "small_report")


def _luminance(rgb: tuple[int, ...]) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _text_contrast(region: Image.Image) -> float:
    """Background = the commonest colour; text = the colour (seen often) furthest from it."""
    counts = sorted(region.getcolors(maxcolors=1 << 16), reverse=True)
    background = counts[0][1]
    frequent = [c for n, c in counts[1:40] if n >= 15]
    assert frequent, "no text drawn in this region"
    return max(contrast(background, c) for c in frequent)


def _shots(report: dict, screen: str | None = None) -> list[dict]:
    return [s for s in report["shots"] if screen is None or s["screen"] == screen]


def test_real_touches_walk_a_whole_visit(report):
    reached = [screen for _, screen in report["touched"]]
    for screen in (
        "language",
        "home",
        "help",
        "staff",
        "group",
        "procedure",
        "paper",
        "priority",
        "needs",
        "delivery",
        "confirm",
        "print_failed",
        "printed",
        "survey",
        "thanks",
        "attract",
    ):
        assert screen in reached
    kinds = [e[0] for e in report["journal"]]
    assert kinds.index("record_case") < kinds.index("record_print")


def test_every_screen_in_every_theme_and_size_has_a_screenshot(walked):
    report = walked
    seen = {(s["screen"], s["theme"], s["size"]) for s in report["shots"]}
    screens = set(SCREENS) - {"printing", "error_journal"}
    for screen in screens:
        assert len({(t, z) for (n, t, z) in seen if n == screen}) == 9, screen
    files = [shot["file"] for shot in report["shots"]]
    assert len(files) == len(set(files))
    for name in files:
        assert (Path(report["artifacts"]) / name).stat().st_size > 5000


def test_title_text_contrast_is_at_least_7_to_1_in_the_pixels(report):
    worst = 99.0
    for shot in report["shots"]:
        x, y, w, h = shot["title_box"]
        assert y >= 0, f"{shot['file']}: the title is pushed off the screen"
        with Image.open(ARTIFACTS / shot["file"]) as im:
            region = im.convert("RGB").crop((x, y, x + min(w, 900), y + h))
            worst = min(worst, _text_contrast(region))
    assert worst >= 7.0


def test_button_text_is_7_to_1_and_borders_3_to_1_in_the_pixels(report):
    for shot in _shots(report, "home") + _shots(report, "paper") + _shots(report, "help"):
        with Image.open(ARTIFACTS / shot["file"]) as im:
            rgb = im.convert("RGB")
            page_bg = max(rgb.crop((0, 0, rgb.width, 8)).getcolors(1 << 16))[1]
            for key, x, y, w, h, _line in shot["buttons"]:
                if y + h > rgb.height or y < 0:
                    continue
                inside = rgb.crop((x + 12, y + 12, x + w - 12, y + h - 12))
                assert _text_contrast(inside) >= 7.0, (shot["file"], key)
                border = rgb.getpixel((x + 1, y + h // 2))
                assert contrast(border, page_bg) >= 3.0, (shot["file"], key)


def test_buttons_are_at_least_9_mm_and_apart(report):
    px = report["px_per_mm"]
    for shot in report["shots"]:
        boxes = [b for b in shot["buttons"] if b[2] + b[4] <= report["window"][1]]
        for key, _x, _y, w, h, _line in boxes:
            assert h >= 9 * px and w >= 9 * px, (shot["file"], key, w, h)
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                dx = max(b[1] - (a[1] + a[3]), a[1] - (b[1] + b[3]))
                dy = max(b[2] - (a[2] + a[4]), a[2] - (b[2] + b[4]))
                assert max(dx, dy) >= 2 * px, (shot["file"], a[0], b[0])


def test_normal_text_has_capitals_at_least_6_mm(report):
    caps = report["cap_mm"]
    assert caps["normal"] >= 6.0
    assert caps["normal"] < caps["large"] < caps["largest"]


def test_the_focus_is_a_thick_border(report):
    key = report["focus_key"]
    shot = next(
        s
        for s in report["shots"]
        if s["tag"] == "home-focus" and s["theme"] == "black_on_white" and s["size"] == "normal"
    )
    with Image.open(ARTIFACTS / shot["file"]) as im:
        rgb = im.convert("RGB")

        def border_width(box: list) -> int:
            _, x, y, w, h, _line = box
            inner = rgb.getpixel((x + w // 2, y + h // 2 - 2))
            row = [rgb.getpixel((x + i, y + h // 2)) for i in range(30)]
            return sum(1 for c in row[:20] if contrast(c, (240, 240, 240)) > 3) if inner else 0

        focused = next(b for b in shot["buttons"] if b[0] == key)
        other = next(b for b in shot["buttons"] if b[0] != key and b[0].startswith("group:"))
        assert border_width(focused) >= 2 * border_width(other) >= 4


def test_speech_stops_within_100_ms_of_a_touch(report):
    latencies = report["stop_latency"]
    assert latencies and all(t is not None and t < 0.1 for t in latencies)


def test_print_failure_shows_a_qr_code_that_decodes(report):
    """Also on the "staff are coming" screen opened from it: the QR stays for staff to scan."""
    import zxingcpp

    staff = [s for s in _shots(report, "staff") if s["tag"] == "staff-print-failed"]
    assert staff and report["staff_over_failure_qr"]
    for shot in [s for s in _shots(report, "print_failed") + staff if s["part"] == 1]:
        with Image.open(ARTIFACTS / shot["file"]) as im:
            found = zxingcpp.read_barcodes(im.convert("RGB"))
        assert [r.text for r in found] == [shot["qr"]], shot["file"]


def test_the_idle_warning_is_on_screen(report):
    for shot in _shots(report, "home"):
        if shot["tag"] == "home-warning":
            with Image.open(ARTIFACTS / shot["file"]) as im:
                rgb = im.convert("RGB")
                x, y, w, h = shot["title_box"]
                band = rgb.crop((x, y + h + 4, x + 400, y + h + 40))
                colours = max(band.getcolors(1 << 16))[1]
                page = rgb.getpixel((5, 5))
                assert contrast(colours, page) > 3  # the warning box is inverted


def test_keypad_keys_through_the_window_choose_repeat_and_go_back(report):
    (k1, s1, _, said1), (k2, s2, _, said2), (k3, s3, _, _) = report["keys"]
    assert s1 == "group" and said1.startswith("Bảo trợ xã hội")
    assert s2 == "group" and said2 == said1  # Enter with nothing focused: said again
    assert s3 == "home"


def test_hotro_run_windowed_starts_on_the_embedded_defaults(tmp_path):
    """Starts `hotro run --windowed` (real Kivy, VoiceOut, journal, key) with no config file."""
    import time

    env = {
        **os.environ,
        "HOTRO_HOME": str(tmp_path / "home"),
        "KIVY_HOME": str(tmp_path / "kivy"),
        "SDL_VIDEODRIVER": "offscreen",
        "SDL_AUDIODRIVER": "dummy",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "terminal.cli", "run", "--windowed"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if (tmp_path / "home" / "centre.key").exists() and (
                tmp_path / "home" / "journal.sqlite3"
            ).exists():
                time.sleep(3)  # let the window open and run a few frames
                break
            time.sleep(0.2)
        assert proc.poll() is None, (proc.returncode, proc.communicate()[1][-1500:])
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=20)
    # Kivy logs one traceback when it probes for libmtdev (an optional multitouch library)
    assert err.count("Traceback") == err.count("cannot open shared object file"), err[-2000:]
    assert "voice input: off" in err


def test_f12_opens_the_staff_status_which_speaks_nothing_and_any_key_closes(report):
    text = report["status_text"]
    assert "Journal" in text and "Printer" in text and ("OK" in text or "FAIL" in text)
    assert report["status_silent"] and report["status_closed"]


def test_the_app_tells_systemd_it_is_ready_and_feeds_the_watchdog(report):
    messages = report["notify"]
    assert any("READY=1" in m for m in messages), messages
    assert sum("WATCHDOG=1" in m for m in messages) >= 2, messages


def test_no_thrown_away_widget_still_follows_the_looks(report):
    """A theme change must never reach a widget a render threw away: Kivy unbinds its kv
    rules only when it is collected, which a thread may do halfway (CI, 2026-12-06: the
    kiosk stopped with a ReferenceError). With the cycle collector off, after three renders,
    every observer of the app's looks belongs to a widget still on screen or in a part. The
    whole walk also runs with a thread collecting garbage all the time (as the kiosk's workers
    may), which stopped it with that ReferenceError before the fix."""
    assert report["stale_rules"] == [], report["stale_rules"][:10]
    assert report["collections"] > 100  # the collecting thread ran through the walk


def _inside(box: list, width: int, height: int) -> bool:
    x, y, w, h = box
    return x >= 0 and y >= 0 and x + w <= width and y + h <= height


def test_nothing_is_hidden_every_piece_is_whole_on_screen_in_some_part(walked):
    """Every screen × theme × text size: title and footer always show; every label and button
    is wholly inside the window and above the footer; every choice is shown in some part."""
    width, height = walked["window"]
    shown: dict[tuple, set] = {}
    for shot in walked["shots"]:
        where = (shot["file"], shot["part"], shot["parts"])
        assert _inside(shot["title_box"], width, height), where
        below_title = shot["title_box"][1] + shot["title_box"][3]
        for text, *box in shot["labels"]:  # the pieces between title and footer
            assert box[1] >= below_title - 1, (where, text, "runs into the title")
        for key, *box, _line in shot["buttons"]:
            assert box[1] >= below_title - 1, (where, key, "runs into the title")
        for text, *box in shot["labels"]:
            assert _inside(box, width, height), (where, text)
            assert box[1] + box[3] <= shot["footer_top"] or box[1] >= shot["footer_top"], where
        for key, *box, _line in shot["buttons"]:
            assert _inside(box, width, height), (where, key)
        combo = (shot["tag"], shot["theme"], shot["size"])
        shown.setdefault(combo, set()).update(b[0] for b in shot["buttons"])
    for shot in walked["shots"]:
        combo = (shot["tag"], shot["theme"], shot["size"])
        missing = {k for k, _ in shot["option_numbers"]} - shown[combo]
        assert not missing, (combo, missing)


def test_no_text_touches_the_edge_of_its_button(walked):
    """From the pixels: a ring just inside every button's border is the button's own colour,
    so no text runs into or past the border (clipped or overflowing), at every size."""
    bad = []
    for shot in walked["shots"]:
        button = walked["themes"][shot["theme"]]["button"]
        colour = tuple(round(c * 255) for c in button[:3])
        with Image.open(Path(walked["artifacts"]) / shot["file"]) as im:
            rgb = im.convert("RGB")
            for key, x, y, w, h, line in shot["buttons"]:
                inset = line + 2
                ring = [(x + inset + i, y + inset) for i in range(0, w - 2 * inset, 3)]
                ring += [(x + inset + i, y + h - inset - 1) for i in range(0, w - 2 * inset, 3)]
                ring += [(x + inset, y + inset + j) for j in range(0, h - 2 * inset, 3)]
                ring += [(x + w - inset - 1, y + inset + j) for j in range(0, h - 2 * inset, 3)]
                off = [
                    p
                    for p in ring
                    if max(abs(a - b) for a, b in zip(rgb.getpixel(p), colour, strict=True)) > 24
                ]
                if off:
                    bad.append((shot["file"], key, off[:3]))
    assert not bad, bad[:10]


def test_option_numbers_are_the_same_at_every_size(walked):
    numbers: dict[tuple, set] = {}
    for shot in walked["shots"]:
        key = (shot["tag"], shot["theme"])
        numbers.setdefault(key, set()).add(tuple(map(tuple, shot["option_numbers"])))
    assert all(len(v) == 1 for v in numbers.values()), [k for k, v in numbers.items() if len(v) > 1]


def test_the_footer_grows_with_the_text(walked):
    tops = {
        s["size"]: s["footer_top"] for s in walked["shots"] if s["tag"] == "home" and s["part"] == 1
    }
    assert tops["normal"] > tops["large"] > tops["largest"]


def test_take_the_slip_is_always_in_view_on_the_printed_screen(walked):
    printed = [s for s in walked["shots"] if s["screen"] == "printed"]
    assert printed
    for shot in printed:
        assert shot["title_text"].startswith("Mời ông/bà lấy phiếu ở khe máy in"), shot["file"]


def test_the_ask_screen_shows_and_speaks_the_distinguishing_question(report):
    q = report["question"]
    assert q["screen"] == "ask"
    assert q["title"] == "Giấy khai sinh đã làm lần nào chưa?"
    assert q["said"].startswith("Giấy khai sinh đã làm lần nào chưa?")
    assert "Đã làm, nhưng giấy và sổ gốc đều mất" in q["buttons"]["answer:2"]
    assert ", 3 Đã làm, nhưng giấy và sổ gốc đều mất," in q["said"]
    assert q["chosen"] == ["procedure", "1.004884"]  # the touched answer leads to its procedure


def test_the_not_done_here_screen_shows_speaks_and_prints_the_referral(report):
    r = report["referral"]
    text = "Hộ chiếu do Công an tỉnh (phòng xuất nhập cảnh) cấp."
    assert r["screen"] == "none"
    assert r["title"] == "Việc này không làm ở đây"
    assert any(text in t for t in r["texts"])
    assert text in r["said"]
    assert {"print_referral", "staff", "other"} <= set(r["buttons"])
    assert r["printed"] and r["printed"][0][0] == "Hộ chiếu"
    assert r["after_print"].startswith("Đã in xong")


def test_the_page_position_is_beside_the_title(report):
    home = [s for s in report["shots"] if s["tag"] == "home"]
    assert home and all(s["title_text"].endswith("(Trang 1 trên 2)") for s in home)


PHONE = "0912345678"


def test_help_with_vneid_by_touch_ends_in_a_ticket_and_a_short_slip(report):
    v = report["vneid"]
    assert v["screen"] == "service"
    assert v["title"] == "Hỗ trợ tài khoản VNeID"
    assert "Nơi phục vụ: Quầy Hỗ trợ dịch vụ công trực tuyến" in v["texts"]
    assert "Quầy Hỗ trợ dịch vụ công trực tuyến" in v["said"]
    service, topic, call_back, ticket, payload = v["case"]
    assert (service, topic, call_back) == ("vneid_help", "", False)
    assert ticket.startswith("A-")
    printed = v["printed"]
    assert printed["screen"] == "printed"
    assert any("Thẻ căn cước" in t for t in printed["texts"])  # what to bring, read first
    assert "Thẻ căn cước" in printed["said"]


def test_a_result_asked_about_in_her_own_words_leads_to_the_result_counter(report):
    r = report["result"]
    assert r["screen"] == "ask"
    assert r["title"] == "Ông/bà đã nộp hồ sơ đăng ký khai sinh chưa?"
    assert r["said"].startswith("Ông bà đã nộp hồ sơ đăng ký khai sinh chưa?")
    assert r["buttons"]["answer:1"].endswith("Đã nộp, tôi đến nhận kết quả")
    assert r["chosen"] == "pick_up_result"
    assert r["case"][0] == "pick_up_result" and r["case"][3].startswith("U-")


def test_feedback_with_a_call_back_by_keypad_and_touch_keeps_the_number_apart(report):
    f = report["feedback"]
    consent = f["consent"]
    assert consent["screen"] == "consent"
    assert any("không in ra giấy" in t for t in consent["texts"])
    assert "không in ra giấy" in consent["said"]
    # every digit said alone as it was typed, keypad or screen; "." deleted the last one
    typed = [items for items in f["typed"] if items != ["Đã xoá số cuối."]]
    assert [items[-1] for items in typed] == [*PHONE[:6], PHONE[5], *PHONE[6:]]
    assert ["Đã xoá số cuối."] in f["typed"]
    assert any("Số đã bấm: 0912 345 678" in t for t in f["phone"]["texts"])
    assert f["check"]["screen"] == "phone_check"
    assert f["check_items"][1:11] == list(PHONE)  # read back one digit an item
    service, topic, call_back, ticket, payload = f["case"]
    assert (service, topic, call_back) == ("feedback", "waiting", True)
    assert PHONE not in payload
    assert f["printed"]["screen"] == "printed"
    assert not any(PHONE in t or "0912 345 678" in t for t in f["printed"]["texts"])
    assert f["visit_phone"] == ""  # gone from the visit once the case is recorded
    assert ["record_feedback", "waiting", PHONE] in report["journal"]  # the journal alone
    assert report["log"] and not any(PHONE in line or "numpad9" in line for line in report["log"])


PAD_KEYS = ("digit:", "char:", "tone:", "space", "delete", "read_on")
"""Buttons without a picture: keys of the on-screen pads (the digit or letter is the picture)
and "read on" (its words begin with an arrow)."""


def _measure_picture(rgb: Image.Image, box: list, button: tuple[int, ...]) -> tuple:
    """(ink height px, ink colour, share of the box inked) of a picture drawn at ``box``: ink
    is every pixel at least 1.5:1 against the button colour."""
    import numpy as np

    x, y, w, h = box
    region = np.asarray(rgb.crop((x - 2, y - 2, x + w + 2, y + h + 2)), dtype=np.float64) / 255
    linear = np.where(region <= 0.04045, region / 12.92, ((region + 0.055) / 1.055) ** 2.4)
    lum = linear @ np.array([0.2126, 0.7152, 0.0722])
    base = _luminance(button)
    ratio = (np.maximum(lum, base) + 0.05) / (np.minimum(lum, base) + 0.05)
    ink = ratio >= 1.5
    rows = np.flatnonzero(ink.any(axis=1))
    if rows.size == 0:
        return 0, button, 0.0
    colours, counts = np.unique(region[ink].reshape(-1, 3), axis=0, return_counts=True)
    colour = tuple(int(round(c * 255)) for c in colours[counts.argmax()])
    return int(rows[-1] - rows[0] + 1), colour, float(ink.sum()) / (w * h)


def test_every_button_shows_its_picture_10_mm_tall_in_the_text_colour(walked):
    """Issue 19, from the pixels of every screenshot (every screen × theme × text size, at
    1920×1080 and 1366×768): every button but the pad keys has its picture; the drawn part is
    at least 10 mm tall at the kiosk's pixels per millimetre, inside the button, tinted in the
    theme's button text colour, with at least 3:1 contrast against the button."""
    px = walked["px_per_mm"]
    heights, contrasts, checked = [], [], 0
    for shot in walked["shots"]:
        theme = walked["themes"][shot["theme"]]
        button = tuple(round(c * 255) for c in theme["button"][:3])
        text = tuple(round(c * 255) for c in theme["button_text"][:3])
        pictures = shot["pictures"]
        with Image.open(Path(walked["artifacts"]) / shot["file"]) as im:
            rgb = im.convert("RGB")
        for key, bx, by, bw, bh, _line in shot["buttons"]:
            if key.startswith(PAD_KEYS):
                continue
            assert key in pictures, (shot["file"], key, "has no picture")
            meaning, x, y, w, h = pictures[key]
            assert bx < x and x + w < bx + bw and by < y and y + h < by + bh, (shot["file"], key)
            height, colour, inked = _measure_picture(rgb, [x, y, w, h], button)
            where = (shot["file"], key, meaning)
            assert inked >= 0.1, where  # a shape is drawn, not an empty box
            assert height >= 10 * px, (where, height / px)
            assert max(abs(a - b) for a, b in zip(colour, text, strict=True)) <= 8, where
            assert contrast(colour, button) >= 3.0, where
            heights.append(height / px)
            contrasts.append(contrast(colour, button))
            checked += 1
    assert checked > 500
    print(f"{checked} pictures: height >= {min(heights):.1f} mm, contrast >= {min(contrasts):.1f}")


def _overlap(a: list, b: list) -> bool:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


def test_the_subject_picture_is_20_mm_tall_beside_the_first_lines(walked):
    """Issue 19, from the pixels: on the paper (every stage), procedure, service and group
    screens the picture of what the screen is about shows in the first part, beside the first
    lines, at least 20 mm tall, in the theme's text colour, at least 3:1 against the page, and
    covers no text or button (every theme × text size, 1920×1080 and 1366×768)."""
    px = walked["px_per_mm"]
    width, height = walked["window"]
    heights, contrasts, screens = [], {}, set()
    for shot in walked["shots"]:
        meaning, drawn = shot["subject_meaning"], shot["subject"]
        where = (shot["file"], meaning)
        if not meaning:
            assert drawn is None, where
            continue
        if shot["part"] == 1:
            assert drawn is not None, (where, "not drawn")
        if drawn is None:
            continue
        assert drawn[0] == meaning, where
        box = drawn[1:]
        assert _inside(box, width, height), where
        assert box[1] >= shot["title_box"][1] + shot["title_box"][3], (where, "on the title")
        assert box[1] + box[3] <= shot["footer_top"], (where, "on the footer")
        for _text, *other in shot["labels"]:
            assert not _overlap(box, other), (where, _text)
        for key, *other, _line in shot["buttons"]:
            assert not _overlap(box, other), (where, key)
        theme = walked["themes"][shot["theme"]]
        page = tuple(round(c * 255) for c in theme["background"][:3])
        text = tuple(round(c * 255) for c in theme["text"][:3])
        with Image.open(Path(walked["artifacts"]) / shot["file"]) as im:
            drawn_height, colour, inked = _measure_picture(im.convert("RGB"), box, page)
        assert inked >= 0.1, where
        assert drawn_height >= 20 * px, (where, drawn_height / px)
        assert max(abs(a - b) for a, b in zip(colour, text, strict=True)) <= 8, where
        assert contrast(colour, page) >= 3.0, where
        heights.append(drawn_height / px)
        contrasts.setdefault(shot["theme"], []).append(contrast(colour, page))
        screens.add(shot["screen"])
    assert screens == {"paper", "procedure", "service", "group"}, screens
    worst = ", ".join(f"{theme} {min(c):.1f}:1" for theme, c in contrasts.items())
    print(f"{len(heights)} subject pictures: height >= {min(heights):.1f} mm; contrast {worst}")
