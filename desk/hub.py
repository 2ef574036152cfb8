"""The desk as the centre's hub: ``POST /hub/records`` takes what terminals forward.

No sign-in and no CSRF here: a request is authenticated by its HMAC with the centre key
(``cases.signing``, over the body too), and answered in JSON for the terminal's forwarder
(English, for the log).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from cases.centre import MAX_BODY, PATH, BatchError, ingest
from cases.journal import JournalError
from cases.signing import SIGNATURE_HEADER, TIME_HEADER, verify_request
from desk.service import Desk

_log = logging.getLogger(__name__)


def add_hub_routes(app: FastAPI, desk: Desk, changed: Callable[[], None]) -> None:
    """Add the hub's route to ``app``; ``changed`` is called after rows were stored."""

    @app.post(PATH)
    async def records(request: Request) -> JSONResponse:
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY:
                return JSONResponse({"error": "the request is too large"}, status_code=413)
        keys = desk.keyring().accepted(desk.journal.now())
        if not verify_request(keys, "POST", PATH, request.headers.get(TIME_HEADER),
                              request.headers.get(SIGNATURE_HEADER), time.time(), body,
                              window=None):  # a replay stores nothing twice
            _log.warning("hub: a request with a wrong signature from %s was refused",
                         request.client.host if request.client else "?")
            return JSONResponse({"error": "signature"}, status_code=401)
        try:
            batch = json.loads(body)
            stored, cursors = await run_in_threadpool(ingest, desk.journal, batch)
        except (ValueError, BatchError) as exc:  # json errors are ValueErrors too
            _log.error("hub: a request was refused: %s", exc)
            return JSONResponse({"error": str(exc)}, status_code=400)
        except JournalError as exc:
            _log.error("hub: journal: %s", exc)
            return JSONResponse({"error": str(exc)}, status_code=503)
        if stored:
            changed()
        return JSONResponse({"cursors": cursors}, status_code=200 if stored else 409)
