"""Fuzzing the desk's scan endpoint through HTTP (Starlette test client, signed-in session with its
CSRF token, real journal, real key, real catalogue): whatever a scanner, a keyboard or an
attacker types, the desk never answers 500, every refusal shows its reason in Vietnamese, and a
refused code records nothing in the journal."""

from __future__ import annotations

import html
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from urllib.parse import quote, quote_from_bytes

from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from cases.case import Case, Delivery, Need, Priority, Ticket
from cases.codec import PayloadError, encode
from desk.app import create_app
from desk.service import DeskSettings
from tests.desk.support import BIRTH, BIRTH_PAPERS, PIN, csrf_of
from voices.phrases import load_pack

VI = load_pack("vi")
REASON_TEXTS = {
    reason: VI.screen(f"desk_refused_{reason}") for reason in (*PayloadError.REASONS, "empty")
}
FUZZ = settings(max_examples=200, deadline=None)


class Desk:
    """A signed-in desk session and its journal."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        token = csrf_of(client.get("/signin").text)
        signed = client.post("/signin", data={"password": PIN, "csrf": token})
        assert signed.status_code == 200 and "/signin" not in str(signed.url)
        self.csrf = csrf_of(client.get("/").text)
        self.journal = client.app.state.desk.journal  # type: ignore[attr-defined]

    def size(self) -> tuple[int, int, int]:
        return (len(self.journal.cases()), len(self.journal.case_events()),
                len(self.journal.events()))

    def post_form(self, payload: str):
        return self.client.post("/scan", data={"payload": payload, "csrf": self.csrf},
                                follow_redirects=False)

    def post_raw(self, body: bytes):
        return self.client.post(
            "/scan", content=body, follow_redirects=False,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )

    def csrf_field(self) -> bytes:
        return b"csrf=" + quote(self.csrf).encode("ascii")

    def assert_refused(self, response, before: tuple[int, int, int]) -> str:
        """The page says no, in Vietnamese, with one of the known reasons; nothing recorded."""
        assert response.status_code == 422, (response.status_code, response.text[:300])
        text = html.unescape(response.text)
        assert VI.screen("desk_refused_title") in text
        assert VI.screen("desk_refused_nothing_recorded") in text
        reasons = [reason for reason, said in REASON_TEXTS.items() if said in text]
        assert len(reasons) == 1, reasons
        assert self.size() == before
        return reasons[0]


@contextmanager
def signed_in_desk(settings: DeskSettings) -> Iterator[Desk]:
    with TestClient(create_app(settings), base_url="http://127.0.0.1",
                    raise_server_exceptions=False) as client:
        yield Desk(client)


def test_any_text_is_refused_with_a_reason_and_records_nothing(settings) -> None:
    with signed_in_desk(settings) as desk:

        @FUZZ
        @given(text=st.text(max_size=300))
        def check(text: str) -> None:
            before = desk.size()
            response = desk.post_form(text)
            assert response.status_code != 500
            desk.assert_refused(response, before)

        check()


def test_byte_noise_in_the_request_body_never_breaks_the_desk(settings) -> None:
    with signed_in_desk(settings) as desk:

        @FUZZ
        @given(noise=st.binary(max_size=400), encoded=st.booleans())
        def check(noise: bytes, encoded: bool) -> None:
            before = desk.size()
            value = quote_from_bytes(noise).encode("ascii") if encoded else noise
            response = desk.post_raw(desk.csrf_field() + b"&payload=" + value)
            status = response.status_code
            assert status in (403, 422), (status, response.text[:300])
            if status == 422:
                desk.assert_refused(response, before)
            else:  # raw bytes can carry a second "csrf=" field: the form is refused as stale
                assert VI.screen("desk_error_csrf") in html.unescape(response.text)
                assert desk.size() == before

        check()


def test_very_long_input_is_refused_as_unreadable(settings) -> None:
    """Up to past the 1 MB form-field limit, where the form itself cannot be read."""
    with signed_in_desk(settings) as desk:
        for length in (65, 97, 4096, 100_000, 1_100_000):
            for filler in ("A", "H1-", "é", " ", "%"):
                before = desk.size()
                text = (filler * length)[:length]
                reason = desk.assert_refused(desk.post_form(text), before)
                expected = "empty" if filler == " " and length < 1_000_000 else "malformed"
                assert reason == expected, (length, filler)


CASES = st.builds(
    Case,
    terminal_id=st.sampled_from(["T1", "T2", "K7", "ABCD"]),
    ticket=st.builds(Ticket, st.integers(1, 9999), st.booleans()),
    procedure_code=st.just(BIRTH),
    have=st.tuples(*[st.booleans()] * BIRTH_PAPERS),
    priority=st.sampled_from(list(Priority)),
    needs=st.frozensets(st.sampled_from(list(Need))),
    delivery=st.sampled_from(list(Delivery)),
    created=st.integers(0, 3 * 365 * 86400).map(
        lambda s: datetime(2026, 1, 1) + timedelta(seconds=s)
    ),
)
CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-.:/ abcxyz\t\né$%*+"


@st.composite
def mutations(draw: st.DrawFn, payload: str) -> str:
    kind = draw(st.sampled_from(
        ["replace", "insert", "delete", "swap", "truncate", "repeat", "lower", "pad", "splice"]
    ))
    i = draw(st.integers(0, len(payload) - 1))
    char = draw(st.sampled_from(CHARS))
    if kind == "replace":
        return payload[:i] + char + payload[i + 1:]
    if kind == "insert":
        return payload[:i] + char + payload[i:]
    if kind == "delete":
        return payload[:i] + payload[i + 1:]
    if kind == "swap":
        j = min(i + 1, len(payload) - 1)
        chars = list(payload)
        chars[i], chars[j] = chars[j], chars[i]
        return "".join(chars)
    if kind == "truncate":
        return payload[:i]
    if kind == "repeat":
        return payload + payload[i:]
    if kind == "lower":
        return payload.lower()
    if kind == "pad":
        return f"  {payload}\r\n"
    other = draw(st.text(alphabet=CHARS, min_size=1, max_size=20))
    return payload[:i] + other + payload[i + draw(st.integers(0, 20)):]


def test_mutated_valid_payloads_are_refused_or_read_exactly(settings, key) -> None:
    with signed_in_desk(settings) as desk:

        @FUZZ
        @given(case=CASES, data=st.data())
        def check(case: Case, data: st.DataObject) -> None:
            payload = encode(case, key)
            mutated = data.draw(mutations(payload))
            before = desk.size()
            response = desk.post_form(mutated)
            assert response.status_code != 500
            if response.status_code == 303:  # only a harmless change (case, spaces) may pass
                case_id = int(response.headers["location"].split("=")[1])
                row = desk.journal.case(case_id)
                assert row.payload == payload and row.ticket_label == case.ticket.label
                assert mutated.strip().upper() == payload
            else:
                reason = desk.assert_refused(response, before)
                assert reason in ("malformed", "version", "tag", "empty"), reason

        check()


def test_the_unmutated_payload_is_accepted_so_the_fuzzing_can_tell(settings, key) -> None:
    case = Case("T1", Ticket(5, True), BIRTH, (True,) * BIRTH_PAPERS, priority=Priority.DISABLED,
                created=datetime(2026, 11, 23, 8, 0))
    with signed_in_desk(settings) as desk:
        assert desk.post_form(encode(case, key)).status_code == 303
        assert desk.size()[0] == 1


def test_a_scan_without_the_csrf_token_is_refused_and_records_nothing(settings, key) -> None:
    case = Case("T1", Ticket(6, False), BIRTH, (False,) * 6, created=datetime(2026, 11, 23, 8))
    with signed_in_desk(settings) as desk:
        before = desk.size()
        response = desk.client.post("/scan", data={"payload": encode(case, key)},
                                    follow_redirects=False)
        assert response.status_code == 403 and desk.size() == before
