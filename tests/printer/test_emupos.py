"""End to end against emupos, a third-party ESC/POS printer simulator (PyPI ``emupos``).

Real parts started: emupos 0.4 (its own Python 3.13 venv, installed by
``scripts/setup-test-tools.sh``) simulating an Epson TM-T20III (80 mm, 576 dots, cutter) and a
58 mm printer (384 dots) on 127.0.0.1 TCP ports, the 58 mm one also on a serial pty;
python-escpos sends the slip; emupos renders the job to a PNG; zxing-cpp reads the QR code from
that PNG and ``cases.codec.decode`` must give back the case; tesseract (``-l vie``) must read the
Vietnamese back with its diacritics. emupos faults (paper out, cover open, off-line) must come
back as the matching ``PrintOutcome.problem``.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytesseract
import pytest
import zxingcpp
from PIL import Image, ImageChops
from rapidfuzz import fuzz

from cases.codec import decode, encode
from printer.output import print_image, printer_status
from printer.render import render_slip
from printer.slip import build_slip
from tests.printer.helpers import CENTRE, KEY, PHONE, birth_case, load_png

pytestmark = pytest.mark.real

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "printer"
EMUPOS = Path(os.environ.get("HOTRO_EMUPOS", ROOT / ".test-tools/emupos-venv/bin/emupos"))

PROFILE_58 = """\
type: printer
name: Generic 58 mm thermal printer (hotro tests)
dpi: 203
width_dots: 384
font_a: { width: 12, height: 24 }
font_b: { width: 9, height: 17 }
code_pages: { 0: PC437 }
default_code_page: 0
drawer_sensor_open_level: high
serial: { baud: 9600, data_bits: 8, parity: none, stop_bits: 1 }
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Emupos:
    api: str
    ports: dict[str, int]
    serial: Path
    work: Path

    def call(self, method: str, path: str) -> bytes:
        request = urllib.request.Request(f"{self.api}/api/v1{path}", method=method)
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.read()

    def receipts(self, device: str) -> list[dict]:
        return json.loads(self.call("GET", f"/devices/{device}/receipts"))

    def wait_receipt(self, device: str, before: int, timeout: float = 10) -> Image.Image:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            receipts = self.receipts(device)
            if len(receipts) > before:
                data = self.call("GET", f"/devices/{device}/receipts/{receipts[0]['id']}/image")
                path = self.work / f"{receipts[0]['id']}.png"
                path.write_bytes(data)
                return load_png(path)
            time.sleep(0.1)
        raise AssertionError(f"emupos finished no receipt on {device} within {timeout} s")

    def fault(self, device: str, fault: str, on: bool) -> None:
        self.call("PUT" if on else "DELETE", f"/devices/{device}/faults/{fault}")


@pytest.fixture(scope="session")
def emupos(tmp_path_factory) -> Iterator[Emupos]:
    if not EMUPOS.exists():
        pytest.fail(
            f"emupos is not installed at {EMUPOS}: run scripts/setup-test-tools.sh "
            "(it needs Python 3.13), or set HOTRO_EMUPOS to the emupos program"
        )
    work = tmp_path_factory.mktemp("emupos")
    (work / "p58.yaml").write_text(PROFILE_58)
    ports = {"p80": _free_port(), "p58": _free_port()}
    api_port = _free_port()
    (work / "emupos.yaml").write_text(
        f"""\
schema: 1
api: {{ host: 127.0.0.1, port: {api_port} }}
devices:
  - id: p80
    type: printer
    profile: epson-tm-t20iii
    connections: [ {{ tcp: {{ host: 127.0.0.1, port: {ports["p80"]} }} }} ]
    job_idle_timeout_ms: 300
  - id: p58
    type: printer
    profile: ./p58.yaml
    connections:
      - tcp: {{ host: 127.0.0.1, port: {ports["p58"]} }}
      - serial: {{ pty: true, link: hotro-p58 }}
    job_idle_timeout_ms: 300
"""
    )
    log = (work / "emupos.log").open("w")
    env = dict(os.environ, TMPDIR=str(work), NO_COLOR="1")
    process = subprocess.Popen(
        [str(EMUPOS), "run", "--config", str(work / "emupos.yaml")],
        cwd=work,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    sim = Emupos(f"http://127.0.0.1:{api_port}", ports, work / "emupos" / "hotro-p58", work)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                sim.call("GET", "/health")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail(f"emupos did not start: {(work / 'emupos.log').read_text()}")
                time.sleep(0.1)
        yield sim
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        log.close()


def _same_pixels(printed: Image.Image, rendered: Image.Image) -> bool:
    top = printed.convert("L").crop((0, 0, rendered.width, rendered.height))
    return ImageChops.difference(top, rendered.convert("L")).getbbox() is None


@pytest.mark.parametrize(("device", "paper", "width"), [("p58", 58, 384), ("p80", 80, 576)])
def test_slip_printed_over_tcp_is_rendered_exactly_and_its_qr_decodes_to_the_case(
    emupos, catalogue, birth, device, paper, width
):
    case = birth_case(birth)
    payload = encode(case, KEY)
    image = render_slip(build_slip(case, birth, CENTRE, PHONE, payload), width)
    before = len(emupos.receipts(device))
    outcome = print_image(image, f"tcp:127.0.0.1:{emupos.ports[device]}", paper, timeout=5)
    assert outcome.ok, outcome.detail
    printed = emupos.wait_receipt(device, before)
    assert printed.width == width
    assert _same_pixels(printed, image)
    codes = zxingcpp.read_barcodes(printed.convert("L"))
    assert [c.text for c in codes] == [payload]
    assert decode(codes[0].text, KEY, catalogue) == case


@pytest.mark.parametrize(("device", "paper", "width"), [("p58", 58, 384), ("p80", 80, 576)])
def test_tesseract_reads_the_printed_vietnamese_back(emupos, birth, device, paper, width):
    case = birth_case(birth)
    slip = build_slip(case, birth, CENTRE, PHONE, encode(case, KEY))
    image = render_slip(slip, width)
    before = len(emupos.receipts(device))
    assert print_image(image, f"tcp:127.0.0.1:{emupos.ports[device]}", paper, timeout=5).ok
    printed = emupos.wait_receipt(device, before).convert("L")
    top = printed.crop((0, 0, width, 1900 if width == 384 else 1500))
    text = " ".join(pytesseract.image_to_string(top, lang="vie").split())
    for word in ("Giấy chứng sinh", "Trung tâm", "Phục vụ", "Số ưu tiên", "Đã có", "CÒN THIẾU"):
        assert word in text, (word, text)
    expected = " ".join(  # every printed line but the ticket and the white-on-black heading
        line.text for line in slip.lines if line.kind not in ("ticket", "heading", "qr")
    )
    assert fuzz.partial_ratio(text, expected) >= 85


def test_a_feedback_slip_is_printed_exactly_read_back_and_holds_no_number(emupos, catalogue):
    """Issue 18: a service's short slip through python-escpos to emupos (80 mm): the same
    pixels, its QR code decodes to the case (the service and the call-back mark), and tesseract
    reads the topic and the call-back line back."""
    from cases.case import Case, Ticket
    from printer.slip import build_service_slip

    case = Case("T1", Ticket(105, False), "", (), service="feedback", topic="wrong_data",
                call_back=True, created=birth_case(catalogue.get("1.001193")).created)
    payload = encode(case, KEY, catalogue)
    slip = build_service_slip(case, catalogue.services["feedback"], CENTRE, PHONE, payload)
    image = render_slip(slip, 576)
    before = len(emupos.receipts("p80"))
    assert print_image(image, f"tcp:127.0.0.1:{emupos.ports['p80']}", 80, timeout=5).ok
    printed = emupos.wait_receipt("p80", before)
    assert _same_pixels(printed, image)
    (code,) = zxingcpp.read_barcodes(printed.convert("L"))
    assert decode(code.text, KEY, catalogue) == case and "-GY.3C-0-" in code.text
    text = " ".join(pytesseract.image_to_string(printed.convert("L"), lang="vie").split())
    for words in ("trùng thông tin", "Mang theo", "Đưa phiếu này cho cán bộ"):
        assert words in text, (words, text)
    expected = " ".join(line.text for line in slip.lines if line.kind not in ("ticket", "heading"))
    assert fuzz.partial_ratio(text, expected) >= 85


@pytest.mark.parametrize(("device", "paper", "width"), [("p58", 58, 384), ("p80", 80, 576)])
def test_each_papers_picture_is_printed_and_recognised_in_emupos_rendering(
    emupos, catalogue, birth, device, paper, width
):
    """Each paper line's picture, cut from emupos's rendered receipt where the layout put it,
    is recognised among every paper picture of the catalogue (the nearest in 1-bit dots, clearly
    nearer than the next); the receipt's paper section is kept in test-artifacts/printer/."""
    from printer.render import PICTURE_DOTS, layout, picture

    case = birth_case(birth, chosen=frozenset({(2, 1)}))  # the identity paper as VNeID
    slip = build_slip(case, birth, CENTRE, PHONE, encode(case, KEY))
    image = render_slip(slip, width)
    before = len(emupos.receipts(device))
    assert print_image(image, f"tcp:127.0.0.1:{emupos.ports[device]}", paper, timeout=5).ok
    printed = emupos.wait_receipt(device, before).convert("1")
    ops, _ = layout(slip, width)
    boxes = [op for op in ops if op.kind == "image" and op.image.size[0] == PICTURE_DOTS]
    wanted = [line.icon for line in slip.lines if line.kind in ("have", "missing")]
    assert len(boxes) == len(wanted) == 7 and "paper/vneid" in wanted
    candidates = {}  # one per distinct picture
    for meaning in sorted({p.icon for p in catalogue.shared_papers.values()}):
        candidates.setdefault(picture(meaning).tobytes(), meaning)
    for op, meaning in zip(boxes, wanted, strict=True):
        cut = printed.crop((op.x, op.y, op.x + PICTURE_DOTS, op.y + PICTURE_DOTS))
        assert cut.histogram()[0] > PICTURE_DOTS**2 * 0.1, (meaning, "no ink where it belongs")
        distance = sorted(
            (ImageChops.logical_xor(cut, Image.frombytes("1", cut.size, dots)).histogram()[255],
             name)
            for dots, name in candidates.items()
        )  # fmt: skip
        (best, found), (second, _) = distance[:2]
        assert picture(found).tobytes() == picture(meaning).tobytes(), (meaning, distance[:3])
        assert best == 0 and second >= 150, (meaning, distance[:3])
    top = min(op.y for op in boxes) - 20
    bottom = max(op.y for op in boxes) + PICTURE_DOTS + 20
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    printed.crop((0, top, width, bottom)).save(ARTIFACTS / f"emupos-slip-pictures-{paper}.png")


def test_slip_prints_over_a_serial_port(emupos, catalogue, birth):
    case = birth_case(birth)
    payload = encode(case, KEY)
    image = render_slip(build_slip(case, birth, CENTRE, PHONE, payload), 384)
    before = len(emupos.receipts("p58"))
    outcome = print_image(image, f"serial:{emupos.serial}?baudrate=9600", 58, timeout=5)
    assert outcome.ok, outcome.detail
    printed = emupos.wait_receipt("p58", before, timeout=30)
    assert _same_pixels(printed, image)
    assert decode(zxingcpp.read_barcodes(printed.convert("L"))[0].text, KEY, catalogue) == case


@pytest.mark.parametrize(
    ("fault", "problem"),
    [("paper-out", "paper_out"), ("cover-open", "cover_open"), ("offline", "offline")],
)
@pytest.mark.parametrize("device", ["p58", "p80"])
def test_printer_faults_stop_the_print_with_the_specific_problem(
    emupos, tmp_path, device, fault, problem
):
    uri = f"tcp:127.0.0.1:{emupos.ports[device]}"
    image = Image.new("1", (384, 64), 1)
    before = len(emupos.receipts(device))
    emupos.fault(device, fault, True)
    try:
        assert printer_status(uri).problem == problem
        outcome = print_image(image, uri, 58, timeout=5, fallback_dir=tmp_path)
    finally:
        emupos.fault(device, fault, False)
    assert not outcome.ok and outcome.problem == problem
    assert outcome.preview is not None and outcome.preview.exists()
    assert printer_status(uri).ok
    time.sleep(0.5)
    assert len(emupos.receipts(device)) == before  # nothing was sent, nothing printed later


def test_paper_near_end_still_prints(emupos):
    uri = f"tcp:127.0.0.1:{emupos.ports['p80']}"
    before = len(emupos.receipts("p80"))
    emupos.fault("p80", "paper-near-end", True)
    try:
        outcome = print_image(Image.new("1", (576, 64), 1), uri, 80, timeout=5)
    finally:
        emupos.fault("p80", "paper-near-end", False)
    assert outcome.ok, outcome.detail
    emupos.wait_receipt("p80", before)


def test_hotro_print_reaches_emupos_and_journals_a_paper_out(emupos, tmp_path, monkeypatch, capsys):
    """`hotro print` end to end: real journal (SQLite), real key file, emupos over TCP."""
    from cases.journal import Journal
    from terminal.cli import main
    from terminal.config import load_config

    monkeypatch.setenv("HOTRO_HOME", str(tmp_path))
    uri = f"tcp:127.0.0.1:{emupos.ports['p80']}"
    before = len(emupos.receipts("p80"))
    assert main(["print", "--procedure", "1.001193", "--have", "2", "--printer", uri]) == 0
    payload = capsys.readouterr().out.splitlines()[0]
    printed = emupos.wait_receipt("p80", before)
    assert [c.text for c in zxingcpp.read_barcodes(printed.convert("L"))] == [payload]
    emupos.fault("p80", "paper-out", True)
    try:
        assert main(["print", "--procedure", "1.001193", "--printer", uri]) == 1
    finally:
        emupos.fault("p80", "paper-out", False)
    second = capsys.readouterr().out.splitlines()[0]
    with Journal(load_config().journal_path) as journal:
        outcomes = [
            [(e.ok, e.detail) for e in journal.events_of(row.id, "printed")]
            for row in (journal.case_by_payload(payload), journal.case_by_payload(second))
        ]
    assert outcomes == [[(True, "")], [(False, "paper_out")]]
    assert list((tmp_path / "slips").glob("A-102-*.png"))  # the slip is ready to print again
