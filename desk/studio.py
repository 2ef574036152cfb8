"""The recording studio on the desk (``/studio``): staff record the centre's own voice.

A signed-in staff member opens a pack (``vi``, a dialect, a minority language), walks its
recording script group by group (the screens of a visit in order, the shared phrases, the slip,
each procedure, the number pieces: ``voices.compose.Composer.script``) and, for each line,
records in the browser (microphone → Web Audio → a 16-bit WAV made in the page; nothing leaves
the centre's network: the take goes only to this desk), listens, records again, and accepts.
The desk makes the take into a clip (``voices.clipaudio.process_take``: checked for clipping,
noise and silence, trimmed, RMS-normalised over the speech, resampled to 22050 Hz) and stores
it in the pack with the words it says and who recorded it when (a label staff choose).

Terminals get the packs by ``hotro voices pack export``/``import``, or pull them from the hub:
``GET /voices/packs`` and ``GET /voices/pack.zip?id=ID``, signed with the centre key
(``cases.signing``), no staff session.

Installed by ``install(app, ...)`` after ``desk.app.create_app``: it uses the desk's own
sign-in, CSRF and page rendering, exposed as ``app.state.staff``.
"""

from __future__ import annotations

import hashlib
import io
import logging
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from cases.signing import SIGNATURE_HEADER, TIME_HEADER, verify_request
from procedures.spoken import spoken_sections_of
from voices.clipaudio import process_take
from voices.clips import (
    MANIFEST,
    PACK_ID,
    VARIANTS,
    ClipPack,
    PackError,
    PackInfo,
    create_pack,
    export_pack,
    open_packs,
)
from voices.compose import SCRIPT_SECTIONS as SECTIONS
from voices.compose import Composer, ScriptEntry
from voices.phrases import PhraseError, load_pack

log = logging.getLogger("hotro.desk")

MAX_TAKE_BYTES = 16 * 1024 * 1024
"""A take larger than this is refused (60 s of 48 kHz stereo is about 11 MB)."""
STUDIO_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; media-src 'self' blob:; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'none'"
)
"""The desk's policy, plus ``blob:`` audio so staff can hear a take before sending it."""


@dataclass(frozen=True)
class StaffPages:
    """What the desk app lends to routers installed after it (``app.state.staff``)."""

    need_auth: Any
    """``need_auth(request)``: raises to the sign-in page unless a live staff session."""
    need_csrf: Any
    """``need_csrf(request, token)``: raises unless the session's CSRF token."""
    page: Any
    """``page(request, template, status=200, **context)`` → an HTML response."""


@dataclass(frozen=True)
class Group:
    """One page of the studio: the clips of one screen, procedure or section."""

    index: int
    section: str
    title: str
    entries: tuple[ScriptEntry, ...]


class Studio:
    """The packs on the desk's shelf and the recording script of each."""

    def __init__(
        self, root: Path, catalogue: Any, lang: str = "vi", variant: str = "north", centre: str = ""
    ) -> None:
        self.root = Path(root)
        self.sections = spoken_sections_of(catalogue, centre)
        self.lang = lang
        self.variant = variant
        self._lock = threading.Lock()
        self._packs: dict[str, ClipPack] = open_packs(self.root)
        self._composers: dict[tuple[str, str], Composer] = {}

    def packs(self) -> dict[str, ClipPack]:
        """The packs on the shelf: the same object for a pack while only the studio writes it
        (so two takes saved at once both land), read again when something else changed it (a
        ``hotro voices pack import`` while the desk runs)."""
        with self._lock:
            found = open_packs(self.root)
            for pack_id, pack in found.items():
                known = self._packs.get(pack_id)
                if known is not None and known.stamp == pack.stamp:
                    found[pack_id] = known
            self._packs = found
            return dict(found)

    def create(self, info: PackInfo) -> ClipPack:
        with self._lock:
            pack = create_pack(self.root, info)
            self._packs[pack.id] = pack
            return pack

    def groups(self, pack: ClipPack) -> list[Group]:
        key = (pack.lang, pack.info.variant)
        if key not in self._composers:
            self._composers[key] = Composer(load_pack(pack.lang), key[1], self.sections)
        groups: list[Group] = []
        current: list[ScriptEntry] = []
        for entry in self._composers[key].script():
            if current and (entry.section, entry.group) != (current[0].section, current[0].group):
                groups.append(Group(len(groups), current[0].section, current[0].group,
                                    tuple(current)))  # fmt: skip
                current = []
            current.append(entry)
        if current:
            groups.append(Group(len(groups), current[0].section, current[0].group, tuple(current)))
        return groups

    def entry(self, pack: ClipPack, clip_id: str) -> ScriptEntry | None:
        for group in self.groups(pack):
            for entry in group.entries:
                if entry.id == clip_id:
                    return entry
        return None


def pack_digest(pack: ClipPack) -> str:
    """Changes whenever a clip is added, replaced or removed (the manifest changes)."""
    if pack.legacy:
        pack.save()
    return hashlib.sha256((pack.folder / MANIFEST).read_bytes()).hexdigest()[:32]


def install(app: FastAPI, root: Path, lang: str = "vi", variant: str = "north") -> Studio:
    """Add the studio's pages and the hub's pack routes to the desk ``app``."""
    desk = app.state.desk
    staff: StaffPages = app.state.staff
    studio = Studio(root, desk.settings.catalogue, lang, variant, desk.settings.centre_name)
    app.state.studio = studio
    t = desk.t

    def studio_page(request: Request, status: int = 200, **context: Any) -> Response:
        response = staff.page(request, "studio.html", status=status, **context)
        response.headers["Content-Security-Policy"] = STUDIO_CSP
        return response

    def pick(pack_id: str | None) -> ClipPack | None:
        packs = studio.packs()
        return packs.get(pack_id or lang) or (next(iter(packs.values())) if packs else None)

    def status_of(pack: ClipPack, entry: ScriptEntry) -> tuple[str, str]:
        """("recorded"|"changed"|"missing", words for staff)."""
        info = pack.clips.get(entry.id)
        if info is None or not pack.good(entry.id):
            return "missing", t("desk_studio_missing")
        if info.text is not None and info.text != entry.text:
            return "changed", t("desk_studio_changed")
        when = info.at[:16].replace("T", " ")
        return "recorded", t("desk_studio_recorded", by=info.by or "—", at=when or "—")

    def render(
        request: Request, chosen: ClipPack | None, part: int | None = None, status: int = 200,
        error: str = "",
    ) -> Response:  # fmt: skip
        context: dict[str, Any] = {
            "pack": chosen, "packs": studio.packs(), "groups": [], "counts": {}, "recorded": 0,
            "total": 0, "group": None, "rows": [], "sections": SECTIONS, "variants": VARIANTS,
            "by": request.session.get("studio_by", ""), "error": error,
        }  # fmt: skip
        if chosen is not None:
            groups = studio.groups(chosen)
            counts = {
                g.index: (sum(status_of(chosen, e)[0] == "recorded" for e in g.entries),
                          len(g.entries))
                for g in groups
            }  # fmt: skip
            group = groups[part] if part is not None and 0 <= part < len(groups) else None
            context.update(
                groups=groups,
                counts=counts,
                recorded=sum(c[0] for c in counts.values()),
                total=sum(c[1] for c in counts.values()),
                group=group,
                rows=[(e, *status_of(chosen, e)) for e in group.entries] if group else [],
            )
        return studio_page(request, status=status, **context)

    @app.get("/studio")
    def studio_home(
        request: Request, pack: str | None = None, part: int | None = None,
        clip: str | None = None,
    ) -> Response:  # fmt: skip
        """The packs and their groups; ``part``: one group's lines; ``clip``: the group that
        holds that clip."""
        staff.need_auth(request)
        chosen = pick(pack)
        if clip and chosen is not None:
            part = next((g.index for g in studio.groups(chosen)
                         if any(e.id == clip for e in g.entries)), None)  # fmt: skip
        return render(request, chosen, part)

    @app.post("/studio/packs")
    def new_pack(
        request: Request, pack_id: str = Form(""), name: str = Form(""),
        pack_lang: str = Form("vi"), variant: str = Form("north"), tts: str = Form("yes"),
        csrf: str = Form(""),
    ) -> Response:  # fmt: skip
        staff.need_auth(request)
        staff.need_csrf(request, csrf)
        pack_id = pack_id.strip().lower()
        if not PACK_ID.fullmatch(pack_id) or variant not in VARIANTS:
            return render(request, pick(None), status=422, error=t("desk_studio_bad_pack_id"))
        try:
            load_pack(pack_lang)
            studio.create(PackInfo(pack_id, name.strip() or pack_id, pack_lang, variant,
                                   tts == "yes"))  # fmt: skip
        except (PackError, PhraseError) as exc:
            log.warning("studio: cannot create pack %s: %s", pack_id, exc)
            return render(request, pick(None), status=422, error=t("desk_studio_pack_exists"))
        return RedirectResponse(f"/studio?pack={pack_id}", status_code=303)

    @app.post("/studio/clip")
    async def record_clip(request: Request, pack: str, id: str) -> Response:  # noqa: A002
        staff.need_auth(request)
        staff.need_csrf(request, request.headers.get("X-CSRF-Token", ""))
        chosen = studio.packs().get(pack)
        entry = studio.entry(chosen, id) if chosen is not None else None
        if chosen is None or entry is None:
            return JSONResponse({"ok": False, "message": t("desk_studio_unknown_clip")}, 404)
        body = await request.body()
        if len(body) > MAX_TAKE_BYTES:
            return JSONResponse({"ok": False, "message": t("desk_studio_problem_too_long")}, 413)
        by = urllib.parse.unquote(request.headers.get("X-Studio-By", "")).strip()[:60]
        request.session["studio_by"] = by
        with tempfile.TemporaryDirectory(prefix="hotro-take-") as tmp:
            take, clip = Path(tmp) / "take.wav", Path(tmp) / "clip.wav"
            take.write_bytes(body)
            report = process_take(take, clip)
            if not report.ok:
                log.info("studio: take for %s refused: %s %s", id, report.problem, report.detail)
                message = t(f"desk_studio_problem_{report.problem}")
                return JSONResponse({"ok": False, "problem": report.problem, "message": message},
                                    422)  # fmt: skip
            at = datetime.now().astimezone().isoformat(timespec="seconds")
            try:
                info = chosen.add(entry.id, entry.text, clip, by, at)
            except PackError as exc:
                log.warning("studio: clip %s not stored: %s", id, exc)
                return JSONResponse({"ok": False, "message": t("desk_studio_problem_unreadable")},
                                    422)  # fmt: skip
        log.info("studio: %s/%s recorded (%.2f s, gain %+.1f dB)", pack, id, info.seconds,
                 report.gain_db)  # fmt: skip
        return JSONResponse({
            "ok": True,
            "status": status_of(chosen, entry)[1],
            "seconds": info.seconds,
            "trimmed_from": round(report.seconds_in, 2),
            "gain_db": round(report.gain_db, 1),
        })  # fmt: skip

    @app.get("/studio/clip.wav")
    def clip_audio(request: Request, pack: str, id: str) -> Response:  # noqa: A002
        staff.need_auth(request, active=False)
        chosen = studio.packs().get(pack)
        if chosen is None or id not in chosen.clips or not chosen.good(id):
            return Response(status_code=404)
        return Response(chosen.path(id).read_bytes(), media_type="audio/wav")

    @app.get("/studio/export")
    def export(request: Request, pack: str) -> Response:
        staff.need_auth(request)
        chosen = studio.packs().get(pack)
        if chosen is None:
            return Response(status_code=404)
        data = io.BytesIO()
        export_pack(chosen, data)
        return Response(
            data.getvalue(),
            media_type="application/zip",
            headers={"Content-Disposition": f'attachment; filename="hotro-voice-{pack}.zip"'},
        )

    # -- the hub: terminals pull packs --------------------------------------------------------
    def signed(request: Request) -> bool:
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        keys = desk.keyring().accepted(desk.journal.now())
        return verify_request(
            keys, request.method, path, request.headers.get(TIME_HEADER),
            request.headers.get(SIGNATURE_HEADER), time.time(),
        )  # fmt: skip

    @app.get("/voices/packs")
    def hub_list(request: Request) -> Response:
        if not signed(request):
            return JSONResponse({"error": "not signed with the centre key"}, 403)
        packs = studio.packs()
        return JSONResponse(
            [{"id": p.id, "digest": pack_digest(p), "clips": len(p.clips)} for p in packs.values()]
        )

    @app.get("/voices/pack.zip")
    def hub_pack(request: Request, id: str) -> Response:  # noqa: A002
        if not signed(request):
            return JSONResponse({"error": "not signed with the centre key"}, 403)
        chosen = studio.packs().get(id)
        if chosen is None:
            return JSONResponse({"error": f"no pack {id}"}, 404)
        data = io.BytesIO()
        export_pack(chosen, data)
        return Response(data.getvalue(), media_type="application/zip")

    return studio
