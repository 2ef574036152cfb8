"""Sending a slip image to a printer named by a URI; every outcome is a value, never an exception.

Printer URIs::

    png:DIR                     write a PNG preview into DIR (the embedded default)
    file:PATH                   write ESC/POS bytes to PATH (e.g. /dev/usb/lp0); no status
    tcp:HOST[:PORT]             network printer, port 9100 by default
    usb:VID:PID                 USB printer, ids in hexadecimal (needs pyusb and libusb)
    serial:DEVICE?baudrate=N    serial printer (needs pyserial), 9600 baud by default

Options after ``?`` (joined by ``&``): ``cut=yes|no`` (default: the paper profile's cutter),
``dots=384|512|576`` (default: the paper's width), ``status=no`` (do not ask a printer that
never answers status requests). For usb: ``in_ep=0x82&out_ep=0x01``.

Before printing, the printer's status is asked with the real-time DLE EOT requests (tcp, usb,
serial): paper out, cover open or off-line stop the print with a specific problem, so the case
stays in the journal and the slip can be printed again. The image goes out as GS v 0 raster
(python-escpos ``impl="bitImageRaster"``; its ``graphics`` mode corrupts tall 576-dot images).
The connection is opened and closed explicitly, always.
"""

from __future__ import annotations

import contextlib
import io
import re
import socket
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from PIL import Image

from printer.profiles import WIDTHS, profile_for

PROBLEMS = ("paper_out", "cover_open", "offline", "timeout", "unreachable", "bad_uri", "error")
DLE_EOT = b"\x10\x04"
_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class PrintOutcome:
    """What happened. ``detail`` is one or two plain English sentences for staff."""

    ok: bool
    problem: str | None
    """None when ok; else one of ``PROBLEMS``."""
    detail: str
    preview: Path | None = None
    """The PNG written (png: printers, or the fallback copy after a failure)."""


@dataclass(frozen=True)
class PrinterUri:
    """A parsed printer URI."""

    kind: str
    """png, file, tcp, usb or serial."""
    target: str
    """Folder, file, host, VID:PID or device."""
    port: int = 9100
    options: dict[str, str] = field(default_factory=dict)


class UriError(ValueError):
    """A printer URI that cannot be used; the message shows the expected forms."""


_FORMS = "png:DIR, file:PATH, tcp:HOST[:PORT], usb:VID:PID or serial:DEVICE?baudrate=N"


def parse_uri(uri: str) -> PrinterUri:
    """Parse a printer URI. Raises UriError naming what is wrong."""
    if not isinstance(uri, str) or ":" not in uri:
        raise UriError(f"printer {uri!r}: expected {_FORMS}")
    kind, _, rest = uri.partition(":")
    kind = kind.lower()
    rest, _, query = rest.partition("?")
    options = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}
    if kind not in ("png", "file", "tcp", "usb", "serial"):
        raise UriError(f"printer {uri!r}: unknown kind {kind!r}; expected {_FORMS}")
    if not rest:
        raise UriError(f"printer {uri!r}: nothing after '{kind}:'; expected {_FORMS}")
    for key, allowed in (("cut", ("yes", "no")), ("status", ("yes", "no"))):
        if key in options and options[key] not in allowed:
            raise UriError(f"printer {uri!r}: {key}={options[key]!r}; expected yes or no")
    if "dots" in options and options["dots"] not in tuple(str(w) for w in WIDTHS):
        raise UriError(f"printer {uri!r}: dots={options['dots']!r}; expected 384, 512 or 576")
    if kind == "tcp":
        host, port = rest.removeprefix("//"), 9100
        if host.count(":") == 1:
            host, _, port_text = host.partition(":")
            if not port_text.isdigit() or not 0 < int(port_text) < 65536:
                raise UriError(f"printer {uri!r}: port {port_text!r} is not a port number")
            port = int(port_text)
        return PrinterUri(kind, host, port, options)
    if kind == "usb":
        ids = rest.split(":")
        if len(ids) != 2 or not all(re.fullmatch(r"(0x)?[0-9A-Fa-f]{1,4}", i) for i in ids):
            raise UriError(
                f"printer {uri!r}: expected usb:VID:PID in hexadecimal, e.g. usb:04b8:0202"
            )
    if kind == "serial" and "baudrate" in options and not options["baudrate"].isdigit():
        raise UriError(f"printer {uri!r}: baudrate must be a whole number, e.g. 9600")
    return PrinterUri(kind, rest, 9100, options)


def width_dots(uri: str, paper_mm: int) -> int:
    """Dot width to render for this printer: ``?dots=`` or the paper's width."""
    try:
        dots = parse_uri(uri).options.get("dots")
    except UriError:
        dots = None
    return int(dots) if dots else profile_for(paper_mm).width_dots


def escpos_bytes(image: Image.Image, paper_mm: int = 80, cut: bool | None = None) -> bytes:
    """The exact bytes ``print_image`` sends for ``image`` (for tests and the bench)."""
    from escpos.printer import Dummy

    dummy = Dummy()
    _send(dummy, image, paper_mm, cut)
    return dummy.output


def _send(printer: Any, image: Image.Image, paper_mm: int, cut: bool | None) -> None:
    profile = profile_for(paper_mm)
    printer._raw(b"\x1b@")  # ESC @: initialise, so nothing left over changes this slip
    with contextlib.redirect_stdout(io.StringIO()):  # python-escpos prints a profile warning
        printer.image(image.convert("1"), impl="bitImageRaster", center=False)
    if profile.cutter if cut is None else cut:
        printer.cut()
    elif profile.feed_lines:
        printer._raw(b"\x1bd" + bytes([profile.feed_lines]))  # ESC d n: feed to tear off


def _save_png(image: Image.Image, folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")[:-3]
    path = folder / f"{_NAME.sub('-', name) or 'slip'}-{stamp}.png"
    image.save(path, dpi=(203, 203))
    return path


def print_image(
    image: Image.Image,
    uri: str,
    paper_mm: int = 80,
    timeout: float = 10.0,
    name: str = "slip",
    fallback_dir: Path | None = None,
) -> PrintOutcome:
    """Print ``image`` on the printer ``uri``. Never raises.

    When printing fails and ``fallback_dir`` is given, the slip is also saved there as a PNG
    (``PrintOutcome.preview``), ready to print again.
    """
    try:
        outcome = _print(image, uri, paper_mm, timeout, name)
    except Exception as exc:  # the promise: a value, never an exception
        outcome = PrintOutcome(False, "error", f"Printing failed unexpectedly: {exc}.")
    if not outcome.ok and fallback_dir is not None and outcome.preview is None:
        try:
            saved = _save_png(image, Path(fallback_dir), name)
            detail = f"{outcome.detail} A copy of the slip is saved at {saved}."
            outcome = PrintOutcome(False, outcome.problem, detail, saved)
        except Exception:  # noqa: BLE001 - the fallback must not hide the first problem
            pass
    return outcome


def _print(image: Image.Image, uri: str, paper_mm: int, timeout: float, name: str) -> PrintOutcome:
    try:
        parsed = parse_uri(uri)
        profile_for(paper_mm)
    except ValueError as exc:
        return PrintOutcome(False, "bad_uri", str(exc))
    if parsed.kind == "png":
        try:
            path = _save_png(image, Path(parsed.target).expanduser().resolve(), name)
        except OSError as exc:
            return PrintOutcome(
                False, "error", f"Cannot write the slip preview into {parsed.target}: {exc}."
            )
        return PrintOutcome(True, None, f"Slip saved as {path}.", path)
    cut = {"yes": True, "no": False}.get(parsed.options.get("cut", ""))
    opened = _open(parsed, uri, timeout)
    if isinstance(opened, PrintOutcome):
        return opened
    printer = opened
    try:
        ask = parsed.kind != "file" and parsed.options.get("status") != "no"
        if ask:
            before = _status(printer, uri)
            if not before.ok:
                return before
        try:
            _send(printer, image, paper_mm, cut)
        except TimeoutError:
            return PrintOutcome(
                False, "timeout", f"The printer {uri} stopped taking data for {timeout:g} s."
            )
        except OSError as exc:
            return PrintOutcome(
                False, "unreachable", f"The connection to the printer {uri} broke: {exc}."
            )
        if ask:
            after = _status(printer, uri, after=True)
            if not after.ok:
                return after
        return PrintOutcome(True, None, f"Slip printed on {uri}.")
    finally:
        _close(printer)


def _open(parsed: PrinterUri, uri: str, timeout: float) -> Any:
    """An open python-escpos printer, or a PrintOutcome saying why not."""
    try:
        if parsed.kind == "tcp":
            from escpos.printer import Network

            printer: Any = Network(parsed.target, parsed.port, timeout=timeout)
            # connect here: python-escpos leaks the socket of a failed connection
            printer.device = socket.create_connection((parsed.target, parsed.port), timeout)
            return printer
        elif parsed.kind == "file":
            from escpos.printer import File

            printer = File(devfile=str(Path(parsed.target).expanduser()))
        elif parsed.kind == "serial":
            from escpos.printer import Serial

            if not Serial.is_usable():
                return PrintOutcome(
                    False, "error", "Serial printing needs pyserial: pip install pyserial."
                )
            baud = int(parsed.options.get("baudrate", "9600"))
            printer = Serial(devfile=parsed.target, baudrate=baud, timeout=min(timeout, 2.0))
        else:
            from escpos.printer import Usb

            if not Usb.is_usable():
                return PrintOutcome(
                    False, "error", "USB printing needs pyusb and libusb: pip install pyusb."
                )
            vid, pid = (int(i, 16) for i in parsed.target.split(":"))
            extra = {k: int(v, 0) for k, v in parsed.options.items() if k in ("in_ep", "out_ep")}
            printer = Usb(vid, pid, timeout=int(timeout * 1000), **extra)
        printer.open()
        return printer
    except Exception as exc:  # python-escpos wraps socket, serial and usb errors differently
        cause = exc.__cause__ or exc.__context__ or exc
        if isinstance(cause, TimeoutError | socket.timeout):
            return PrintOutcome(
                False, "timeout", f"The printer {uri} did not answer within {timeout:g} s."
            )
        return PrintOutcome(
            False,
            "unreachable",
            f"Cannot reach the printer {uri}: {_one_line(cause)}. Check the cable or network "
            "and that the printer is switched on.",
        )


def _close(printer: Any) -> None:
    with contextlib.suppress(Exception):  # closing must never turn success into failure
        printer.close()


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _ask(printer: Any, n: int, deadline: float) -> int | None:
    """Send DLE EOT n and return the status byte, or None when the printer does not answer."""
    printer._raw(DLE_EOT + bytes([n]))
    while time.monotonic() < deadline:
        try:
            data = _read_some(printer)
        except TimeoutError:
            return None
        if data:
            return data[0]
        time.sleep(0.02)
    return None


def _read_some(printer: Any) -> bytes:
    """What the printer sent back so far (a serial read of 16 bytes would wait its timeout)."""
    device = getattr(printer, "device", None)
    if device is not None and hasattr(device, "in_waiting"):  # pyserial
        waiting = device.in_waiting
        return device.read(waiting) if waiting else b""
    return printer._read()


def _status(printer: Any, uri: str, after: bool = False) -> PrintOutcome:
    wait = _status_timeout(printer)
    deadline = time.monotonic() + wait
    try:
        online = _ask(printer, 1, deadline)
        if online is None:
            return PrintOutcome(
                False,
                "timeout",
                f"The printer {uri} did not answer the status request. If this printer never "
                "answers, add ?status=no to its URI.",
            )
        cause = _ask(printer, 2, time.monotonic() + wait)
        paper = _ask(printer, 4, time.monotonic() + wait)
    except OSError as exc:
        return PrintOutcome(False, "unreachable", f"The printer {uri} stopped answering: {exc}.")
    if cause is None or paper is None:
        return PrintOutcome(False, "timeout", f"The printer {uri} stopped answering.")
    if any(byte & 0x93 != 0x12 for byte in (online, cause, paper)):  # DLE EOT: 0xx1xx10
        return PrintOutcome(
            False,
            "error",
            f"The device at {uri} answers, but not like an ESC/POS printer. Check the address.",
        )
    tail = (
        " The slip may be incomplete; print it again once fixed."
        if after
        else " The case is saved; print the slip again once fixed."
    )
    if cause & 0x04:
        return PrintOutcome(False, "cover_open", f"The printer {uri} has its cover open.{tail}")
    if paper & 0x60 == 0x60 or cause & 0x20:
        return PrintOutcome(
            False, "paper_out", f"The printer {uri} is out of paper: put in a new roll.{tail}"
        )
    if online & 0x08:
        return PrintOutcome(False, "offline", f"The printer {uri} is off-line.{tail}")
    return PrintOutcome(True, None, f"The printer {uri} is ready.")


def _status_timeout(printer: Any) -> float:
    value = getattr(printer, "timeout", 5) or 5
    return float(value) / (1000 if value > 100 else 1)  # Usb keeps milliseconds


def printer_status(uri: str, timeout: float = 5.0) -> PrintOutcome:
    """Whether ``uri`` can print now (paper, cover, on-line), without printing. Never raises."""
    try:
        parsed = parse_uri(uri)
    except UriError as exc:
        return PrintOutcome(False, "bad_uri", str(exc))
    try:
        if parsed.kind in ("png", "file"):
            target = Path(parsed.target).expanduser()
            folder = target if parsed.kind == "png" else target.parent
            if folder.is_dir() or (parsed.kind == "png" and not folder.exists()):
                return PrintOutcome(True, None, f"{uri} can be written (no status to ask).")
            return PrintOutcome(False, "unreachable", f"{folder} is not a folder.")
        opened = _open(parsed, uri, timeout)
        if isinstance(opened, PrintOutcome):
            return opened
        try:
            if parsed.options.get("status") == "no":
                return PrintOutcome(True, None, f"Connected to {uri} (status not asked).")
            return _status(opened, uri)
        finally:
            _close(opened)
    except Exception as exc:
        return PrintOutcome(False, "error", f"Cannot ask the printer {uri}: {_one_line(exc)}.")
