"""The staff status report (terminal/status.py) and its text-mode command."""

from __future__ import annotations

import os
import subprocess
import sys

from terminal.config import Config
from terminal.doctor import CheckResult
from terminal.status import status_lines, status_report


def test_every_part_is_marked_in_words_with_advice_for_problems() -> None:
    lines = status_lines(
        [
            CheckResult("printer", "fail", "Paper out.", "Load a paper roll."),
            CheckResult("journal", "ok", "Journal sound.", "Nothing."),
            CheckResult("microphone", "warn", "No microphone.", "Plug one in."),
        ]
    )
    assert lines[0].startswith("FAIL") and "Printer" in lines[0] and "Paper out." in lines[0]
    assert lines[1].strip() == "→ Load a paper roll."
    assert lines[2].startswith("OK") and "Nothing." not in "\n".join(lines)
    assert lines[3].startswith("WARN") and lines[4].strip() == "→ Plug one in."
    assert lines[-1] == "1 ok, 1 warnings, 1 failures."


def test_the_report_runs_the_real_checks(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("HOTRO_HOME", str(tmp_path))
    text = status_report(Config())
    assert "Journal" in text and "Centre key" in text and "Printer" in text
    assert "hotro keys init" in text  # no key yet in this fresh home: said what to do


def test_text_mode_prints_the_status_without_touching_the_visit(tmp_path) -> None:
    """Real parts: the installed `hotro run --text` process and the real doctor checks."""
    env = dict(os.environ, HOTRO_HOME=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "terminal.cli", "run", "--text"],
        input="status\nquit\n", capture_output=True, text=True, env=env, timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "[staff status]" in result.stdout and "Journal" in result.stdout
    assert "🔊" not in result.stdout.split("[staff status]")[1].split("-" * 60)[0]
