"""Run a test body in a fresh interpreter, so SDL picks its audio driver from our environment.

SDL chooses the audio driver once per process; running each playback scenario in its own
process (multiprocessing "spawn") lets a test use ``SDL_AUDIODRIVER=disk`` with its own capture
file, or a missing driver, whatever other tests in the session did with SDL.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any


def _call(
    conn: Connection, func: Callable[..., Any], env: dict[str, str], args: tuple[Any, ...]
) -> None:
    os.environ.update(env)
    try:
        conn.send(("ok", func(*args)))
    except BaseException:  # report any failure, including assertion errors, to the parent
        conn.send(("error", traceback.format_exc()))
    finally:
        conn.close()
        # Leave at once: espeak-ng's and SDL's native threads can stall a normal interpreter
        # exit. Scenarios close their players first, so SDL's capture file is complete.
        os._exit(0)


def run_isolated(
    func: Callable[..., Any], env: dict[str, str], *args: Any, timeout: float = 60
) -> Any:
    """``func(*args)`` in a new process with ``env`` added to its environment."""
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_call, args=(child, func, env, args), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(timeout):
            raise AssertionError(f"{func.__name__} did not finish within {timeout} s")
        status, value = parent.recv()
    finally:
        proc.join(5)
        if proc.is_alive():
            proc.kill()
            proc.join()
    if status == "error":
        raise AssertionError(f"{func.__name__} failed in the child process:\n{value}")
    return value


def disk_env(capture: os.PathLike[str] | str) -> dict[str, str]:
    """Environment for SDL's disk audio driver writing every played sample to ``capture``."""
    return {"SDL_AUDIODRIVER": "disk", "SDL_DISKAUDIOFILE": str(capture)}
