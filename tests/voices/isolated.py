"""Run a test body in a fresh interpreter, so SDL picks its audio driver from our environment.

SDL chooses the audio driver once per process; running each playback scenario in its own
process (multiprocessing "spawn") lets a test use ``SDL_AUDIODRIVER=disk`` with its own capture
file, or a missing driver, whatever other tests in the session did with SDL.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def _call(func: Callable[..., T], env: dict[str, str], args: tuple[Any, ...]) -> T:
    os.environ.update(env)
    return func(*args)


def run_isolated(func: Callable[..., T], env: dict[str, str], *args: Any, timeout: float = 60) -> T:
    """``func(*args)`` in a new process with ``env`` added to its environment."""
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        return pool.apply_async(_call, (func, env, args)).get(timeout)


def disk_env(capture: os.PathLike[str] | str) -> dict[str, str]:
    """Environment for SDL's disk audio driver writing every played sample to ``capture``."""
    return {"SDL_AUDIODRIVER": "disk", "SDL_DISKAUDIOFILE": str(capture)}
