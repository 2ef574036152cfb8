"""The hall board: ``GET /board`` for a TV in the waiting hall.

No sign-in and nothing personal: ticket labels, counters, how many are waiting. The page
follows ``/board/events`` (server-sent events, pushed within the watcher's interval of a call)
and reconnects by itself when the hub restarts. On each new call it plays a chime, then the
spoken call (``/board/call/<id>.wav``, synthesised by the hub with espeak-ng when the desk has
a voice), so residents who are hard of hearing read it and those who cannot read hear it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import jinja2
from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from desk.live import RETRY_MS, Live, event
from desk.service import Desk

EVENT_HEADERS = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}


def event_stream(body: AsyncIterator[str]) -> StreamingResponse:
    return StreamingResponse(body, media_type="text/event-stream", headers=EVENT_HEADERS)


def add_board_routes(app: FastAPI, desk: Desk, live: Live, env: jinja2.Environment) -> None:
    """``/board``, its events and the spoken calls."""

    @app.get("/board", response_class=HTMLResponse)
    def board(request: Request) -> HTMLResponse:
        html = env.get_template("board.html").render(
            t=desk.t, lang=desk.settings.lang, centre_name=desk.settings.centre_name,
            board=live.refresh().board,
        )
        return HTMLResponse(html)

    @app.get("/board/events")
    async def board_events(request: Request) -> StreamingResponse:
        async def stream() -> AsyncIterator[str]:
            yield f"retry: {RETRY_MS}\n\n"
            current = await run_in_threadpool(live.refresh)
            shown: dict[str, Any] = current.board
            yield event(shown, ident=current.version)
            async for fresh in live.updates(current.version, desk.settings.stream_seconds):
                if fresh is None:
                    yield ": still here\n\n"
                elif fresh.board != shown:
                    shown = fresh.board
                    yield event(shown, ident=fresh.version)

        return event_stream(stream())

    @app.get("/board/call/{call_id}.wav")
    async def spoken_call(call_id: int) -> Response:
        voice = desk.settings.hall_voice
        calls = await run_in_threadpool(desk.board_calls, 50)
        call = next((c for c in calls if c.id == call_id), None)
        if voice is None or call is None:
            return Response(status_code=404)
        text = desk.pack.get("desk_call_announce", ticket=call.ticket, counter=call.counter).spoken
        wav = await run_in_threadpool(voice, text)
        if wav is None:
            return Response(status_code=404)
        return FileResponse(wav, media_type="audio/wav")
