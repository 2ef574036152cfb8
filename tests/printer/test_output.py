"""Printer URIs, ESC/POS bytes, the PNG preview and every failure as a value (no real printer).

The real printer path (status, faults, rendering) is tested against emupos in test_emupos.py;
here small local sockets stand in for printers that refuse, stay silent or answer nonsense.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from PIL import Image

from printer.output import (
    PrintOutcome,
    UriError,
    escpos_bytes,
    parse_uri,
    print_image,
    printer_status,
    width_dots,
)
from tests.printer.helpers import load_png

IMAGE = Image.new("1", (384, 120), 1)


@contextmanager
def fake_printer(reply: bytes | None) -> Iterator[int]:
    """A TCP server on 127.0.0.1 answering every request with ``reply`` (None: silence)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            conn.settimeout(0.1)
            with conn:
                while not stop.is_set():
                    try:
                        data = conn.recv(4096)
                    except OSError:
                        continue
                    if not data:
                        break
                    if reply is not None and b"\x10\x04" in data:
                        conn.sendall(reply)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join(2)
        server.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(
    ("uri", "kind", "target", "port"),
    [
        ("tcp:192.168.1.50", "tcp", "192.168.1.50", 9100),
        ("tcp:printer.local:9101", "tcp", "printer.local", 9101),
        ("usb:04b8:0202", "usb", "04b8:0202", 9100),
        ("serial:/dev/ttyUSB0?baudrate=19200", "serial", "/dev/ttyUSB0", 9100),
        ("file:/dev/usb/lp0", "file", "/dev/usb/lp0", 9100),
        ("png:/tmp/slips", "png", "/tmp/slips", 9100),
    ],
)
def test_parse_uri_accepts_every_documented_form(uri, kind, target, port):
    parsed = parse_uri(uri)
    assert (parsed.kind, parsed.target, parsed.port) == (kind, target, port)


def test_parse_uri_reads_options():
    assert parse_uri("serial:/dev/ttyS0?baudrate=19200&cut=no").options == {
        "baudrate": "19200",
        "cut": "no",
    }


@pytest.mark.parametrize(
    "uri",
    [
        "",
        "printer",
        "lpt:1",
        "tcp:",
        "tcp:host:99999",
        "usb:04b8",
        "usb:zz:01",
        "serial:/dev/ttyS0?baudrate=fast",
        "tcp:h?cut=maybe",
        "tcp:h?dots=600",
    ],
)
def test_parse_uri_refuses_bad_uris_with_the_expected_forms(uri):
    with pytest.raises(UriError):
        parse_uri(uri)


def test_width_comes_from_paper_or_dots_option():
    assert width_dots("png:x", 58) == 384
    assert width_dots("png:x", 80) == 576
    assert width_dots("tcp:h?dots=512", 80) == 512


def test_bytes_are_a_raster_image_then_a_cut_on_80_mm():
    data = escpos_bytes(IMAGE, 80)
    assert data.startswith(b"\x1b@")
    assert b"\x1dv0" in data  # GS v 0: raster bit image
    assert data.rstrip(b"\x00").endswith(b"\x1dV\x00") or b"\x1dV" in data[-8:]


def test_bytes_on_58_mm_feed_to_tear_off_instead_of_cutting():
    data = escpos_bytes(IMAGE, 58)
    assert b"\x1dV" not in data
    assert data.endswith(b"\x1bd\x04")


def test_raster_header_gives_the_image_size():
    data = escpos_bytes(IMAGE, 58)
    i = data.index(b"\x1dv0")
    width_bytes = data[i + 4] + 256 * data[i + 5]
    height = data[i + 6] + 256 * data[i + 7]
    assert (width_bytes, height) == (384 // 8, 120)


def test_png_printer_writes_a_preview(tmp_path):
    outcome = print_image(IMAGE, f"png:{tmp_path}/slips", 58, name="U012")
    assert outcome.ok and outcome.problem is None
    assert outcome.preview is not None and outcome.preview.parent == tmp_path / "slips"
    assert outcome.preview.name.startswith("U012-")
    assert load_png(outcome.preview).size == IMAGE.size


def test_file_printer_writes_the_escpos_bytes(tmp_path):
    target = tmp_path / "lp0"
    outcome = print_image(IMAGE, f"file:{target}", 80)
    assert outcome.ok, outcome.detail
    assert target.read_bytes() == escpos_bytes(IMAGE, 80)


def test_cut_option_overrides_the_profile(tmp_path):
    target = tmp_path / "lp0"
    assert print_image(IMAGE, f"file:{target}?cut=yes", 58).ok
    assert target.read_bytes() == escpos_bytes(IMAGE, 58, cut=True)


def test_bad_uri_is_a_value_not_an_exception():
    outcome = print_image(IMAGE, "lpt:1")
    assert outcome == PrintOutcome(False, "bad_uri", outcome.detail)
    assert "tcp:HOST" in outcome.detail


def test_unreachable_network_printer(tmp_path):
    outcome = print_image(IMAGE, f"tcp:127.0.0.1:{free_port()}", 58, timeout=1)
    assert not outcome.ok and outcome.problem == "unreachable"
    assert "Cannot reach" in outcome.detail


def test_silent_printer_times_out():
    with fake_printer(None) as port:
        outcome = print_image(IMAGE, f"tcp:127.0.0.1:{port}", 58, timeout=0.5)
    assert outcome.problem == "timeout"
    assert "status=no" in outcome.detail


def test_silent_printer_prints_when_status_is_switched_off():
    with fake_printer(None) as port:
        outcome = print_image(IMAGE, f"tcp:127.0.0.1:{port}?status=no", 58, timeout=0.5)
    assert outcome.ok, outcome.detail


def test_device_answering_nonsense_is_not_taken_for_a_printer():
    with fake_printer(b"HTTP/1.1 400 Bad Request\r\n") as port:
        outcome = print_image(IMAGE, f"tcp:127.0.0.1:{port}", 58, timeout=0.5)
    assert outcome.problem == "error"
    assert "not like an ESC/POS printer" in outcome.detail


@pytest.mark.parametrize(
    ("reply", "problem"),
    [(b"\x12", None), (b"\x1a", "offline")],
)
def test_status_bytes_are_read(reply, problem):
    with fake_printer(reply) as port:
        outcome = printer_status(f"tcp:127.0.0.1:{port}", timeout=0.5)
    assert outcome.problem == problem


def test_failure_saves_a_copy_of_the_slip_to_reprint(tmp_path):
    outcome = print_image(
        IMAGE, f"tcp:127.0.0.1:{free_port()}", 58, timeout=1, fallback_dir=tmp_path
    )
    assert not outcome.ok
    assert outcome.preview is not None and outcome.preview.exists()
    assert str(outcome.preview) in outcome.detail


def test_anything_unexpected_is_an_error_value():
    outcome = print_image(None, "file:/tmp/x")  # type: ignore[arg-type]
    assert not outcome.ok and outcome.problem == "error"


def test_png_status_is_ok_without_a_device(tmp_path):
    assert printer_status(f"png:{tmp_path}").ok
    assert printer_status("lpt:1").problem == "bad_uri"
