"""Starts the terminal the way ``hotro-terminal.service`` starts it, on a virtual X screen.

The unit's own ``ExecStart``, ``Environment`` and ``WorkingDirectory`` are read from
``deploy/systemd/hotro-terminal.service`` and run with four substitutions only: the installed
``hotro`` is this checkout's, ``/etc/hotro/hotro.toml`` is a copy of the example configuration,
``/var/lib/hotro`` is a temporary folder, and the X server is Xvfb (same options as the kiosk's
Xorg, less ``vt1``, which only Xorg knows) at the size under test. There is no window manager,
as on the kiosk. Like systemd for a ``Type=notify`` unit with ``WatchdogSec=``, the harness
passes ``$NOTIFY_SOCKET``, ``$WATCHDOG_USEC`` (3 s instead of the unit's 60 s, so the pings show
within a test) and ``$WATCHDOG_PID`` = the main process (``xinit``), and waits for the
terminal's ``READY=1``, sent after its first frame is drawn. (Xvfb, like a systemd-aware Xorg,
sends a ``READY=1`` of its own: the terminal's carries its ``STATUS=`` line.)
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from PIL import Image, ImageGrab

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "deploy" / "systemd" / "hotro-terminal.service"
EXAMPLE_CONFIG = ROOT / "deploy" / "hotro.example.toml"


WATCHDOG_USEC = 3_000_000


def unit_service(path: Path = UNIT) -> tuple[list[str], dict[str, str], str]:
    """(ExecStart argv, Environment, WorkingDirectory) of the unit's [Service] section."""
    argv: list[str] = []
    env: dict[str, str] = {}
    workdir = "/"
    section = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("["):
            section = line
            continue
        if section != "[Service]" or "=" not in line or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        if key == "ExecStart":
            argv = shlex.split(value)
        elif key == "Environment":
            name, _, val = value.partition("=")
            env[name] = val
        elif key == "WorkingDirectory":
            workdir = value
    return argv, env, workdir


class XTest:
    """The X Test extension through libXtst (ctypes): synthetic key events at the server."""

    def __init__(self, display: str) -> None:
        import ctypes
        import ctypes.util

        self.x11 = ctypes.CDLL(ctypes.util.find_library("X11"))
        self.xtst = ctypes.CDLL(ctypes.util.find_library("Xtst"))
        self.x11.XOpenDisplay.restype = ctypes.c_void_p
        self.x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self.x11.XStringToKeysym.restype = ctypes.c_ulong
        self.x11.XStringToKeysym.argtypes = [ctypes.c_char_p]
        self.x11.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
        self.x11.XKeysymToKeycode.restype = ctypes.c_ubyte
        self.x11.XkbKeycodeToKeysym.argtypes = [
            ctypes.c_void_p,
            ctypes.c_ubyte,
            ctypes.c_int,
            ctypes.c_int,
        ]
        self.x11.XkbKeycodeToKeysym.restype = ctypes.c_ulong
        self.x11.XFlush.argtypes = [ctypes.c_void_p]
        self.x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
        self.xtst.XTestFakeKeyEvent.argtypes = [
            ctypes.c_void_p,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_ulong,
        ]
        self.dpy = self.x11.XOpenDisplay(display.encode())
        assert self.dpy, f"cannot open X display {display}"

    def keycode(self, name: str) -> tuple[int, bool]:
        """(key code, whether the symbol is on the key's shifted level)."""
        sym = self.x11.XStringToKeysym(name.encode())
        assert sym, f"unknown key symbol {name}"
        code = self.x11.XKeysymToKeycode(self.dpy, sym)
        assert code, f"no key for {name} on this keyboard map"
        base = self.x11.XkbKeycodeToKeysym(self.dpy, code, 0, 0)
        shifted = base != sym and self.x11.XkbKeycodeToKeysym(self.dpy, code, 0, 1) == sym
        return code, bool(shifted and not name.startswith("KP_"))

    def tap(self, code: int, held: list[int]) -> None:
        for h in held:
            self.xtst.XTestFakeKeyEvent(self.dpy, h, 1, 0)
        self.xtst.XTestFakeKeyEvent(self.dpy, code, 1, 0)
        self.xtst.XTestFakeKeyEvent(self.dpy, code, 0, 0)
        for h in reversed(held):
            self.xtst.XTestFakeKeyEvent(self.dpy, h, 0, 0)
        self.x11.XFlush(self.dpy)

    def __enter__(self) -> XTest:
        return self

    def __exit__(self, *exc: object) -> None:
        self.x11.XCloseDisplay(self.dpy)


def free_display() -> int:
    for n in range(140, 400):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return n
    raise RuntimeError("no free X display number")


class Kiosk:
    """One kiosk session: ``xinit hotro … run -- Xvfb``; use as a context manager."""

    def __init__(self, tmp: Path, width: int, height: int) -> None:
        self.tmp = tmp
        self.size = (width, height)
        self.var = tmp / "var" / "lib" / "hotro"
        self.config = tmp / "etc" / "hotro" / "hotro.toml"
        self.log = tmp / "terminal.log"
        self.display = f":{free_display()}"
        self.proc: subprocess.Popen | None = None
        self.notes: list[str] = []

    def command(self) -> tuple[list[str], dict[str, str], str]:
        argv, unit_env, workdir = unit_service()
        hotro = str(Path(sys.executable).with_name("hotro"))
        subst = {
            "/opt/hotro/venv/bin/hotro": hotro,
            "/etc/hotro/hotro.toml": str(self.config),
        }
        argv = [subst.get(a, a) for a in argv]
        sep = argv.index("--")
        client, server = argv[:sep], argv[sep + 1 :]
        w, h = self.size
        xvfb = [shutil.which("Xvfb") or "Xvfb", self.display, "-screen", "0", f"{w}x{h}x24"]
        server = xvfb + [a for a in server if a != ":0" and a != "vt1"]
        env = {k: v.replace("/var/lib/hotro", str(self.var)) for k, v in unit_env.items()}
        workdir = workdir.replace("/var/lib/hotro", str(self.var))
        return [*client, "--", *server], env, workdir

    def __enter__(self) -> Kiosk:
        self.var.mkdir(parents=True)
        self.config.parent.mkdir(parents=True)
        shutil.copy(EXAMPLE_CONFIG, self.config)
        argv, env, workdir = self.command()
        self.notify_path = self.tmp / "notify.sock"
        self.notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.notify.bind(str(self.notify_path))
        self.notify.settimeout(0.5)
        # what systemd gives a unit: its Environment=, a PATH, and $NOTIFY_SOCKET (Type=notify)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env}
        env["NOTIFY_SOCKET"] = str(self.notify_path)
        env["WATCHDOG_USEC"] = str(WATCHDOG_USEC)
        self.log_file = self.log.open("ab")
        # exec keeps the shell's pid: $WATCHDOG_PID names the main process, as systemd does
        script = 'export WATCHDOG_PID=$$; exec "$@"'
        self.proc = subprocess.Popen(
            ["/bin/sh", "-c", script, "sh", *argv],
            cwd=workdir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_for("STATUS=terminal showing its first screen", 120)
        return self

    def wait_for(self, text: str, timeout: float) -> None:
        """Wait for a message on the notify socket (the app's own signal)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise AssertionError(f"the kiosk exited {self.proc.returncode}:\n{self.tail()}")
            try:
                message = self.notify.recv(4096).decode()
            except TimeoutError:
                continue
            self.notes.append(message)
            if text in message:
                return
        raise AssertionError(f"no {text} from the terminal in {timeout} s:\n{self.tail()}")

    def tail(self, n: int = 4000) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-n:]

    def log_lines(self) -> list[str]:
        return self.log.read_text(encoding="utf-8", errors="replace").splitlines()

    def screenshot(self) -> Image.Image:
        """The X root window, i.e. everything the screen shows."""
        return ImageGrab.grab(xdisplay=self.display).convert("RGB")

    def x(self, *args: str) -> str:
        env = {**os.environ, "DISPLAY": self.display}
        out = subprocess.run(args, env=env, capture_output=True, text=True, timeout=30)
        assert out.returncode == 0, out.stderr
        return out.stdout

    def key(self, keysym: str) -> None:
        """Press and release one key of the X keyboard through XTest, as a real keypad does:
        by key code, never touching Num Lock behind the test's back (xdotool toggles it to
        reach a keypad symbol). ``"shift+8"``: Shift held around the key. A symbol that sits
        on a key's shifted level (``plus``) is typed with Shift, like a person would."""
        with XTest(self.display) as xt:
            *mods, name = keysym.split("+") if keysym != "plus" else ["plus"]
            code, shifted = xt.keycode(name)
            held = [xt.keycode("Shift_L")[0]] if shifted or "shift" in mods else []
            xt.tap(code, held)

    def windows(self) -> str:
        return self.x("xwininfo", "-root", "-children")

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=30)
        self.log_file.close()
        self.notify.close()
