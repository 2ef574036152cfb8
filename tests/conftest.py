"""Settings for the whole suite: no test writes into the work tree or the real user data folder."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

_SCRATCH = Path(tempfile.mkdtemp(prefix="hotro-tests-"))

# SDL's "disk" audio driver writes played samples to ./sdlaudio.raw unless told otherwise.
os.environ.setdefault("SDL_DISKAUDIOFILE", str(_SCRATCH / "sdlaudio.raw"))
# A test that forgets to set HOTRO_HOME still never touches the real journal, key or models.
os.environ.setdefault("HOTRO_HOME", str(_SCRATCH / "home"))
# Kivy keeps its own settings and logs here instead of ~/.kivy.
os.environ.setdefault("KIVY_HOME", str(_SCRATCH / "kivy"))
