"""The ``hotro`` command line: the configuration file is honoured wherever --config is given.

(``hotro doctor`` reports a bad file as one of its checks instead: see test_doctor.py.)"""

from __future__ import annotations

import pytest

from terminal.cli import build_parser, main


@pytest.mark.parametrize(
    "argv",
    [
        ["--config", "{cfg}", "run", "--text"],
        ["run", "--config", "{cfg}", "--text"],
        ["--config", "{cfg}", "desk"],
        ["--config", "{cfg}", "report", "--month", "2026-11"],
    ],
)
def test_a_bad_configuration_is_refused_naming_file_and_key(argv, tmp_path, capsys) -> None:
    cfg = tmp_path / "centre.toml"
    cfg.write_text('[printer]\npaper = 75\n', encoding="utf-8")
    with pytest.raises(SystemExit) as stop:
        main([a.format(cfg=cfg) for a in argv])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert str(cfg) in err and "printer.paper" in err and "58" in err


def test_the_global_config_is_not_overridden_by_a_sub_command_default(tmp_path) -> None:
    parser = build_parser()
    for command in (["run"], ["doctor"], ["desk"], ["models", "list"]):
        args = parser.parse_args(["--config", str(tmp_path / "x.toml"), *command])
        assert args.config == str(tmp_path / "x.toml"), command
