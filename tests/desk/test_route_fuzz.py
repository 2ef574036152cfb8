"""Crafted addresses: every route of the desk with fuzzed path parts, query strings and form
fields (hypothesis), through HTTP (Starlette test client, a real journal, key and catalogue), signed
in and signed out. Never an error 500; a refusal is a page in Vietnamese, never English or JSON."""

from __future__ import annotations

import html
import re
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk.app import create_app
from tests.desk.support import PIN, csrf_of, make_case, payload_of
from voices.phrases import load_pack

VI = load_pack("vi")
FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
ENGLISH = re.compile(r"\b(the|is|not|error|invalid|found|expected|detail)\b", re.IGNORECASE)

NUMBERS = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    st.sampled_from(["99999999999999999999", "0", "-1", "1e9", "0x10", "", " 1", "NaN",
                     "１", "١", "1.5"]),
    st.text(max_size=12),
)
MONTHS = st.one_of(
    st.sampled_from(["0000-01", "9999-12", "2026-00", "2026-13", "10000-01", "2026-1", "",
                     "2026-11", "-001-01", "2026-11-01", "２０２６-１１"]),
    st.from_regex(r"[0-9]{1,5}-[0-9]{1,3}", fullmatch=True),
    st.text(max_size=12),
)
PATHS = st.sampled_from([
    "/", "/report", "/report/chart.png", "/report/figures.csv", "/report/summary",
    "/signin", "/healthz", "/board", "/case/{n}/start", "/case/{n}/done", "/case/{n}/bogus",
    "/case/{n}/transfer", "/case/{n}/recall", "/case/{n}/requeue",
])
KEYS = st.sampled_from(["case", "month", "counter", "x", "case[]", "since"])


def check(response) -> None:
    assert response.status_code != 500, response.text[:300]
    assert response.status_code in (200, 303, 400, 401, 403, 404, 405, 422, 429)
    if response.status_code >= 400 and "text/html" in response.headers.get("content-type", ""):
        text = html.unescape(re.sub(r"<[^>]+>", " ", response.text))
        body = text.split("</header>")[-1]
        assert not ENGLISH.findall(body.split(VI.screen("desk_title"))[-1]), body[:400]
    if response.status_code >= 400:
        assert "application/json" not in response.headers.get("content-type", "")


@pytest.fixture
def desk(settings):
    with TestClient(create_app(settings), base_url="http://127.0.0.1",
                    raise_server_exceptions=False) as client:
        yield client


def sign_in(client: TestClient) -> str:
    token = csrf_of(client.get("/signin").text)
    client.post("/signin", data={"password": PIN, "csrf": token})
    return csrf_of(client.get("/").text)


def test_the_crafted_urls_of_the_issue_are_refused_in_vietnamese(desk, settings) -> None:
    token = sign_in(desk)
    desk.post("/scan", data={"payload": payload_of(make_case(), settings.key), "csrf": token})
    for url, status in (("/?case=99999999999999999999", 404),
                        ("/report?month=0000-01", 422),
                        ("/report/summary?month=0000-01", 422),
                        ("/report/figures.csv?month=0000-01", 422),
                        ("/report/chart.png?month=0000-01", 422),
                        ("/?case=abc", 400)):
        response = desk.get(url)
        check(response)
        assert response.status_code == status, url
    response = desk.post("/case/99999999999999999999/start", data={"csrf": token})
    check(response)
    assert response.status_code == 404
    assert VI.screen("desk_error_not_found") in response.text
    assert VI.screen("desk_report_bad_month") in desk.get("/report/summary?month=0000-01").text


def test_an_unknown_page_is_explained_in_vietnamese(desk) -> None:
    sign_in(desk)
    for response in (desk.get("/nothing"), desk.delete("/"), desk.get("/docs")):
        check(response)
        assert VI.screen("desk_error_no_page") in response.text


@pytest.mark.parametrize("signed", [True, False])
def test_fuzzed_addresses_never_break_the_desk(desk, settings, signed: bool) -> None:
    token = sign_in(desk) if signed else ""
    if signed:
        desk.post("/scan", data={"payload": payload_of(make_case(), settings.key),
                                 "csrf": token})

    @FUZZ
    @given(path=PATHS, n=NUMBERS, query=st.lists(st.tuples(KEYS, NUMBERS | MONTHS), max_size=3),
           post=st.booleans(), counter=NUMBERS)
    def run(path: str, n: str, query: list[tuple[str, str]], post: bool, counter: str) -> None:
        url = path.replace("{n}", quote(n, safe="") or "0")
        if query:
            url += "?" + "&".join(f"{quote(k)}={quote(v)}" for k, v in query)
        if post:
            response = desk.post(url, data={"csrf": token, "counter": counter},
                                 follow_redirects=False)
        else:
            response = desk.get(url, follow_redirects=False)
        check(response)

    run()
