"""``bench/listen.py --plain``: vosk alone, no rule, as the README's ceilings are measured;
``--as-terminal``: yes/no listened to with the commands, as the terminal's screens do.

Real parts: the bench script as a command, real vosk with the Korean model, real espeak-ng
development clips (generated into the evaluation cache when missing)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench" / "listen.py"


def bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BENCH), *args],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )


def row(output: str, set_name: str, condition: str) -> tuple[int, int, int, int]:
    """(n, correct, wrong, rejected) of one row of the bench's table."""
    cells = r"\s+(\d+)\s+(\d+)/\d+.*?(\d+)/\d+.*?(\d+)/\d+"
    pattern = rf"^{re.escape(set_name)}\s+{re.escape(condition)}{cells}"
    match = re.search(pattern, output, re.MULTILINE)
    assert match, output
    n, correct, wrong, rejected = (int(g) for g in match.groups())
    return n, correct, wrong, rejected


@pytest.mark.real
def test_plain_answers_what_the_rule_refuses() -> None:
    """At 5 dB the rule refuses 39 of dev's 40 yes/no answers; vosk alone answers nearly all
    (measured 25 right, 13 wrong, 2 nothing), and nothing is voted on."""
    done = bench("--split", "dev", "--sets", "yes/no", "--kinds", "choice", "--plain")
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    assert "PLAIN: no rule" in out
    n, correct, wrong, rejected = row(out, "yes/no", "5 dB")
    assert n == 40 and correct + wrong + rejected == n
    assert correct + wrong >= 30, out
    assert "taken by the vote" not in out


def test_plain_and_why_are_refused_together() -> None:
    done = bench("--why", "--plain")
    assert done.returncode == 2
    assert "--why compares the rule with --plain" in done.stderr
    done = bench("--vote", "--plain")
    assert done.returncode == 2
    assert "--vote is part of the rule; --plain has none" in done.stderr


@pytest.mark.real
def test_vote_turns_the_two_way_vote_back_on() -> None:
    """``--vote`` measures the rule as held-out-3 to -15 were: dev's clean 예 that the garbage
    path refuses are taken by the vote (measured 5 of 10 with all six views, 7 with four), and
    the bench says how many; without it nothing is voted on and the line is not printed."""
    args = ("--split", "dev", "--sets", "yes/no", "--kinds", "choice")
    with_vote = bench(*args, "--vote")
    assert with_vote.returncode == 0, with_vote.stderr[-2000:]
    match = re.search(r"taken by the vote \(.*\): (\d+) right, (\d+) wrong", with_vote.stdout)
    assert match, with_vote.stdout
    assert int(match.group(1)) >= 4 and int(match.group(2)) == 0, with_vote.stdout
    without = bench(*args)
    assert without.returncode == 0, without.stderr[-2000:]
    assert "taken by the vote" not in without.stdout
    voted = row(with_vote.stdout, "yes/no", "clean")[1]
    assert row(without.stdout, "yes/no", "clean")[1] <= voted - 4


@pytest.mark.real
def test_as_terminal_listens_to_yes_no_with_the_commands(tmp_path: Path) -> None:
    """``--as-terminal``: dev's yes/no answers are listened for among yes, no and the twelve
    commands, as on the terminal's yes/no screens (row and JSON set ``yes/no+commands``); vosk
    alone then hears some of them as commands (measured: 35 of 120 at any level), which a
    two-way set cannot."""
    out_file = tmp_path / "items.jsonl"
    done = bench(
        "--split", "dev", "--sets", "yes/no", "--kinds", "choice", "--as-terminal", "--plain",
        "--jsonl", str(out_file),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    for condition in ("clean", "15 dB", "5 dB"):
        n, correct, wrong, rejected = row(done.stdout, "yes/no+commands", condition)
        assert n == 40 and correct + wrong + rejected == n
    assert not re.search(r"^yes/no\s", done.stdout, re.MULTILINE)
    records = [json.loads(line) for line in out_file.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 120
    assert {r["set"] for r in records} == {"yes/no+commands"}
    assert {r["expected"] for r in records} == {"yes", "no"}
    as_commands = [r for r in records if (r["intent"] or "").startswith("command_")]
    assert len(as_commands) >= 10, len(as_commands)
    assert all(r["outcome"] == "WRONG" for r in as_commands)


@pytest.mark.real
def test_gain_plays_every_recording_quieter() -> None:
    """``--gain -40``: dev's yes/no answers 40 dB quieter (about −57 dBFS) are below what the
    end-pointer takes for speech, so vosk alone answers none of them (as recorded it answers
    nearly all: ``test_plain_answers_what_the_rule_refuses``), and the bench says so."""
    done = bench(
        "--split", "dev", "--sets", "yes/no", "--kinds", "choice", "--plain", "--gain", "-40"
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "every recording played -40 dB (--gain)" in done.stdout
    for condition in ("clean", "15 dB", "5 dB"):
        n, correct, wrong, rejected = row(done.stdout, "yes/no", condition)
        assert (n, correct, wrong, rejected) == (40, 0, 0, 40), done.stdout
