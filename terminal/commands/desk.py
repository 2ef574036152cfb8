"""``hotro desk``, ``hotro desk passwd`` and ``hotro report``: the staff desk and its reports."""

from __future__ import annotations

import argparse
import getpass
import ipaddress
import os
import re
import sys
from datetime import date
from pathlib import Path

from terminal.commands import config_from


def register(sub: argparse._SubParsersAction) -> None:
    """Add this area's sub-commands."""
    desk = sub.add_parser(
        "desk",
        help="serve the staff desk web page (scan slips, queue, call next, reports)",
        description="Serve the staff desk page. Staff sign in with the centre's PIN/password "
        "(set it first with `hotro desk passwd`).",
    )
    desk.add_argument("--host", help="address to bind (default: desk.host, 127.0.0.1)")
    desk.add_argument("--port", type=int, help="port (default: desk.port, 8080)")
    desk.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS,
                      help="configuration file (TOML)")
    desk.add_argument("--tls-cert", metavar="FILE",
                      help="serve HTTPS with this certificate (PEM); needs --tls-key")
    desk.add_argument("--tls-key", metavar="FILE", help="the certificate's private key (PEM)")
    desk.set_defaults(func=run_desk)
    actions = desk.add_subparsers(dest="desk_action", metavar="ACTION")
    passwd = actions.add_parser(
        "passwd",
        help="set the staff PIN or password (stored as a salted hash in the configuration)",
    )
    passwd.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS,
                        help="configuration file to write (default: $HOTRO_HOME/hotro.toml)")
    passwd.add_argument("--stdin", action="store_true",
                        help="read the PIN/password from the first line of standard input")
    passwd.set_defaults(func=run_passwd)

    report = sub.add_parser(
        "report",
        help="write the month report: CSV, chart PNG and a printable summary for the chairman",
    )
    report.add_argument("--month", required=True, help="the month, YYYY-MM (e.g. 2026-11)")
    report.add_argument("--out", metavar="DIR", default=".",
                        help="folder for the files (default: the current folder)")
    report.add_argument("--lang", default="vi", choices=("vi", "en"), help="language (vi)")
    report.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS,
                        help="configuration file (TOML)")
    report.set_defaults(func=run_report)


def _fail(message: str) -> int:
    print(f"hotro: {message}", file=sys.stderr)
    return 2


def _passwd_command(args: argparse.Namespace) -> str:
    config = getattr(args, "config", None)
    return f"hotro desk passwd --config {config}" if config else "hotro desk passwd"


def run_desk(args: argparse.Namespace) -> int:
    from cases.journal import JournalError
    from cases.keys import KeyFileError, load_keyring
    from desk.auth import SECRET_FILE, PasswordHashError, check_hash_format, load_session_secret

    cfg = config_from(args)
    if not cfg.desk.password_hash:
        return _fail(
            "the desk has no staff PIN/password yet, so it will not start. Set one with:\n"
            f"    {_passwd_command(args)}"
        )
    try:
        check_hash_format(cfg.desk.password_hash)
    except PasswordHashError as exc:
        return _fail(f"{cfg.source}: {exc}. Set it again with:\n    {_passwd_command(args)}")
    try:
        ring = load_keyring(cfg.key_path)
    except KeyFileError as exc:
        return _fail(str(exc))
    secret_path = cfg.home / SECRET_FILE
    try:
        session_secret = load_session_secret(secret_path)
    except (OSError, ValueError) as exc:
        print(f"hotro: warning: {secret_path}: cannot keep the session secret ({exc}); staff "
              "will have to sign in again after each desk restart.", file=sys.stderr)
        session_secret = ""
    from procedures.catalogue import load_catalogue

    catalogue = load_catalogue()
    for error in catalogue.errors:
        print(f"hotro: catalogue: {error}", file=sys.stderr)
    host = args.host or cfg.desk.host
    port = args.port or cfg.desk.port
    if not 1 <= port <= 65535:
        return _fail(f"--port {port}: expected 1..65535")
    tls_cert, tls_key = getattr(args, "tls_cert", None), getattr(args, "tls_key", None)
    if bool(tls_cert) != bool(tls_key):
        return _fail("--tls-cert and --tls-key go together (a certificate and its key)")
    for option, file in (("--tls-cert", tls_cert), ("--tls-key", tls_key)):
        if file and not Path(file).is_file():
            return _fail(f"{option} {file}: no such file")

    import uvicorn

    from desk.app import create_app
    from desk.hall import board_voice
    from desk.service import DeskSettings

    announcer = _hall_speaker(cfg) if cfg.voice.hall_speaker else None
    settings = DeskSettings(
        journal_path=cfg.journal_path,
        key=ring.current,
        key_path=cfg.key_path,
        catalogue=catalogue,
        password_hash=cfg.desk.password_hash,
        centre_name=cfg.centre.name,
        fairness_limit=cfg.desk.fairness_limit,
        counters=cfg.desk.counters,
        lang=cfg.terminal.languages[0],
        announcer=announcer,
        session_secret=session_secret,
        secure_cookies=cfg.desk.secure_cookies,
        day_start_hour=cfg.centre.day_start_hour,
        hall_voice=board_voice(cfg.cache_dir / "board", cfg.voice.voice),
    )
    try:
        app = create_app(settings)
    except JournalError as exc:
        return _fail(str(exc))
    from desk.studio import install as install_studio

    install_studio(app, cfg.clips_dir, cfg.terminal.languages[0], cfg.voice.voice)
    if not _is_loopback(host):
        print(
            f"hotro: warning: the desk listens on {host}, reachable from other machines; "
            "use it only on the centre's own network.",
            file=sys.stderr,
        )
    scheme = "https" if tls_cert else "http"
    print(f"hotro desk: {scheme}://{host}:{port}/  (journal {cfg.journal_path})", flush=True)
    tls = {"ssl_certfile": tls_cert, "ssl_keyfile": tls_key} if tls_cert else {}
    # open live pages (the board, the counters) must not hold a restart back for long
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False,
                timeout_graceful_shutdown=2, **tls)
    return 0


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _hall_speaker(cfg):  # type: ignore[no-untyped-def]
    """A HallSpeaker over VoiceOut for calls, or None (with a note) when speech cannot run."""
    try:
        from desk.hall import HallSpeaker
        from voices.out import VoiceOut

        voice = VoiceOut(
            lang="vi",
            variant=cfg.voice.voice,
            cache_dir=cfg.cache_dir,
            clips_dir=cfg.clips_dir,
            rate_step=cfg.voice.rate_step,
            volume_step=cfg.voice.volume_step,
        )
    except Exception as exc:  # noqa: BLE001 - the desk must run without audio
        print(f"hotro: hall speaker off: {exc}", file=sys.stderr)
        return None
    if not voice.available:
        print(f"hotro: hall speaker off: {voice.problem}", file=sys.stderr)
        return None
    return HallSpeaker(voice)


# -- passwd ---------------------------------------------------------------------------------------

_SECTION = re.compile(r"^\s*\[([^\]]+)\]\s*(#.*)?$")
_KEY = re.compile(r"^\s*password_hash\s*=")


def set_password_hash(text: str, value: str) -> str:
    """``text`` (a TOML file) with ``[desk] password_hash`` set to ``value``; the rest of the
    file (comments, order) is kept."""
    line = f'password_hash = "{value}"'
    lines = text.splitlines()
    section = None
    desk_start = None
    for i, raw in enumerate(lines):
        header = _SECTION.match(raw)
        if header:
            section = header.group(1).strip()
            if section == "desk":
                desk_start = i
            continue
        if section == "desk" and _KEY.match(raw):
            lines[i] = line
            return "\n".join(lines) + "\n"
    if desk_start is not None:
        lines.insert(desk_start + 1, line)
        return "\n".join(lines) + "\n"
    body = "\n".join(lines).rstrip("\n")
    return (body + "\n\n" if body else "") + "[desk]\n" + line + "\n"


def write_private(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` atomically, readable by no one else: a new file gets mode
    0600; an existing one keeps its owner, group and mode without any right for others (the
    installer's 0640 root:hotro stays readable by the service, a 0644 file becomes 0640)."""
    mode, owner = 0o600, None
    try:
        info = path.stat()
        mode, owner = info.st_mode & 0o770, (info.st_uid, info.st_gid)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, text.encode("utf-8"))
        os.fsync(fd)
        if owner is not None and os.geteuid() == 0:
            os.fchown(fd, *owner)
        os.fchmod(fd, mode)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def run_passwd(args: argparse.Namespace) -> int:
    from desk.auth import MIN_SECRET_LENGTH, hash_password
    from terminal.config import ConfigError, default_config_path, load_config

    path = Path(getattr(args, "config", None) or default_config_path())
    if args.stdin:
        secret = sys.stdin.readline().rstrip("\r\n")
    else:
        secret = getpass.getpass("New staff PIN or password: ")
        if getpass.getpass("Again: ") != secret:
            return _fail("the two entries differ; nothing was changed")
    if len(secret) < MIN_SECRET_LENGTH:
        return _fail(f"a PIN or password needs at least {MIN_SECRET_LENGTH} characters")
    try:
        old = path.read_text(encoding="utf-8") if path.exists() else ""
    except OSError as exc:
        return _fail(f"{path}: cannot read ({exc.strerror})")
    new = set_password_hash(old, hash_password(secret))
    try:
        write_private(path, new)
    except OSError as exc:
        return _fail(f"{path}: cannot write ({exc.strerror})")
    try:
        load_config(path)
    except ConfigError as exc:
        return _fail(f"the password was saved, but the file has another problem: {exc}")
    print(f"The staff PIN/password is saved (as a hash) in {path}.")
    return 0


# -- report ---------------------------------------------------------------------------------------


def run_report(args: argparse.Namespace) -> int:
    from cases.journal import Journal, JournalError
    from cases.stats import StatsError, month_bounds, month_report
    from desk import report as reports
    from procedures.catalogue import load_catalogue

    cfg = config_from(args)
    try:
        month_bounds(args.month)
    except StatsError as exc:
        return _fail(str(exc))
    if not cfg.journal_path.exists():
        return _fail(f"there is no journal at {cfg.journal_path} (nothing recorded yet?)")
    try:
        with Journal(cfg.journal_path) as journal:
            data = month_report(journal, args.month)
    except JournalError as exc:
        return _fail(str(exc))
    catalogue = load_catalogue()
    words = reports.words(catalogue.groups, args.lang, catalogue.procedures.values())
    files = reports.write_report(data, words, Path(args.out), cfg.centre.name, date.today())
    print(f"Month {data.month}: {data.residents} residents helped, {data.served} served, "
          f"{data.answered} satisfaction answers.")
    for path in (files.summary, files.csv, files.chart):
        print(f"  {path}")
    return 0
