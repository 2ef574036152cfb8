"""What changes, pushed at once: the counter pages and the hall board follow the journal live.

One watcher per desk server looks at the journal's ``signature`` (three index lookups) every
``interval`` seconds and whenever this server wrote something (``poke``); terminals writing
into the same file or forwarding to the hub are seen the same way. On a change it builds one
``Snapshot`` (the head of the queue, the counters, the calls for staff, the latest calls to a
counter) and wakes every open page. Pages listen with server-sent events (``EventSource``):
no polling; a page that reconnects (the hub restarted) gets the whole picture again.

Each counter page receives only what changed since its last message (``diff``): queue rows that
are new or changed, rows gone, the order only when it is not the old order minus the gone plus
the new at the end. Minutes waited are counted by the page from each row's arrival time, so the
clock alone never sends anything.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from starlette.concurrency import run_in_threadpool

from desk.service import Desk, HelpCall, QueueEntry

_log = logging.getLogger(__name__)

KEEPALIVE = 15.0
"""Seconds between comments on an idle stream (proxies and browsers keep it open)."""
RETRY_MS = 1000
"""How soon a page reconnects after the stream broke (the hub restarted)."""
STREAM_SECONDS = 300.0
"""A stream ends after this long and the page reconnects at once (``DeskSettings``
``stream_seconds``), so a server that stops never waits long on an open page."""


def _epoch(moment: datetime | None) -> float | None:
    return moment.timestamp() if moment is not None else None


def _row(entry: QueueEntry) -> dict[str, Any]:
    return {
        "id": entry.case_id,
        "ticket": entry.ticket,
        "priority": entry.priority,
        "procedure": entry.procedure,
        "reason": entry.priority_reason,
        "arrived": _epoch(entry.arrived_at),
        "passed": entry.passed,
        "status": entry.status,
        "status_label": entry.status_label,
        "counter": entry.counter,
    }


@dataclass(frozen=True)
class Snapshot:
    """The centre as the pages show it, at one version."""

    version: int
    signature: tuple[int, int, int]
    """The journal's signature it was built from."""
    queue: dict[str, Any]
    """Counter pages: waiting (head, in call order), at_counters, waiting_count, help."""
    board: dict[str, Any]
    """The hall board: calls (newest first), waiting_count. Nothing personal."""
    help_calls: tuple[HelpCall, ...] = ()


def build_snapshot(desk: Desk, version: int, signature: tuple[int, int, int]) -> Snapshot:
    view = desk.queue()
    help_calls = desk.help_calls()
    help_rows = [
        {"id": c.id, "text": desk.t("desk_help_banner", terminal=c.terminal or "?",
                                    time=c.at.strftime("%H:%M"), screen=c.screen or "?")}
        for c in help_calls
    ]
    calls = [
        {"id": c.id, "ticket": c.ticket, "counter": c.counter,
         "text": desk.t("desk_call_announce", ticket=c.ticket, counter=c.counter)}
        for c in desk.board_calls()
    ]
    return Snapshot(
        version,
        signature,
        queue={
            "waiting": [_row(e) for e in view.waiting],
            "at_counters": [_row(e) for e in view.at_counters],
            "waiting_count": view.waiting_count,
            "help": help_rows,
        },
        board={"calls": calls, "waiting_count": view.waiting_count},
        help_calls=help_calls,
    )


def diff(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """What a page that shows ``old`` needs to show ``new`` ({} when nothing changed); the
    whole of ``new`` (under "full") when the page shows nothing yet."""
    if old is None:
        return {"full": new}
    out: dict[str, Any] = {}
    for key in ("waiting", "at_counters"):
        before = {r["id"]: r for r in old[key]}
        after = {r["id"]: r for r in new[key]}
        part: dict[str, Any] = {}
        rows = [r for r in new[key] if before.get(r["id"]) != r]
        gone = [i for i in before if i not in after]
        order = [r["id"] for r in new[key]]
        expected = [i for i in before if i in after] + [i for i in order if i not in before]
        if rows:
            part["rows"] = rows
        if gone:
            part["gone"] = gone
        if order != expected:
            part["order"] = order
        if part:
            out[key] = part
    for key in ("waiting_count", "help", "calls"):
        if key in new and old.get(key) != new[key]:
            out[key] = new[key]
    return out


def event(data: dict[str, Any], name: str = "", ident: int | None = None) -> str:
    """One server-sent event."""
    lines = []
    if name:
        lines.append(f"event: {name}")
    if ident is not None:
        lines.append(f"id: {ident}")
    lines.append("data: " + json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    return "\n".join(lines) + "\n\n"


@dataclass
class Live:
    """The watcher and its subscribers (one per desk server)."""

    desk: Desk
    interval: float = 0.1
    on_help: Callable[[HelpCall], None] | None = None
    """Called once for every new call for staff (the hall speaker)."""
    keep: int = 32
    """Snapshots kept, so a page rendered from an older one gets only the difference."""
    snapshot: Snapshot | None = field(default=None, init=False)
    _history: deque[Snapshot] = field(default_factory=deque, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    _seen_help: set[int] = field(default_factory=set, init=False)
    _newer: asyncio.Event | None = field(default=None, init=False)
    _poked: asyncio.Event | None = field(default=None, init=False)
    _loop: asyncio.AbstractEventLoop | None = field(default=None, init=False)
    _task: asyncio.Task | None = field(default=None, init=False)
    _closed: bool = field(default=False, init=False)

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._newer = asyncio.Event()
        self._poked = asyncio.Event()
        first = await run_in_threadpool(self.refresh)
        self._seen_help = {c.id for c in first.help_calls}  # announced before this start
        self._task = asyncio.create_task(self._watch(), name="hotro-live")

    async def stop(self) -> None:
        self._closed = True
        if self._task is not None:
            self._task.cancel()
        if self._newer is not None:
            self._newer.set()

    def poke(self) -> None:
        """Something was written here: look now (callable from any thread)."""
        if self._loop is not None and self._poked is not None:
            self._loop.call_soon_threadsafe(self._poked.set)

    def refresh(self) -> Snapshot:
        """The snapshot of the journal as it is now: the current one when nothing changed,
        else a new version, published to every page. Callable from any thread (it reads the
        journal: not from the event loop itself)."""
        with self._lock:
            signature = self.desk.journal.signature()
            current = self.snapshot
            if current is not None and current.signature == signature:
                return current
            fresh = build_snapshot(self.desk, current.version + 1 if current else 1, signature)
            self.snapshot = fresh
            self._history.append(fresh)
            while len(self._history) > self.keep:
                self._history.popleft()
            new_calls = [c for c in fresh.help_calls if c.id not in self._seen_help]
            self._seen_help |= {c.id for c in new_calls}
        if current is not None and self.on_help is not None:
            for call in new_calls:
                self.on_help(call)
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._publish)
        return fresh

    def at(self, version: int) -> Snapshot | None:
        """The snapshot of ``version`` if still kept."""
        return next((s for s in self._history if s.version == version), None)

    def _publish(self) -> None:
        assert self._newer is not None
        newer, self._newer = self._newer, asyncio.Event()
        newer.set()

    async def _watch(self) -> None:
        assert self._poked is not None
        while not self._closed:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._poked.wait(), self.interval)
            self._poked.clear()
            try:
                await run_in_threadpool(self.refresh)
            except Exception:  # noqa: BLE001 - a journal hiccup must not stop the live pages
                _log.exception("live: cannot read the journal; trying again")
                await asyncio.sleep(1.0)

    async def updates(
        self, version: int, seconds: float = STREAM_SECONDS
    ) -> AsyncIterator[Snapshot | None]:
        """Each snapshot newer than ``version`` as it comes (None every ``KEEPALIVE`` seconds
        when idle), for ``seconds`` or until the server stops."""
        ends = time.monotonic() + seconds
        while not self._closed:
            current = self.snapshot
            if current is not None and current.version > version:
                version = current.version
                yield current
                continue
            left = ends - time.monotonic()
            if left <= 0:
                return
            assert self._newer is not None
            try:
                await asyncio.wait_for(self._newer.wait(), min(KEEPALIVE, left))
            except TimeoutError:
                if time.monotonic() < ends:
                    yield None
