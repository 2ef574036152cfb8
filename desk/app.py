"""The desk web page (FastAPI, server-rendered Jinja templates, a little vanilla JS, no
external assets): sign in, scan, queue, call next, case actions, month report.

Security: staff sign in with the centre's PIN/password (scrypt hash in the configuration);
wrong tries lock sign-in per client and globally, for longer each time (``desk.auth.Throttle``);
the session cookie is signed (with a secret that survives restarts when ``hotro desk`` runs it),
HttpOnly, SameSite=Strict, and Secure over HTTPS or when ``secure_cookies`` is set; a session
with no staff action for ``idle_minutes``, or signed in ``SESSION_HOURS`` ago, must sign in
again (the queue's own refresh does not count as an action); every POST form carries a CSRF
token that must match the session's; the server binds to 127.0.0.1 unless configured
otherwise; a Content-Security-Policy allows only this server's own files. The centre key is
never put in a page, a header or a log line.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

from fastapi import FastAPI, Form, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import (
    HTMLResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from cases.codec import looks_like_payload
from cases.journal import JournalError
from cases.stats import StatsError, month_report
from desk import report as reports
from desk.auth import Throttle, new_token, same_token, verify_password
from desk.board import add_board_routes, event_stream
from desk.hub import add_hub_routes
from desk.live import RETRY_MS, Live, diff, event
from desk.service import (
    COUNTER_TYPES,
    Desk,
    DeskError,
    DeskNotFound,
    DeskSettings,
    ScanOutcome,
)
from desk.studio import StaffPages

_log = logging.getLogger(__name__)

SESSION_COOKIE = "hotro_desk"
SESSION_HOURS = 12

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class _SignInNeeded(Exception):
    pass


class _BadCsrf(Exception):
    pass


def create_app(settings: DeskSettings) -> FastAPI:
    """The desk application. ``app.state.desk`` is the ``Desk`` (close it on shutdown)."""
    desk = Desk(settings)
    env = reports.environment()
    throttle = Throttle()
    live = Live(desk, on_help=desk.announce_help)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await live.start()
        yield
        await live.stop()
        desk.close()

    app = FastAPI(
        title="hotro desk", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan
    )
    app.state.desk = desk
    app.state.live = live
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.session_secret or secrets.token_urlsafe(32),
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_HOURS * 3600,
        same_site="strict",
        https_only=settings.secure_cookies,
    )
    app.mount("/static", StaticFiles(directory=reports.STATIC), name="static")

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response = await call_next(request)
        if request.method == "POST":
            live.poke()  # whatever it wrote reaches the open pages now
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.url.scheme == "https" and not settings.secure_cookies:
            response.raw_headers[:] = [
                (name, _secure_cookie(value) if name == b"set-cookie" else value)
                for name, value in response.raw_headers
            ]
        return response

    @app.exception_handler(_SignInNeeded)
    async def to_signin(request: Request, exc: _SignInNeeded) -> Response:
        return RedirectResponse("/signin", status_code=303)

    def now_seconds() -> float:
        return desk.journal.now().timestamp()

    @app.exception_handler(_BadCsrf)
    async def bad_csrf(request: Request, exc: _BadCsrf) -> Response:
        return page(request, "message.html", status=403, message=desk.t("desk_error_csrf"))

    @app.exception_handler(JournalError)
    async def journal_failed(request: Request, exc: JournalError) -> Response:
        _log.error("journal: %s", exc)
        return page(request, "message.html", status=503, message=desk.journal_problem(exc))

    def unreadable_form(request: Request) -> Response:
        """A request whose form cannot be read (a field over 1 MB, a damaged body, a number
        field holding text): never a bare JSON error. A scan is refused like any unreadable
        code; other forms are explained as stale."""
        if request.session.get("auth") is not True:
            return RedirectResponse("/signin", status_code=303)
        if request.url.path == "/scan":
            refused = ScanOutcome(
                False, reason="malformed", message=desk.t("desk_refused_malformed"),
                detail="The scanned text could not be read (too long or damaged).",
            )
            return desk_page(request, status=422, refused=refused)
        return page(request, "message.html", status=400, message=desk.t("desk_error_csrf"))

    def message(request: Request, status: int, phrase_id: str, **params: Any) -> HTMLResponse:
        return page(request, "message.html", status=status, message=desk.t(phrase_id, **params))

    @app.exception_handler(RequestValidationError)
    async def bad_form(request: Request, exc: RequestValidationError) -> Response:
        if request.method == "GET":  # a crafted address: a number that is not one, say
            return message(request, 400, "desk_error_bad_address")
        return unreadable_form(request)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 400:
            return unreadable_form(request)
        if exc.status_code in (404, 405):
            return message(request, exc.status_code, "desk_error_no_page")
        return await http_exception_handler(request, exc)

    @app.exception_handler(DeskNotFound)
    async def not_found(request: Request, exc: DeskNotFound) -> Response:
        return message(request, 404, "desk_error_not_found")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        _log.exception("desk: unexpected error on %s %s", request.method, request.url.path)
        return message(request, 500, "desk_error_unexpected")

    def csrf_token(request: Request) -> str:
        token = request.session.get("csrf")
        if not token:
            token = new_token()
            request.session["csrf"] = token
        return token

    def need_auth(request: Request, active: bool = True) -> None:
        """Refuse a request without a live session. ``active``: a staff action, which keeps the
        session alive (the queue's automatic refresh is not one)."""
        if request.session.get("auth") is not True:
            raise _SignInNeeded
        now = now_seconds()
        seen = request.session.get("seen")
        since = request.session.get("since")
        if (
            not isinstance(seen, int | float)
            or not isinstance(since, int | float)
            or not 0 <= now - seen <= settings.idle_minutes * 60
            or not 0 <= now - since <= SESSION_HOURS * 3600
        ):
            request.session.clear()
            request.session["timed_out"] = True
            raise _SignInNeeded
        if active:
            request.session["seen"] = now

    def need_csrf(request: Request, given: str) -> None:
        if not same_token(given, request.session.get("csrf")):
            raise _BadCsrf

    def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = env.get_template(name).render(
            t=desk.t,
            csrf=csrf_token(request),
            signed_in=request.session.get("auth") is True,
            centre_name=settings.centre_name,
            lang=settings.lang,
            **context,
        )
        return HTMLResponse(html, status_code=status)

    def counter_of(request: Request) -> int:
        value = request.session.get("counter", 1)
        return value if isinstance(value, int) and 1 <= value <= settings.counters else 1

    def queue_context(request: Request) -> dict[str, Any]:
        """What queue.html needs: the live snapshot (the page then follows its changes)."""
        snapshot = live.refresh()  # what was just written is on the page it leads to
        counter = counter_of(request)
        return {
            "queue": snapshot.queue, "version": snapshot.version, "now": now_seconds(),
            "counter": counter, "counters": range(1, settings.counters + 1),
            "limit": settings.fairness_limit,
            "serves": {c.number: c.label for c in desk.counters()},
        }

    def desk_page(
        request: Request, status: int = 200, refused: ScanOutcome | None = None,
        case_id: int | None = None, error: str = "",
    ) -> HTMLResponse:
        flash = request.session.pop("flash", None) or {}
        case = desk.case_view(case_id) if case_id is not None else None
        if case_id is not None and case is None:
            status, error = 404, desk.t("desk_error_not_found")
        return page(
            request,
            "desk.html",
            status=status,
            case=case,
            refused=refused,
            flash=flash,
            error=error or flash.get("error", ""),
            **queue_context(request),
            procedures=sorted(settings.catalogue.procedures.values(), key=lambda p: p.short_name),
            services=list(settings.catalogue.services.values()),
            priorities=("none", "elderly", "disabled", "pregnant", "small_child",
                        "seriously_ill"),
        )

    # -- sign-in --------------------------------------------------------------------------------

    @app.get("/healthz", response_class=PlainTextResponse)
    def healthz() -> str:
        return "ok"

    def signin_form(request: Request, status: int = 200, error: str = "") -> HTMLResponse:
        kept = desk.t("desk_signin_slip_kept") if request.session.get("pending_scan") else ""
        return page(request, "signin.html", status=status, error=error, kept=kept)

    @app.get("/signin", response_class=HTMLResponse)
    def signin_page(request: Request) -> HTMLResponse:
        timed_out = request.session.pop("timed_out", False) is True
        return signin_form(request, error=desk.t("desk_signin_timed_out") if timed_out else "")

    def keep_slip(request: Request, text: str) -> None:
        """A slip scanned while signed out: opened right after sign-in (nothing recorded
        before, since only staff may record)."""
        request.session["pending_scan"] = text.strip().upper()

    def open_kept_slip(request: Request) -> Response:
        """After sign-in: the slip scanned before it, handed in and shown, or refused."""
        text = request.session.pop("pending_scan", None)
        if not isinstance(text, str):
            return RedirectResponse("/", status_code=303)
        outcome = desk.scan(text)
        if not outcome.ok:
            _log.info("scan refused (%s): %s", outcome.reason, outcome.detail)
            request.session["flash"] = {"error": outcome.message}
            return RedirectResponse("/", status_code=303)
        request.session["flash"] = {
            "note": desk.t("desk_case_already" if outcome.already else "desk_case_handed_off")
        }
        return RedirectResponse(f"/?case={outcome.case_id}", status_code=303)

    def locked_page(request: Request, client: str) -> HTMLResponse | None:
        scope, wait = throttle.locked(client)
        if not wait:
            return None
        phrase = "desk_signin_locked_all" if scope == "global" else "desk_signin_locked"
        return signin_form(request, status=429, error=desk.t(phrase, seconds=wait))

    @app.post("/signin", response_class=HTMLResponse)
    def signin(request: Request, password: str = Form(""), csrf: str = Form("")) -> Response:
        need_csrf(request, csrf)
        if looks_like_payload(password):  # the scanner typed a slip into the PIN box
            keep_slip(request, password)
            return signin_form(request)
        client = request.client.host if request.client else ""
        locked = locked_page(request, client)
        if locked is not None:
            return locked
        if not verify_password(password, settings.password_hash):
            throttle.failed(client)
            scope, wait = throttle.locked(client)
            if wait:
                desk.journal.record_event(
                    "desk", f"sign-in locked ({'all clients' if scope == 'global' else client})"
                    f" for {wait} s after wrong tries"
                )
            return signin_form(request, status=401, error=desk.t("desk_signin_wrong"))
        throttle.succeeded(client)
        kept = request.session.get("pending_scan")
        request.session.clear()
        request.session["auth"] = True
        request.session["csrf"] = new_token()
        request.session["seen"] = request.session["since"] = now_seconds()
        if kept:
            request.session["pending_scan"] = kept
        desk.journal.record_event("desk", "signin")
        return open_kept_slip(request)

    @app.post("/signout")
    def signout(request: Request, csrf: str = Form("")) -> Response:
        need_csrf(request, csrf)
        request.session.clear()
        return RedirectResponse("/signin", status_code=303)

    # -- the desk -------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request, case: int | None = None) -> HTMLResponse:
        need_auth(request)
        return desk_page(request, case_id=case)

    @app.post("/scan", response_class=HTMLResponse)
    def scan(request: Request, payload: str = Form(""), csrf: str = Form("")) -> Response:
        try:
            need_auth(request)
        except _SignInNeeded:
            if looks_like_payload(payload):  # the session ended: open it after sign-in
                keep_slip(request, payload)
            raise
        need_csrf(request, csrf)
        try:
            outcome = desk.scan(payload)
        except JournalError as exc:
            _log.error("journal: %s", exc)
            return desk_page(request, status=503, error=desk.journal_problem(exc))
        if not outcome.ok:
            _log.info("scan refused (%s): %s", outcome.reason, outcome.detail)
            return desk_page(request, status=422, refused=outcome)
        request.session["flash"] = {
            "note": desk.t("desk_case_already" if outcome.already else "desk_case_handed_off")
        }
        return RedirectResponse(f"/?case={outcome.case_id}", status_code=303)

    @app.post("/call")
    def call(request: Request, counter: int = Form(1), csrf: str = Form("")) -> Response:
        need_auth(request)
        need_csrf(request, csrf)
        try:
            chosen = desk.call_next(counter)
        except DeskError as exc:
            request.session["flash"] = {"error": str(exc)}
            return RedirectResponse("/", status_code=303)
        request.session["counter"] = counter
        if chosen is None:
            request.session["flash"] = {"note": desk.t("desk_nobody_to_call")}
            return RedirectResponse("/", status_code=303)
        request.session["flash"] = {
            "called": desk.t("desk_called", ticket=chosen.ticket, counter=counter)
        }
        return RedirectResponse(f"/?case={chosen.case_id}", status_code=303)

    @app.post("/case/{case_id}/{action}")
    def act(
        request: Request, case_id: int, action: str, counter: int | None = Form(None),
        csrf: str = Form(""),
    ) -> Response:
        need_auth(request)
        need_csrf(request, csrf)
        try:
            view = desk.act(case_id, action, counter)
        except DeskNotFound:
            raise
        except DeskError as exc:
            request.session["flash"] = {"error": str(exc)}
            return RedirectResponse(f"/?case={case_id}", status_code=303)
        note = desk.t("desk_action_done", ticket=view.ticket, status=view.status_label.lower())
        if action in ("transfer", "recall") and view.counter is not None:
            note = desk.t("desk_called", ticket=view.ticket, counter=view.counter)
        request.session["flash"] = {"note": note}
        return RedirectResponse(f"/?case={case_id}", status_code=303)

    @app.post("/new")
    def new_case(
        request: Request, procedure: str = Form(""), priority: str = Form("none"),
        csrf: str = Form(""),
    ) -> Response:
        need_auth(request)
        need_csrf(request, csrf)
        try:
            case_id = desk.new_case(procedure, priority)
        except DeskError as exc:
            request.session["flash"] = {"error": str(exc)}
            return RedirectResponse("/", status_code=303)
        request.session["flash"] = {"note": desk.t("desk_case_handed_off")}
        return RedirectResponse(f"/?case={case_id}", status_code=303)

    # -- which counter serves what (issue 18) ----------------------------------------------------

    @app.get("/counters", response_class=HTMLResponse)
    def counters_page(request: Request) -> HTMLResponse:
        need_auth(request)
        flash = request.session.pop("flash", None) or {}
        return page(request, "counters.html", counters=desk.counters(),
                    contents=desk.type_contents(), types=COUNTER_TYPES, flash=flash,
                    error=flash.get("error", ""))

    @app.post("/counters/{number}")
    async def set_counter(request: Request, number: int) -> Response:
        need_auth(request)
        form = await request.form()
        need_csrf(request, str(form.get("csrf", "")))
        try:
            # the journal write runs off the event loop, as in the other (sync) routes
            view = await run_in_threadpool(
                desk.set_counter, number, [str(v) for v in form.getlist("serves")])
        except DeskError as exc:
            request.session["flash"] = {"error": str(exc)}
        else:
            request.session["flash"] = {"note": desk.t(
                "desk_counters_saved", counter=number, serves=view.label)}
        return RedirectResponse("/counters", status_code=303)

    # -- the residents' feedback (issue 18) ------------------------------------------------------

    @app.get("/feedback", response_class=HTMLResponse)
    def feedback_page(request: Request) -> HTMLResponse:
        need_auth(request)
        flash = request.session.pop("flash", None) or {}
        opened, closed = desk.feedback()
        return page(request, "feedback.html", opened=opened, closed=closed, flash=flash,
                    error=flash.get("error", ""))

    @app.post("/feedback/{ref}/done")
    def feedback_done(request: Request, ref: str, csrf: str = Form("")) -> Response:
        need_auth(request)
        need_csrf(request, csrf)
        try:
            desk.close_feedback(ref, counter_of(request))
        except DeskError as exc:
            request.session["flash"] = {"error": str(exc)}
        else:
            request.session["flash"] = {"note": desk.t("desk_feedback_closed_note")}
        return RedirectResponse("/feedback", status_code=303)

    # -- the end of the working day ------------------------------------------------------------

    @app.get("/day/end", response_class=HTMLResponse)
    def end_day_page(request: Request) -> HTMLResponse:
        need_auth(request)
        view = desk.queue()
        return page(request, "end_day.html", waiting=view.waiting_count,
                    at_counters=len(view.at_counters))

    @app.post("/day/end")
    def end_day(request: Request, csrf: str = Form("")) -> Response:
        need_auth(request)
        need_csrf(request, csrf)
        closed = desk.end_day()
        request.session["flash"] = {"note": desk.t("desk_end_day_done", count=len(closed))}
        return RedirectResponse("/", status_code=303)

    # -- reports --------------------------------------------------------------------------------

    def this_month() -> str:
        return desk.journal.now().strftime("%Y-%m")

    def report_of(month: str | None) -> tuple[Any, reports.ReportWords]:
        words = reports.words(
            settings.catalogue.groups, settings.lang, settings.catalogue.procedures.values(),
            settings.catalogue.services.values(),
        )
        return month_report(desk.journal, month or this_month()), words

    @app.get("/report", response_class=HTMLResponse)
    def report_page(request: Request, month: str | None = None) -> HTMLResponse:
        need_auth(request)
        try:
            data, words = report_of(month)
        except StatsError:
            return page(request, "report.html", status=422, report=None, month=month or "",
                        error=desk.t("desk_report_bad_month"))
        return page(
            request,
            "report.html",
            report=data,
            month=data.month,
            error="",
            rows=reports.rows(data, words),
            times=reports.time_rows(data, words),
            terminals=reports.terminal_rows(data, words),
            missing=reports.missing_line(data, words),
            procedure_rows=[
                (desk._procedure_name(code), n) for code, n in data.by_procedure
            ],
        )

    @app.get("/report/chart.png")
    def report_chart(request: Request, month: str | None = None) -> Response:
        need_auth(request)
        try:
            data, words = report_of(month)
        except StatsError:
            return message(request, 422, "desk_report_bad_month")
        return Response(reports.chart_png(data, words), media_type="image/png")

    @app.get("/report/figures.csv")
    def report_csv(request: Request, month: str | None = None) -> Response:
        need_auth(request)
        try:
            data, words = report_of(month)
        except StatsError:
            return message(request, 422, "desk_report_bad_month")
        return Response(
            "\ufeff" + reports.csv_text(data, words),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="report-{data.month}.csv"'},
        )

    @app.get("/report/summary", response_class=HTMLResponse)
    def report_summary(request: Request, month: str | None = None) -> Response:
        need_auth(request)
        try:
            data, words = report_of(month)
        except StatsError:
            return message(request, 422, "desk_report_bad_month")
        today: date = desk.journal.now().date()
        html = reports.summary_html(
            data, words, settings.centre_name, today, chart=reports.chart_png(data, words)
        )
        return HTMLResponse(html)

    add_hub_routes(app, desk, changed=live.poke)
    add_board_routes(app, desk, live, env)

    # -- live updates for the counter pages ------------------------------------------------------

    @app.get("/events")
    async def counter_events(request: Request, v: int = 0) -> StreamingResponse:
        """The counter page's stream: what changed in the queue, the calls for staff; "ended"
        when the session is over (the page then says so)."""
        try:
            need_auth(request, active=False)
        except _SignInNeeded:
            return event_stream(_ended())
        ends = min(request.session["seen"] + settings.idle_minutes * 60,
                   request.session["since"] + SESSION_HOURS * 3600)

        async def stream() -> AsyncIterator[str]:
            yield f"retry: {RETRY_MS}\n\n"
            rendered = live.at(v)  # the snapshot the page was drawn from, if still kept
            shown = rendered.queue if rendered is not None else None
            async for fresh in live.updates(rendered.version if rendered else 0,
                                            settings.stream_seconds):
                if now_seconds() > ends:
                    yield event({}, "ended")
                    return
                if fresh is None:
                    yield ": still here\n\n"
                    continue
                change = diff(shown, fresh.queue)
                shown = fresh.queue
                if change:
                    yield event(change, ident=fresh.version)

        return event_stream(stream())

    @app.post("/help/{call_id}/take")
    def take_help(request: Request, call_id: int, csrf: str = Form("")) -> Response:
        need_auth(request)
        need_csrf(request, csrf)
        try:
            call = desk.take_help(call_id, counter_of(request))
        except DeskError as exc:
            request.session["flash"] = {"error": str(exc)}
        else:
            request.session["flash"] = {
                "note": desk.t("desk_help_taken", terminal=call.terminal or "?")}
        return RedirectResponse("/", status_code=303)

    app.state.throttle = throttle
    # for routers added after the app is made (desk.studio.install): the same sign-in and pages
    app.state.staff = StaffPages(need_auth=need_auth, need_csrf=need_csrf, page=page)
    return app


async def _ended() -> AsyncIterator[str]:
    """A stream for a page whose session is over: it says so, once, and asks for no retry."""
    yield "retry: 3600000\n\n" + event({}, "ended")


def _secure_cookie(value: bytes) -> bytes:
    """A Set-Cookie header value with the ``Secure`` attribute (added once)."""
    attributes = [part.strip().lower() for part in value.split(b";")[1:]]
    return value if b"secure" in attributes else value + b"; secure"
