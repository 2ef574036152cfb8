"""The recording studio (/studio) and the hub's pack routes, over HTTP and in a real browser.

HTTP tests use the real desk app with the studio installed, real SoX processing and a real
espeak-ng recording standing in for a staff member's voice. The browser test starts headless
Chromium (Debian ``chromium``, Playwright) with a fake microphone playing a WAV file
(``--use-file-for-fake-audio-capture``) against a real uvicorn server, records a line through
the page and measures the stored clip with SoX.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import time
import wave
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from fastapi.testclient import TestClient

from cases.keys import init_key
from cases.signing import signed_headers
from desk.app import create_app
from desk.service import DeskSettings
from desk.studio import install
from tests.desk.browser import LOADED_MS
from tests.desk.support import PIN, csrf_of
from voices.clips import import_pack, open_packs
from voices.phrases import load_pack
from voices.speaker import Speaker

pytestmark = pytest.mark.real


def take_wav(path: Path, cache: Path, text: str = "Ông bà cần làm việc gì?", rate: int = 48000,
             level_db: float = -30.0, gain: float = 1.0) -> Path:  # fmt: skip
    """What a microphone would give: 0.8 s of room noise, the sentence, 1.2 s of room noise."""
    spoken = Speaker(cache).synthesize(text)
    with wave.open(str(spoken), "rb") as w:
        x = np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float64) / 32768
        r = w.getframerate()
    x = np.interp(np.linspace(0, len(x) - 1, int(len(x) * rate / r)), np.arange(len(x)), x)
    x = x / np.sqrt(np.mean(x**2)) * 10 ** (level_db / 20) * gain
    noise = np.random.default_rng(3).normal(0, 10 ** (-68 / 20), int(2.0 * rate) + len(x))
    take = noise.copy()
    take[int(0.8 * rate) : int(0.8 * rate) + len(x)] += x
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.clip(np.round(take * 32767), -32768, 32767).astype("<i2").tobytes())
    return path


def sox_seconds(path: Path) -> float:
    return float(subprocess.run(["sox", "--i", "-D", str(path)], capture_output=True, text=True,
                                check=True).stdout)  # fmt: skip


def sox_rms_db(path: Path) -> float:
    err = subprocess.run(["sox", str(path), "-n", "stats"], capture_output=True, text=True,
                         check=True).stderr  # fmt: skip
    return float(re.search(r"RMS lev dB\s+(-?[\d.]+)", err)[1])  # type: ignore[index]


@pytest.fixture
def shelf(tmp_path: Path) -> Path:
    return tmp_path / "clips"


@pytest.fixture
def studio_client(settings: DeskSettings, shelf: Path) -> Iterator[TestClient]:
    app = create_app(settings)
    install(app, shelf)
    with TestClient(app, base_url="http://127.0.0.1") as c:
        token = csrf_of(c.get("/signin").text)
        c.post("/signin", data={"password": PIN, "csrf": token})
        yield c


def make_pack(client: TestClient, pack_id: str = "vi", **fields: str) -> None:
    token = csrf_of(client.get("/studio").text)
    data = {"pack_id": pack_id, "name": "Giọng Trung tâm", "pack_lang": "vi", "variant": "north",
            "tts": "yes", "csrf": token, **fields}  # fmt: skip
    response = client.post("/studio/packs", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text


def post_take(client: TestClient, wav: Path, clip: str = "title_home", by: str = "Chị Lan",
              token: str | None = None):  # fmt: skip
    token = token if token is not None else csrf_of(client.get("/studio").text)
    return client.post(
        f"/studio/clip?pack=vi&id={clip}",
        content=wav.read_bytes(),
        headers={"X-CSRF-Token": token, "X-Studio-By": "Ch%E1%BB%8B%20Lan" if by else ""},
    )


def test_the_studio_needs_a_signed_in_staff_member(settings: DeskSettings, shelf: Path) -> None:
    app = create_app(settings)
    install(app, shelf)
    with TestClient(app, base_url="http://127.0.0.1") as c:
        assert c.get("/studio", follow_redirects=False).headers["location"] == "/signin"
        response = c.post("/studio/clip?pack=vi&id=title_home", content=b"RIFF",
                          follow_redirects=False)  # fmt: skip
        assert response.status_code == 303 and response.headers["location"] == "/signin"
        assert c.get("/studio/export?pack=vi", follow_redirects=False).status_code == 303


def test_staff_create_a_pack_and_see_the_script_grouped(studio_client: TestClient) -> None:
    page = studio_client.get("/studio").text
    assert "Chưa có bộ giọng nào" in page
    make_pack(studio_client)
    page = studio_client.get("/studio?pack=vi").text
    assert "Các màn hình của một lượt" in page and "Số, ngày, tiền" in page
    assert "Đăng ký khai sinh" in page  # each procedure is a group
    first = studio_client.get("/studio?pack=vi&part=0").text
    assert "Xin chào" in first and 'data-clip="title_attract"' in first
    assert "media-src 'self' blob:" in studio_client.get("/studio").headers[
        "content-security-policy"
    ]


def test_a_take_is_processed_and_stored_with_who_recorded_it(
    studio_client: TestClient, shelf: Path, tmp_path: Path
) -> None:
    make_pack(studio_client)
    wav = take_wav(tmp_path / "take.wav", tmp_path / "cache")
    response = post_take(studio_client, wav)
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["ok"] and "Chị Lan" in result["status"]
    pack = open_packs(shelf)["vi"]
    info = pack.clips["title_home"]
    assert info.text == load_pack("vi").spoken("title_home") and info.by == "Chị Lan"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", info.at)
    stored = pack.path("title_home")
    assert sox_seconds(stored) < sox_seconds(wav) - 1.5  # the 2 s of room noise trimmed away
    assert -24.0 < sox_rms_db(stored) < -19.0
    got = studio_client.get("/studio/clip.wav?pack=vi&id=title_home")
    assert got.status_code == 200 and got.content == stored.read_bytes()
    page = studio_client.get("/studio?pack=vi&clip=title_home").text
    assert "Đã ghi (Chị Lan," in page


@pytest.mark.parametrize(
    ("gain", "level_db", "message"),
    [(40.0, -10.0, "bị rè"), (1.0, -95.0, "Không nghe thấy tiếng nói")],
)
def test_a_bad_take_is_refused_in_plain_vietnamese_and_nothing_is_stored(
    studio_client: TestClient, shelf: Path, tmp_path: Path, gain: float, level_db: float,
    message: str,
) -> None:  # fmt: skip
    make_pack(studio_client)
    wav = take_wav(tmp_path / "take.wav", tmp_path / "cache", level_db=level_db, gain=gain)
    response = post_take(studio_client, wav)
    assert response.status_code == 422
    assert message in response.json()["message"]
    assert "title_home" not in open_packs(shelf)["vi"].clips


def test_a_take_without_the_csrf_token_or_for_an_unknown_line_is_refused(
    studio_client: TestClient, tmp_path: Path
) -> None:
    make_pack(studio_client)
    wav = take_wav(tmp_path / "take.wav", tmp_path / "cache")
    assert post_take(studio_client, wav, token="forged").status_code == 403
    assert post_take(studio_client, wav, clip="no_such_line").status_code == 404
    assert post_take(studio_client, wav, clip="../../centre").status_code == 404


def test_export_from_the_studio_installs_on_a_terminal(
    studio_client: TestClient, tmp_path: Path
) -> None:
    make_pack(studio_client)
    assert post_take(studio_client, take_wav(tmp_path / "t.wav", tmp_path / "c")).json()["ok"]
    zipped = studio_client.get("/studio/export?pack=vi")
    assert zipped.headers["content-type"] == "application/zip"
    report = import_pack(tmp_path / "terminal", io.BytesIO(zipped.content))
    assert (report.pack_id, report.clips) == ("vi", 1)


def test_the_hub_serves_packs_only_to_requests_signed_with_the_centre_key(
    studio_client: TestClient, settings: DeskSettings, tmp_path: Path
) -> None:
    make_pack(studio_client)
    post_take(studio_client, take_wav(tmp_path / "t.wav", tmp_path / "c"))
    now = int(time.time())
    assert studio_client.get("/voices/packs").status_code == 403
    other = init_key(tmp_path / "other.key")
    assert studio_client.get(
        "/voices/packs", headers=signed_headers(other, "GET", "/voices/packs", now)
    ).status_code == 403
    stale = signed_headers(settings.key, "GET", "/voices/packs", now - 3600)
    assert studio_client.get("/voices/packs", headers=stale).status_code == 403
    ok = signed_headers(settings.key, "GET", "/voices/packs", now)
    listing = studio_client.get("/voices/packs", headers=ok).json()
    assert [(p["id"], p["clips"]) for p in listing] == [("vi", 1)]
    path = "/voices/pack.zip?id=vi"
    zipped = studio_client.get(path, headers=signed_headers(settings.key, "GET", path, now))
    assert zipped.status_code == 200
    assert import_pack(tmp_path / "t", io.BytesIO(zipped.content)).clips == 1
    # the signature covers the query: it cannot be replayed for another pack
    forged = signed_headers(settings.key, "GET", path, now)
    replayed = studio_client.get("/voices/pack.zip?id=en", headers=forged)
    assert replayed.status_code == 403


# ----------------------------------------------------------------- the real browser


@pytest.fixture(scope="module")
def microphone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The WAV Chromium's fake microphone plays (once, not looped)."""
    folder = tmp_path_factory.mktemp("mic")
    return take_wav(folder / "mic.wav", folder / "cache", rate=48000, level_db=-28.0)


ANSWERED = (
    "li.clip[data-clip='title_home'][data-state='saved'], "
    "li.clip[data-clip='title_home'][data-state='refused']"
)


def recorded_at_least(page, seconds: float) -> None:  # noqa: ANN001
    """Wait on the page's own count of the seconds it has recorded."""
    page.wait_for_function(
        "([sel, s]) => Number(document.querySelector(sel).dataset.recordedSeconds || 0) >= s",
        arg=["li.clip[data-clip='title_home']", seconds],
        timeout=LOADED_MS,
    )


def _record_in_browser(url: str, microphone: str, artifacts: str) -> dict[str, str]:
    """In a fresh interpreter (Playwright's sync API allows one instance per process, and the
    other browser tests keep theirs open): Chromium with a fake microphone playing
    ``microphone`` once. Creates the pack, records "title_home" (listen, record again: the
    microphone is silent by then and the take is refused), then records it on a new page."""
    from playwright.sync_api import sync_playwright

    from tests.desk.browser import CHROMIUM, sign_in

    server = SimpleNamespace(url=url)  # what sign_in needs of the server
    length = sox_seconds(Path(microphone))
    out: dict[str, str] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                  f"--use-file-for-fake-audio-capture={microphone}%noloop"],
        )  # fmt: skip
        outside: list[str] = []

        def new_page():  # noqa: ANN202
            context = browser.new_context(viewport={"width": 1300, "height": 1000},
                                          locale="vi-VN", permissions=["microphone"])  # fmt: skip
            page = context.new_page()
            page.set_default_timeout(LOADED_MS)
            page.set_default_navigation_timeout(LOADED_MS)
            page.on("request", lambda r: outside.append(r.url)
                    if not r.url.startswith((url, "data:", "blob:")) else None)  # fmt: skip
            sign_in(page, server)
            return context, page

        context, page = new_page()
        page.goto(url + "/studio")
        page.fill("#pack_id", "vi")
        page.fill("#name", "Giọng Trung tâm")
        with page.expect_navigation():
            page.click("form[action='/studio/packs'] button[type=submit]")
        page.goto(url + "/studio?pack=vi&clip=title_home")  # the home screen's lines
        row = page.locator("li.clip[data-clip='title_home']")
        page.fill("#by", "Anh Tú")
        row.locator("button.record").click()
        recorded_at_least(page, length + 0.3)  # the whole microphone file
        row.locator("button.stop").click()
        out["take_src"] = row.locator("audio.take").get_attribute("src") or ""  # to listen
        row.locator("button.redo").click()
        recorded_at_least(page, 0.5)
        row.locator("button.stop").click()
        row.locator("button.accept").click()
        page.wait_for_selector(ANSWERED)
        out["redo_state"] = row.get_attribute("data-state") or ""
        out["redo_note"] = row.locator(".take-note").inner_text()
        context.close()
        context, page = new_page()  # a new capture: the microphone file plays from its start
        page.goto(url + "/studio?pack=vi&clip=title_home")
        row = page.locator("li.clip[data-clip='title_home']")
        page.fill("#by", "Anh Tú")
        row.locator("button.record").click()
        recorded_at_least(page, length + 0.3)
        row.locator("button.stop").click()
        row.locator("button.accept").click()
        page.wait_for_selector(ANSWERED)
        out["state"] = row.get_attribute("data-state") or ""
        out["note"] = row.locator(".take-note").inner_text()
        out["status"] = row.locator(".state-words").inner_text()
        page.screenshot(path=str(Path(artifacts) / "desk-studio.png"), full_page=False)
        context.close()
        browser.close()
    out["outside"] = " ".join(outside)
    return out


def test_a_line_is_recorded_through_the_studio_in_a_real_browser(
    settings: DeskSettings, shelf: Path, tmp_path: Path
) -> None:
    from tests.desk.browser import ARTIFACTS
    from tests.desk.support import ThreadServer
    from tests.voices.isolated import run_isolated

    microphone = take_wav(tmp_path / "mic.wav", tmp_path / "cache", level_db=-28.0)
    server = ThreadServer(replace(settings, clock=None, announcer=None))
    install(server.app, shelf)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with server:
        got = run_isolated(_record_in_browser, {}, server.url, str(microphone), str(ARTIFACTS),
                           timeout=600)  # a bound for a hung browser only  # fmt: skip
    assert got["outside"] == ""  # nothing but the desk itself
    assert got["take_src"].startswith("blob:")  # the take plays in the page before sending
    assert got["redo_state"] == "refused"  # silence is not a clip
    assert "Không nghe thấy tiếng nói" in got["redo_note"]
    assert got["state"] == "saved", got["note"]
    assert "Đã ghi (Anh Tú" in got["status"]
    pack = open_packs(shelf)["vi"]
    stored = pack.path("title_home")
    manifest = json.loads((shelf / "vi" / "pack.json").read_text(encoding="utf-8"))
    assert manifest["clips"]["title_home"]["by"] == "Anh Tú"
    assert manifest["clips"]["title_home"]["text"] == load_pack("vi").spoken("title_home")
    # trimmed: the recording held 0.8 s + 1.2 s of room noise around the sentence
    assert sox_seconds(stored) < sox_seconds(microphone) - 1.5
    assert -24.0 < sox_rms_db(stored) < -19.0
    with wave.open(str(stored), "rb") as w:
        assert (w.getframerate(), w.getnchannels()) == (22050, 1)
