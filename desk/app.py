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

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

from fastapi import FastAPI, Form, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from cases.journal import JournalError
from cases.stats import StatsError, month_bounds, month_report
from desk import report as reports
from desk.auth import Throttle, new_token, same_token, verify_password
from desk.service import Desk, DeskError, DeskSettings, ScanOutcome
from desk.studio import StaffPages

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

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        desk.close()

    app = FastAPI(
        title="hotro desk", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan
    )
    app.state.desk = desk
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
        return page(request, "message.html", status=503,
                    message=desk.t("desk_error_journal", problem=str(exc)))

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

    @app.exception_handler(RequestValidationError)
    async def bad_form(request: Request, exc: RequestValidationError) -> Response:
        return unreadable_form(request)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 400:
            return unreadable_form(request)
        return await http_exception_handler(request, exc)

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

    def desk_page(
        request: Request, status: int = 200, refused: ScanOutcome | None = None,
        case_id: int | None = None, error: str = "",
    ) -> HTMLResponse:
        flash = request.session.pop("flash", None) or {}
        case = desk.case_view(case_id) if case_id is not None else None
        return page(
            request,
            "desk.html",
            status=status,
            case=case,
            refused=refused,
            flash=flash,
            error=error or flash.get("error", ""),
            queue=desk.queue(),
            counter=counter_of(request),
            counters=range(1, settings.counters + 1),
            limit=settings.fairness_limit,
            procedures=sorted(settings.catalogue.procedures.values(), key=lambda p: p.short_name),
            priorities=("none", "elderly", "disabled", "pregnant", "small_child",
                        "seriously_ill"),
        )

    # -- sign-in --------------------------------------------------------------------------------

    @app.get("/healthz", response_class=PlainTextResponse)
    def healthz() -> str:
        return "ok"

    @app.get("/signin", response_class=HTMLResponse)
    def signin_page(request: Request) -> HTMLResponse:
        timed_out = request.session.pop("timed_out", False) is True
        return page(request, "signin.html",
                    error=desk.t("desk_signin_timed_out") if timed_out else "")

    def locked_page(request: Request, client: str) -> HTMLResponse | None:
        scope, wait = throttle.locked(client)
        if not wait:
            return None
        phrase = "desk_signin_locked_all" if scope == "global" else "desk_signin_locked"
        return page(request, "signin.html", status=429, error=desk.t(phrase, seconds=wait))

    @app.post("/signin", response_class=HTMLResponse)
    def signin(request: Request, password: str = Form(""), csrf: str = Form("")) -> Response:
        need_csrf(request, csrf)
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
            return page(request, "signin.html", status=401, error=desk.t("desk_signin_wrong"))
        throttle.succeeded(client)
        request.session.clear()
        request.session["auth"] = True
        request.session["csrf"] = new_token()
        request.session["seen"] = request.session["since"] = now_seconds()
        desk.journal.record_event("desk", "signin")
        return RedirectResponse("/", status_code=303)

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

    @app.get("/queue", response_class=HTMLResponse)
    def queue_fragment(request: Request) -> HTMLResponse:
        need_auth(request, active=False)
        return page(request, "queue.html", queue=desk.queue(), limit=settings.fairness_limit,
                    counters=range(1, settings.counters + 1), counter=counter_of(request))

    @app.post("/scan", response_class=HTMLResponse)
    def scan(request: Request, payload: str = Form(""), csrf: str = Form("")) -> Response:
        need_auth(request)
        need_csrf(request, csrf)
        try:
            outcome = desk.scan(payload)
        except JournalError as exc:
            return desk_page(request, status=503,
                             error=desk.t("desk_error_journal", problem=str(exc)))
        if not outcome.ok:
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
        except (DeskError, JournalError) as exc:
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
        except (DeskError, JournalError) as exc:
            request.session["flash"] = {"error": str(exc)}
            return RedirectResponse(f"/?case={case_id}", status_code=303)
        note = desk.t("desk_action_done", ticket=view.ticket, status=view.status_label.lower())
        if action in ("transfer", "recall") and counter is not None:
            note = desk.t("desk_called", ticket=view.ticket, counter=counter)
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
        except (DeskError, JournalError) as exc:
            request.session["flash"] = {"error": str(exc)}
            return RedirectResponse("/", status_code=303)
        request.session["flash"] = {"note": desk.t("desk_case_handed_off")}
        return RedirectResponse(f"/?case={case_id}", status_code=303)

    # -- reports --------------------------------------------------------------------------------

    def this_month() -> str:
        return desk.journal.now().strftime("%Y-%m")

    def report_of(month: str | None) -> tuple[Any, reports.ReportWords]:
        words = reports.words(
            settings.catalogue.groups, settings.lang, settings.catalogue.procedures.values()
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
            procedure_rows=[
                (desk._procedure_name(code), n) for code, n in data.by_procedure
            ],
        )

    @app.get("/report/chart.png")
    def report_chart(request: Request, month: str | None = None) -> Response:
        need_auth(request)
        try:
            data, words = report_of(month)
        except StatsError as exc:
            return PlainTextResponse(str(exc), status_code=422)
        return Response(reports.chart_png(data, words), media_type="image/png")

    @app.get("/report/figures.csv")
    def report_csv(request: Request, month: str | None = None) -> Response:
        need_auth(request)
        try:
            data, words = report_of(month)
        except StatsError as exc:
            return PlainTextResponse(str(exc), status_code=422)
        return Response(
            "\ufeff" + reports.csv_text(data, words),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="report-{data.month}.csv"'},
        )

    @app.get("/report/summary", response_class=HTMLResponse)
    def report_summary(request: Request, month: str | None = None) -> Response:
        need_auth(request)
        try:
            month_bounds(month or this_month())
            data, words = report_of(month)
        except StatsError as exc:
            return PlainTextResponse(str(exc), status_code=422)
        today: date = desk.journal.now().date()
        html = reports.summary_html(
            data, words, settings.centre_name, today, chart=reports.chart_png(data, words)
        )
        return HTMLResponse(html)

    app.state.throttle = throttle
    # for routers added after the app is made (desk.studio.install): the same sign-in and pages
    app.state.staff = StaffPages(need_auth=need_auth, need_csrf=need_csrf, page=page)
    return app


def _secure_cookie(value: bytes) -> bytes:
    """A Set-Cookie header value with the ``Secure`` attribute (added once)."""
    attributes = [part.strip().lower() for part in value.split(b";")[1:]]
    return value if b"secure" in attributes else value + b"; secure"
