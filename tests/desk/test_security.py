"""Desk security: key rotation at the desk, sign-in limits, cookies, the session secret, idle
timeout, and the centre key never leaving the machine (pages, headers, logs, static files)."""

from __future__ import annotations

import base64
import io
import logging
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Mount

from cases.case import Priority
from cases.codec import decode
from cases.journal import Journal
from cases.keys import init_key, load_key, rotate_key
from desk.app import create_app
from desk.auth import SECRET_FILE, Throttle, load_session_secret
from desk.service import DeskSettings
from tests.desk.support import PIN, csrf_of, make_case, payload_of
from voices.phrases import load_pack

VI = load_pack("vi")


@contextmanager
def desk_client(settings: DeskSettings, base_url: str = "http://127.0.0.1",
                client: tuple[str, int] = ("127.0.0.1", 50000)) -> Iterator[TestClient]:
    with TestClient(create_app(settings), base_url=base_url, client=client) as c:
        yield c


def sign_in(client: TestClient, password: str = PIN):
    token = csrf_of(client.get("/signin").text)
    return client.post("/signin", data={"password": password, "csrf": token},
                       follow_redirects=False)


def scan(client: TestClient, payload: str):
    token = csrf_of(client.get("/").text)
    return client.post("/scan", data={"payload": payload, "csrf": token}, follow_redirects=False)


def journal_size(client: TestClient) -> tuple[int, int, int]:
    journal = client.app.state.desk.journal  # type: ignore[attr-defined]
    return len(journal.cases()), len(journal.case_events()), len(journal.events())


@pytest.fixture
def key_path(tmp_path: Path, key: bytes) -> Path:
    path = tmp_path / "centre.key"
    assert load_key(path) == key  # the conftest key fixture wrote it here
    return path


@pytest.fixture
def ring_settings(settings: DeskSettings, key_path: Path) -> DeskSettings:
    return replace(settings, key_path=key_path)


# -- key rotation at the desk ---------------------------------------------------------------------


def test_a_slip_signed_before_rotation_verifies_during_the_grace_period(
    ring_settings, key_path, key, clock
) -> None:
    old_slip = payload_of(make_case(12), key)
    with desk_client(ring_settings) as c:
        sign_in(c)
        rotate_key(key_path, now=clock.now)
        clock.now = datetime(2026, 11, 24, 23, 50)  # the end of the day after the rotation
        sign_in(c)
        response = scan(c, old_slip)
        assert response.status_code == 303, response.text
        case_id = int(response.headers["location"].split("=")[1])
        assert c.app.state.desk.journal.case(case_id).ticket_label == "U-012"


def test_a_slip_signed_before_rotation_is_refused_after_the_grace_period(
    ring_settings, key_path, key, clock, caplog
) -> None:
    caplog.set_level(logging.INFO)
    old_slip = payload_of(make_case(13), key)
    with desk_client(ring_settings) as c:
        rotate_key(key_path, now=clock.now)
        clock.now = datetime(2026, 11, 25, 0, 0, 1)
        sign_in(c)
        before = journal_size(c)
        response = scan(c, old_slip)
        assert response.status_code == 422
        assert VI.screen("desk_refused_expired") in response.text
        assert "retired centre key" not in response.text  # English only in the log
        assert "retired centre key" in caplog.text
        assert journal_size(c) == before


def test_a_slip_with_a_key_that_was_never_valid_is_refused_as_forged(
    ring_settings, key_path, tmp_path, clock
) -> None:
    stranger = init_key(tmp_path / "other-centre.key")
    with desk_client(ring_settings) as c:
        rotate_key(key_path, now=clock.now)
        sign_in(c)
        before = journal_size(c)
        response = scan(c, payload_of(make_case(14), stranger))
        assert response.status_code == 422
        assert VI.screen("desk_refused_tag") in response.text
        assert journal_size(c) == before


def test_a_running_desk_takes_up_a_rotation_without_a_restart(
    ring_settings, key_path, clock
) -> None:
    with desk_client(ring_settings) as c:
        sign_in(c)
        new = rotate_key(key_path, now=clock.now).current
        assert scan(c, payload_of(make_case(15), new)).status_code == 303
        token = csrf_of(c.get("/").text)
        made = c.post("/new", data={"procedure": "1.001193", "priority": "none", "csrf": token},
                      follow_redirects=False)
        case_id = int(made.headers["location"].split("=")[1])
        row = c.app.state.desk.journal.case(case_id)
        catalogue = ring_settings.catalogue
        assert decode(row.payload, new, catalogue).terminal_id == "QUAY"


def test_a_damaged_previous_file_keeps_the_keys_already_loaded(
    ring_settings, key_path, key, caplog
) -> None:
    with desk_client(ring_settings) as c:
        sign_in(c)
        (key_path.parent / "centre.key.previous").write_text("garbage\n", encoding="ascii")
        with caplog.at_level(logging.WARNING):
            assert scan(c, payload_of(make_case(16), key)).status_code == 303
        assert "not reloaded" in caplog.text and key.hex() not in caplog.text


# -- sign-in limits -------------------------------------------------------------------------------


class Ticks:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_each_further_lock_of_a_client_lasts_twice_as_long_up_to_a_cap() -> None:
    ticks = Ticks()
    throttle = Throttle(clock=ticks, max_lock_seconds=300)
    waits = []
    for _ in range(5):
        for _ in range(5):
            throttle.failed("10.0.0.7")
        waits.append(throttle.wait_seconds("10.0.0.7"))
        ticks.now += waits[-1]
        assert throttle.wait_seconds("10.0.0.7") == 0
    assert waits == [60, 120, 240, 300, 300]


def test_a_locked_client_does_not_lock_another_client() -> None:
    throttle = Throttle(clock=Ticks())
    for _ in range(5):
        throttle.failed("10.0.0.7")
    assert throttle.locked("10.0.0.7") == ("client", 60)
    assert throttle.locked("10.0.0.8") == ("", 0)


def test_many_wrong_tries_from_many_clients_lock_everyone_for_longer_each_time() -> None:
    ticks = Ticks()
    throttle = Throttle(clock=ticks, global_failures=20, global_window=600)
    for i in range(20):
        throttle.failed(f"10.0.1.{i}")  # one try each: no client reaches its own limit
    assert throttle.locked("10.0.9.9") == ("global", 60)
    ticks.now += 60
    for i in range(20):
        throttle.failed(f"10.0.2.{i}")
    assert throttle.locked("10.0.9.9") == ("global", 120)


def test_wrong_tries_spread_beyond_the_global_window_do_not_lock_everyone() -> None:
    ticks = Ticks()
    throttle = Throttle(clock=ticks, global_failures=20, global_window=600)
    for i in range(40):
        throttle.failed(f"10.0.1.{i}")
        ticks.now += 40  # 20 tries span 760 s > 600 s
    assert throttle.locked("10.0.9.9") == ("", 0)


def test_a_right_password_ends_the_escalation_and_a_quiet_day_forgets_it() -> None:
    ticks = Ticks()
    throttle = Throttle(clock=ticks)
    for _ in range(5):
        throttle.failed("a")
    ticks.now += 60
    throttle.succeeded("a")
    for _ in range(5):
        throttle.failed("a")
    assert throttle.wait_seconds("a") == 60
    ticks.now += 60
    for _ in range(5):
        throttle.failed("b")
    ticks.now += 86400 + 61
    for _ in range(5):
        throttle.failed("b")
    assert throttle.wait_seconds("b") == 60


def test_the_throttle_remembers_a_bounded_number_of_clients() -> None:
    throttle = Throttle(clock=Ticks(), max_clients=10, global_failures=10**6)
    for i in range(1000):
        throttle.failed(f"10.{i // 256}.{i % 256}.1")
    assert len(throttle._clients) <= 10


def test_a_locked_client_is_refused_over_http_while_another_client_signs_in(settings) -> None:
    app = create_app(settings)
    with TestClient(app, base_url="http://127.0.0.1", client=("10.0.0.7", 1)) as attacker, \
            TestClient(app, base_url="http://127.0.0.1", client=("10.0.0.8", 1)) as staff:
        codes = [sign_in(attacker, "0000").status_code for _ in range(5)]
        locked = sign_in(attacker, PIN)
        assert codes == [401] * 5 and locked.status_code == 429
        assert VI.screen("desk_signin_locked", seconds=60) in locked.text
        assert sign_in(staff).status_code == 303
        assert attacker.get("/", follow_redirects=False).status_code == 303
        events = [e.detail for e in app.state.desk.journal.events()]
        assert "sign-in locked (10.0.0.7) for 60 s after wrong tries" in events


def test_wrong_tries_from_many_clients_lock_sign_in_for_everyone_over_http(settings) -> None:
    app = create_app(settings)
    try:
        for i in range(20):
            c = TestClient(app, base_url="http://127.0.0.1", client=(f"10.0.3.{i}", 1))
            assert sign_in(c, "0000").status_code == 401
        staff = TestClient(app, base_url="http://127.0.0.1", client=("10.0.3.99", 1))
        locked = sign_in(staff)
        assert locked.status_code == 429
        assert VI.screen("desk_signin_locked_all", seconds=60) in locked.text
        assert staff.get("/", follow_redirects=False).status_code == 303
    finally:
        app.state.desk.close()


# -- cookies, the session secret, idle timeout ----------------------------------------------------


def session_cookie_header(response) -> str:
    cookies = [v for k, v in response.headers.multi_items() if k == "set-cookie"]
    found = [c for c in cookies if c.startswith("hotro_desk=")]
    assert found, cookies
    return found[-1].lower()


def test_the_cookie_is_not_secure_over_plain_http_by_default(settings) -> None:
    with desk_client(settings) as c:
        cookie = session_cookie_header(sign_in(c))
        assert "httponly" in cookie and "samesite=strict" in cookie
        assert "secure" not in [part.strip() for part in cookie.split(";")]


def test_the_cookie_is_secure_when_configured(settings) -> None:
    with desk_client(replace(settings, secure_cookies=True), base_url="https://127.0.0.1") as c:
        response = sign_in(c)
        cookie = session_cookie_header(response)
        assert "; secure" in cookie and "httponly" in cookie
        assert c.get("/").status_code == 200


def test_the_cookie_is_secure_on_a_request_over_https(settings) -> None:
    with desk_client(settings, base_url="https://127.0.0.1") as c:
        response = sign_in(c)
        assert response.status_code == 303
        cookie = session_cookie_header(response)
        assert cookie.count("secure") == 1 and "; secure" in cookie
        assert c.get("/").status_code == 200


def test_the_session_secret_is_kept_private_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "home" / SECRET_FILE
    first = load_session_secret(path)
    assert len(first) >= 43 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_session_secret(path) == first
    path.chmod(0o644)
    assert load_session_secret(path) == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_damaged_session_secret_is_reported(tmp_path: Path) -> None:
    path = tmp_path / SECRET_FILE
    path.write_text("short\n", encoding="ascii")
    with pytest.raises(ValueError, match="not a session secret"):
        load_session_secret(path)


def test_staff_stay_signed_in_across_a_desk_restart_with_the_same_secret(settings) -> None:
    kept = replace(settings, session_secret="s" * 48)
    with desk_client(kept) as first:
        assert sign_in(first).status_code == 303
        cookies = dict(first.cookies)
    with TestClient(create_app(kept), base_url="http://127.0.0.1", cookies=cookies) as second:
        assert second.get("/", follow_redirects=False).status_code == 200
    with TestClient(create_app(replace(settings, session_secret="t" * 48)),
                    base_url="http://127.0.0.1", cookies=cookies) as other:
        assert other.get("/", follow_redirects=False).status_code == 303


def test_an_idle_session_must_sign_in_again_and_is_told_why(signed_in, clock) -> None:
    clock.advance(29)
    assert signed_in.get("/", follow_redirects=False).status_code == 200
    clock.advance(29)
    assert signed_in.get("/", follow_redirects=False).status_code == 200
    clock.advance(31)
    response = signed_in.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/signin"
    assert VI.screen("desk_signin_timed_out") in signed_in.get("/signin").text
    assert signed_in.get("/", follow_redirects=False).status_code == 303


def test_the_live_updates_do_not_keep_an_idle_session_alive(settings, clock) -> None:
    with desk_client(replace(settings, stream_seconds=0.2)) as c:
        sign_in(c)
        for minutes in (12, 12, 5):
            clock.advance(minutes)
            stream = c.get("/events", follow_redirects=False)
            assert stream.status_code == 200 and "event: ended" not in stream.text
        clock.advance(2)
        assert "event: ended" in c.get("/events").text  # the open page says so
        response = c.get("/", follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/signin"


def test_a_clock_set_back_ends_the_session(signed_in, clock) -> None:
    clock.advance(-5)
    assert signed_in.get("/", follow_redirects=False).status_code == 303


# -- the centre key never leaves the machine ------------------------------------------------------


def key_forms(key: bytes) -> list[bytes]:
    return [key, key.hex().encode(), key.hex().upper().encode(), base64.b64encode(key),
            base64.urlsafe_b64encode(key).rstrip(b"=")]


def assert_no_key(blob: bytes, key: bytes, where: str) -> None:
    for form in key_forms(key):
        assert form not in blob, f"the centre key appears in {where}"


def test_the_centre_key_is_in_no_page_header_log_or_journal_row(
    ring_settings, key_path, key, clock, caplog
) -> None:
    """Every route of the app, signed out and signed in, good and refused scans, errors, static
    files and path traversal: no response body or header and no log line holds the key."""
    caplog.set_level(logging.DEBUG)
    old = key
    new = rotate_key(key_path, now=clock.now).current
    visited: set[str] = set()
    responses = []
    with desk_client(replace(ring_settings, stream_seconds=0.3)) as c:
        def get(path: str, route: str | None = None):
            response = c.get(path, follow_redirects=False)
            responses.append((path, response))
            visited.add(route or path.split("?")[0])
            return response

        def post(path: str, data: dict, route: str | None = None):
            data = {"csrf": csrf_of(c.get("/").text), **data}
            response = c.post(path, data=data, follow_redirects=False)
            responses.append((path, response))
            visited.add(route or path)
            if response.status_code == 303:  # the page staff see next
                responses.append((path, c.get(response.headers["location"])))
            return response

        for path in ("/", "/report", "/signin", "/healthz", "/events", "/board",
                     "/board/events"):
            get(path)
        c.post("/signin", data={"password": PIN, "csrf": "wrong"})
        sign_in(c, "0000")
        assert sign_in(c).status_code == 303
        post("/scan", {"payload": payload_of(make_case(1), old)})
        post("/scan", {"payload": payload_of(make_case(2, Priority.NONE), new)})
        post("/scan", {"payload": "H1-T1-U1-1.001193-60-10C-1-AAAAAAAAAAAAAAAA"})
        post("/scan", {"payload": ""})
        post("/new", {"procedure": "1.001193", "priority": "elderly"})
        post("/new", {"procedure": "nope", "priority": "elderly"})
        post("/call", {"counter": "1"})
        post("/call", {"counter": "99"})
        for action in ("start", "done", "absent", "transfer", "recall", "bogus"):
            post(f"/case/1/{action}", {"counter": "2"}, route="/case/{case_id}/{action}")
        post("/case/999/start", {}, route="/case/{case_id}/{action}")
        get("/day/end")
        post("/day/end", {})
        get("/events?v=1", route="/events")
        get("/board/call/1.wav", route="/board/call/{call_id}.wav")
        post("/help/1/take", {}, route="/help/{call_id}/take")
        unsigned = c.post("/hub/records", content=b"{}")
        assert unsigned.status_code == 401
        responses.append(("/hub/records", unsigned))
        visited.add("/hub/records")
        for path in ("/?case=1", "/?case=999", "/report?month=2026-11",
                     "/report?month=bad", "/report/chart.png?month=2026-11",
                     "/report/chart.png?month=bad", "/report/figures.csv?month=2026-11",
                     "/report/figures.csv?month=bad", "/report/summary?month=2026-11",
                     "/report/summary?month=bad", "/static/desk.css", "/static/desk.js",
                     "/static/summary.css", "/nothing-here", "/docs", "/openapi.json"):
            get(path)
        traversal = [
            "/static/../centre.key", "/static/%2e%2e/centre.key", "/static/..%2fcentre.key",
            "/static/%2e%2e%2f%2e%2e%2fcentre.key", "/static//" + str(key_path).lstrip("/"),
            "/static/" + "../" * 12 + str(key_path).lstrip("/"),
            "/static/" + "%2e%2e%2f" * 12 + str(key_path).lstrip("/"),
            "/static/" + "..%5c" * 12 + str(key_path).lstrip("/"),
            "/centre.key", "/" + str(key_path).lstrip("/"),
            "/static/../../cases/keys.py", "/static/%2e%2e/service.py",
        ]
        for path in traversal:
            response = get(path, route="traversal")
            assert response.status_code in (400, 404), (path, response.status_code)
        post("/signout", {})
        journal_bytes = b"".join(
            p.read_bytes() for p in key_path.parent.glob("journal.sqlite3*") if p.is_file()
        )
    routes = {r.path for r in c.app.routes if isinstance(r, APIRoute)}
    assert routes <= visited, f"routes not checked: {routes - visited}"
    assert any(isinstance(r, Mount) and r.path == "/static" for r in c.app.routes)
    assert sum(1 for _, r in responses if r.status_code == 200) >= 20
    for retired_or_current in (old, new):
        for path, response in responses:
            headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items()).encode()
            assert_no_key(response.content + headers, retired_or_current, path)
        assert "HTTP Request" in caplog.text  # the capture works
        assert_no_key(caplog.text.encode(), retired_or_current, "the logs")
        assert_no_key(journal_bytes, retired_or_current, "the journal")


def test_hotro_desk_keeps_its_session_secret_and_reads_the_rotated_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """`hotro desk` as a technician runs it (uvicorn replaced by a catcher): the session secret
    is made once in $HOTRO_HOME (0600) and reused, so a restart does not sign staff out; slips
    signed with the previous key verify; the key is not printed."""
    import uvicorn

    from terminal.cli import main

    home = tmp_path / "home"
    monkeypatch.setenv("HOTRO_HOME", str(home))
    monkeypatch.setattr("sys.stdin", io.StringIO(PIN + "\n"))
    assert main(["desk", "passwd", "--stdin"]) == 0
    old = init_key(home / "centre.key")
    assert main(["keys", "rotate"]) == 0
    apps = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: apps.append((app, kw)))
    assert main(["desk"]) == 0 and main(["desk"]) == 0
    secret = home / SECRET_FILE
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert apps[0][1]["host"] == "127.0.0.1"
    slip = payload_of(make_case(7, created=datetime.now().replace(microsecond=0)), old)
    with TestClient(apps[0][0], base_url="http://127.0.0.1") as first:
        assert sign_in(first).status_code == 303
        assert scan(first, slip).status_code == 303
        cookies = dict(first.cookies)
    with TestClient(apps[1][0], base_url="http://127.0.0.1", cookies=cookies) as second:
        assert second.get("/", follow_redirects=False).status_code == 200
    out = capsys.readouterr()
    for key in (old, load_key(home / "centre.key")):
        assert_no_key((out.out + out.err).encode(), key, "the command's output")
    with Journal(home / "journal.sqlite3") as journal:
        assert [row.ticket_label for row in journal.cases()] == ["U-007"]


def test_keys_list_shows_fingerprints_never_the_keys(tmp_path, monkeypatch, capsys) -> None:
    from terminal.cli import main

    monkeypatch.setenv("HOTRO_HOME", str(tmp_path))
    old = init_key(tmp_path / "centre.key")
    assert main(["keys", "rotate", "--grace-days", "2"]) == 0
    assert main(["keys", "list"]) == 0
    out = capsys.readouterr().out
    new = load_key(tmp_path / "centre.key")
    assert "current" in out and "retired" in out and "accepted until" in out
    until = (datetime.now() + timedelta(days=2)).strftime("%Y-%m-%d") + " 23:59"
    assert until in out
    for key in (old, new):
        assert_no_key(out.encode(), key, "keys list")


def test_keys_rotate_refuses_a_grace_period_out_of_range(tmp_path, monkeypatch, capsys) -> None:
    from terminal.cli import main

    monkeypatch.setenv("HOTRO_HOME", str(tmp_path))
    key = init_key(tmp_path / "centre.key")
    assert main(["keys", "rotate", "--grace-days", "31"]) == 2
    assert "0..30" in capsys.readouterr().err
    assert load_key(tmp_path / "centre.key") == key


def test_hotro_desk_serves_https_with_a_certificate_and_its_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    import uvicorn

    from terminal.cli import main

    monkeypatch.setenv("HOTRO_HOME", str(tmp_path))
    monkeypatch.setattr("sys.stdin", io.StringIO(PIN + "\n"))
    assert main(["desk", "passwd", "--stdin"]) == 0
    init_key(tmp_path / "centre.key")
    cert, private = tmp_path / "desk.crt", tmp_path / "desk.pem"
    cert.write_text("cert", encoding="ascii")
    private.write_text("key", encoding="ascii")
    runs = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: runs.append(kw))
    assert main(["desk", "--tls-cert", str(cert)]) == 2
    assert "go together" in capsys.readouterr().err
    assert main(["desk", "--tls-cert", str(cert), "--tls-key", str(tmp_path / "none")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["desk", "--tls-cert", str(cert), "--tls-key", str(private)]) == 0
    assert runs == [{"host": "127.0.0.1", "port": 8080, "log_level": "warning",
                     "access_log": False, "timeout_graceful_shutdown": 2,
                     "ssl_certfile": str(cert), "ssl_keyfile": str(private)}]
    assert "https://127.0.0.1:8080/" in capsys.readouterr().out


def test_a_form_that_cannot_be_read_is_explained_never_a_bare_json_error(signed_in) -> None:
    token = csrf_of(signed_in.get("/").text)
    response = signed_in.post("/call", data={"counter": "abc", "csrf": token},
                              follow_redirects=False)
    assert response.status_code == 400 and "text/html" in response.headers["content-type"]
    assert VI.screen("desk_error_csrf") in response.text
    huge = signed_in.post("/scan", data={"payload": "A" * 1_100_000, "csrf": token})
    assert huge.status_code == 422 and VI.screen("desk_refused_malformed") in huge.text


def test_a_form_that_cannot_be_read_sends_a_signed_out_visitor_to_sign_in(client) -> None:
    response = client.post("/call", data={"counter": "abc"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/signin"


def test_a_busy_session_still_ends_twelve_hours_after_sign_in(signed_in, clock) -> None:
    for _ in range(12 * 3 - 1):
        clock.advance(20)
        assert signed_in.get("/", follow_redirects=False).status_code == 200
    clock.advance(21)
    assert signed_in.get("/", follow_redirects=False).status_code == 303
