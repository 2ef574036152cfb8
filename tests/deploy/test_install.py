"""The kiosk installer: runs twice into a scratch root, then systemd checks the installed units.

Real parts: bash, pip (builds and installs hotro into a fresh venv in the root), systemd-analyze.
The scratch root has no X server and no systemd, so a stand-in ``/usr/bin/xinit`` and this
machine's standard systemd units are placed there for ``systemd-analyze verify`` (which checks
that every ExecStart program and every referenced target exists).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
INSTALL = REPO / "deploy" / "install.sh"
UNINSTALL = REPO / "deploy" / "uninstall.sh"


def _tree(root: Path) -> dict[str, str]:
    """Path → content hash of every installed file, except the code copy and the venv, which
    every run refreshes on purpose (that is how an update is installed)."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and not rel.startswith(("opt/hotro/src/", "opt/hotro/venv/")):
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _install(root: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, HOTRO_PIP_OPTS="--no-deps")
    return subprocess.run(
        ["bash", str(INSTALL), "--root", str(root), *extra],
        capture_output=True, text=True, env=env, timeout=600, check=False,
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("kiosk-root")
    first = _install(root)
    assert first.returncode == 0, first.stderr
    return root


@pytest.mark.real
def test_install_puts_every_part_in_place(installed: Path) -> None:
    for rel in (
        "opt/hotro/venv/bin/hotro",
        "opt/hotro/src/pyproject.toml",
        "etc/hotro/hotro.toml",
        "etc/systemd/system/hotro-terminal.service",
        "etc/systemd/system/hotro-desk.service",
        "etc/logrotate.d/hotro",
        "etc/udev/rules.d/60-hotro-printer.rules",
    ):
        assert (installed / rel).exists(), rel
    assert (installed / "var/lib/hotro").is_dir()
    assert not (installed / "opt/hotro/src/.venv").exists()


@pytest.mark.real
def test_install_twice_changes_nothing_and_keeps_the_config(installed: Path) -> None:
    config = installed / "etc/hotro/hotro.toml"
    config.write_text('[centre]\nname = "Trung tâm xã Lạc Phượng"\n', encoding="utf-8")
    before = _tree(installed)
    again = _install(installed)
    assert again.returncode == 0, again.stderr
    assert _tree(installed) == before
    assert "Lạc Phượng" in config.read_text(encoding="utf-8")


@pytest.mark.real
def test_installed_units_pass_systemd_verify(installed: Path) -> None:
    xinit = installed / "usr/bin/xinit"
    xinit.parent.mkdir(parents=True, exist_ok=True)
    xinit.write_text("#!/bin/sh\nexit 0\n")
    xinit.chmod(0o755)
    # the standard targets (sysinit, graphical, ...) of a Debian system, from this machine
    shutil.copytree(
        "/usr/lib/systemd/system", installed / "usr/lib/systemd/system",
        symlinks=True, dirs_exist_ok=True,
    )
    units = sorted((installed / "etc/systemd/system").glob("hotro-*.service"))
    assert len(units) == 2
    result = subprocess.run(
        ["systemd-analyze", f"--root={installed}", "--man=no", "verify", *map(str, units)],
        capture_output=True, text=True, timeout=120, check=False,
    )
    problems = [
        line for line in (result.stdout + result.stderr).splitlines()
        if "hotro-" in line and "Failed to" not in line  # host-only noise is not about our units
    ]
    assert result.returncode == 0 and not problems, result.stdout + result.stderr


@pytest.mark.real
def test_installed_command_runs(installed: Path) -> None:
    hotro = installed / "opt/hotro/venv/bin/hotro"
    env = dict(os.environ, HOTRO_HOME=str(installed / "var/lib/hotro"))
    # the venv was installed with --no-deps: give it this project's site-packages for the deps
    site = next((REPO / ".venv/lib").glob("python3*/site-packages"))
    env["PYTHONPATH"] = str(site)
    result = subprocess.run(
        [str(hotro), "--help"], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "procedures" in result.stdout


@pytest.mark.real
def test_uninstall_keeps_the_records_unless_purged(installed: Path, tmp_path: Path) -> None:
    root = tmp_path / "copy"
    shutil.copytree(installed, root, symlinks=True)
    (root / "var/lib/hotro/journal.sqlite3").write_bytes(b"records")
    subprocess.run(["bash", str(UNINSTALL), "--root", str(root)], check=True, timeout=60)
    assert not (root / "opt/hotro").exists()
    assert not (root / "etc/systemd/system/hotro-terminal.service").exists()
    assert (root / "var/lib/hotro/journal.sqlite3").read_bytes() == b"records"
    subprocess.run(["bash", str(UNINSTALL), "--root", str(root), "--purge"], check=True, timeout=60)
    assert not (root / "var/lib/hotro").exists()
