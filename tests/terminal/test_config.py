"""terminal.config: embedded defaults, the example file, every validation error, and fuzzing."""

from __future__ import annotations

import math
import tempfile
from datetime import date, datetime, time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from terminal.config import (
    LANGUAGES,
    THEMES,
    Config,
    ConfigError,
    data_home,
    default_config_path,
    load_config,
    parse_config,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "deploy" / "hotro.example.toml"


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "home"
    monkeypatch.setenv("HOTRO_HOME", str(folder))
    return folder


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "hotro.toml"
    path.write_text(text, encoding="utf-8")
    return path


# --- defaults and paths ------------------------------------------------------------------------


def test_no_file_gives_embedded_defaults(home: Path) -> None:
    config = load_config()
    assert config == Config()
    assert config.source == "(embedded defaults)"
    assert config.centre.terminal_id == "T1"
    assert config.terminal.languages[0] == "vi"


def test_default_paths_live_under_hotro_home(home: Path) -> None:
    config = load_config()
    assert data_home() == home
    assert config.key_path == home / "centre.key"
    assert config.journal_path == home / "journal.sqlite3"
    assert config.printer_uri == f"png:{home / 'slips'}"
    assert config.models_dir == home / "models"
    assert config.cache_dir == home / "cache"


def test_default_file_in_hotro_home_is_read_when_present(home: Path) -> None:
    home.mkdir()
    default_config_path().write_text('[centre]\nterminal_id = "K7"\n', encoding="utf-8")
    config = load_config()
    assert config.centre.terminal_id == "K7"
    assert config.source == str(home / "hotro.toml")


def test_configured_paths_override_the_defaults(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[centre]\nkey_file = "/etc/hotro/centre.key"\n'
        '[journal]\npath = "/srv/j.sqlite3"\n[printer]\nuri = "tcp:192.0.2.10"\n',
    )
    config = load_config(path)
    assert config.key_path == Path("/etc/hotro/centre.key")
    assert config.journal_path == Path("/srv/j.sqlite3")
    assert config.printer_uri == "tcp:192.0.2.10"


def test_example_file_loads_and_equals_the_defaults() -> None:
    config = load_config(EXAMPLE)
    assert config.source == str(EXAMPLE)
    # the example documents the defaults: same values apart from where it came from
    assert Config(**{**config.__dict__, "source": Config().source}) == Config()


def test_values_are_read_with_their_types(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[printer]\npaper = 58\ntimeout = 3\n[terminal]\nlanguages = ["en", "vi"]\n'
        'fullscreen = false\ntheme = "yellow_on_black"\n[voice]\nvoice = "south"\n'
        "rate_step = 0\n",
    )
    config = load_config(path)
    assert config.printer.paper == 58
    assert config.printer.timeout == 3.0 and isinstance(config.printer.timeout, float)
    assert config.terminal.languages == ("en", "vi")
    assert config.terminal.fullscreen is False
    assert config.terminal.theme == "yellow_on_black"
    assert config.voice.voice == "south"
    assert config.voice.rate_step == 0


# --- every validation error names the file and the key -----------------------------------------


@pytest.mark.parametrize(
    ("text", "names", "says"),
    [
        ("[kiosk]\nx = 1\n", "[kiosk]", "unknown section"),
        ("centre = 5\n", "[centre]", "must be a table"),
        ("[centre]\ncolour = 1\n", "centre.colour", "unknown key"),
        ("[printer]\npaper = \"80\"\n", "printer.paper", "whole number"),
        ("[printer]\npaper = 80.0\n", "printer.paper", "whole number"),
        ("[printer]\ntimeout = \"slow\"\n", "printer.timeout", "expected a number"),
        ("[printer]\ntimeout = true\n", "printer.timeout", "expected a number"),
        ("[terminal]\nfullscreen = 1\n", "terminal.fullscreen", "true or false"),
        ("[centre]\nname = 7\n", "centre.name", "text in quotes"),
        ("[terminal]\nlanguages = \"vi\"\n", "terminal.languages", "list of texts"),
        ("[terminal]\nlanguages = [1]\n", "terminal.languages", "list of texts"),
        ("[printer]\ntimeout = 0.1\n", "printer.timeout", "out of range"),
        ("[printer]\ntimeout = nan\n", "printer.timeout", "out of range"),
        ("[printer]\ntimeout = inf\n", "printer.timeout", "out of range"),
        (f"[printer]\ntimeout = 1{'0' * 400}\n", "printer.timeout", "too large"),
        ("[desk]\nport = 70000\n", "desk.port", "out of range"),
        ("[terminal]\nmax_extensions = 9\n", "terminal.max_extensions", "out of range"),
        ("[voice]\nrate_step = 7\n", "voice.rate_step", "out of range"),
        ("[voice]\nvolume_step = -1\n", "voice.volume_step", "out of range"),
        ("[printer]\npaper = 72\n", "printer.paper", "not allowed"),
        ("[terminal]\ntheme = \"pink\"\n", "terminal.theme", "not allowed"),
        ("[terminal]\ntext_size = \"huge\"\n", "terminal.text_size", "not allowed"),
        ("[voice]\nvoice = \"hanoi\"\n", "voice.voice", "not allowed"),
        ("[centre]\nterminal_id = \"t1\"\n", "centre.terminal_id", "uppercase"),
        ("[centre]\nterminal_id = \"\"\n", "centre.terminal_id", "uppercase"),
        ("[centre]\nterminal_id = \"T12345\"\n", "centre.terminal_id", "uppercase"),
        ("[centre]\nterminal_id = \"T-1\"\n", "centre.terminal_id", "uppercase"),
        ("[centre]\nterminal_id = \"TĐ1\"\n", "centre.terminal_id", "uppercase"),
        ("[terminal]\nlanguages = []\n", "terminal.languages", "non-empty"),
        ("[terminal]\nlanguages = [\"vi\", \"fr\"]\n", "terminal.languages", "not allowed"),
        ("[terminal]\nlanguages = [\"vi\", \"vi\"]\n", "terminal.languages", "at most once"),
    ],
)
def test_validation_error_names_file_key_and_problem(
    tmp_path: Path, text: str, names: str, says: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert names in message
    assert says in message


def test_unknown_key_lists_the_known_keys(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="expected one of name, phone, terminal_id, "):
        load_config(write(tmp_path, "[centre]\nnmae = \"x\"\n"))


def test_bad_choice_lists_the_allowed_values(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, '[terminal]\ntheme = "pink"\n'))
    assert all(repr(theme) in str(caught.value) for theme in THEMES)


def test_invalid_toml_names_the_file_and_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "[centre]\nname = \"unterminated\n")
    with pytest.raises(ConfigError, match="not valid TOML") as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert "line 2" in str(caught.value)


def test_deeply_nested_toml_is_a_config_error(tmp_path: Path) -> None:
    path = write(tmp_path, "a = " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(ConfigError, match="nested too deeply"):
        load_config(path)


def test_missing_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.toml"
    with pytest.raises(ConfigError, match="does not exist") as caught:
        load_config(path)
    assert str(path) in str(caught.value)


def test_folder_instead_of_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read") as caught:
        load_config(tmp_path)
    assert str(tmp_path) in str(caught.value)


def test_non_utf8_file_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('[centre]\nname = "Trung tâm"\n'.encode("latin-1"))
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(path)


def test_parse_config_names_its_source() -> None:
    with pytest.raises(ConfigError, match=r"^inline: desk\.counters: "):
        parse_config({"desk": {"counters": 0}}, "inline")


def test_parse_config_rejects_a_non_table() -> None:
    with pytest.raises(ConfigError, match="expected a table"):
        parse_config(["centre"], "inline")  # type: ignore[arg-type]


# --- fuzzing: only ConfigError may escape ------------------------------------------------------

_SCALARS = (
    st.text(max_size=12)
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.booleans()
    | st.dates()
    | st.times()
    | st.datetimes()
    | st.sampled_from(["vi", "en", "T1", "north", "black_on_white", "normal", 58, 80, 10.0])
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=6,
)
_KEYS = st.sampled_from(
    [
        "name", "phone", "terminal_id", "key_file", "uri", "paper", "timeout", "model",
        "voice", "rate_step", "volume_step", "clips", "hall_speaker", "languages",
        "fullscreen", "theme", "text_size", "idle_warning_seconds", "idle_reset_seconds",
        "max_extensions", "path", "host", "port", "password_hash", "fairness_limit",
        "counters",
    ]
) | st.text(max_size=8)
_SECTION_NAMES = st.sampled_from(
    ["centre", "printer", "voice", "terminal", "journal", "desk"]
) | st.text(max_size=8)
_SECTION = st.dictionaries(_KEYS, _VALUES, max_size=3) | _VALUES
_RAW = st.dictionaries(_SECTION_NAMES, _SECTION, max_size=4)


def _valid_types(config: Config) -> bool:
    t = config.terminal
    return (
        isinstance(config.printer.paper, int)
        and isinstance(config.printer.timeout, float)
        and math.isfinite(config.printer.timeout)
        and isinstance(t.languages, tuple)
        and all(lang in LANGUAGES for lang in t.languages)
        and t.theme in THEMES
    )


@settings(max_examples=300, deadline=None)
@given(_RAW)
def test_parse_config_fuzz_only_config_error_escapes(raw: dict) -> None:
    try:
        config = parse_config(raw, "fuzz.toml")
    except ConfigError as exc:
        assert str(exc).startswith("fuzz.toml: ")
        return
    assert _valid_types(config)


_TMP = Path(tempfile.mkdtemp(prefix="hotro-config-fuzz-"))
_EXAMPLE_TEXT = EXAMPLE.read_bytes()


@st.composite
def _mangled_example(draw: st.DrawFn) -> bytes:
    """The example file with a random slice replaced by random bytes."""
    start = draw(st.integers(0, len(_EXAMPLE_TEXT)))
    end = draw(st.integers(start, min(len(_EXAMPLE_TEXT), start + 40)))
    return _EXAMPLE_TEXT[:start] + draw(st.binary(max_size=20)) + _EXAMPLE_TEXT[end:]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300) | _mangled_example())
def test_load_config_fuzz_bytes_only_config_error_escapes(data: bytes) -> None:
    path = _TMP / "fuzz.toml"
    path.write_bytes(data)
    try:
        config = load_config(path)
    except ConfigError as exc:
        assert str(exc).startswith(f"{path}: ")
        return
    assert _valid_types(config)


def test_fuzz_scalars_cover_toml_dates() -> None:
    """The TOML value types the fuzzer draws include dates and times, as TOML files can."""
    raw = {"centre": {"name": date(2025, 1, 1)}, "desk": {"port": time(1, 2)}}
    with pytest.raises(ConfigError, match="centre.name"):
        parse_config(raw)
    with pytest.raises(ConfigError, match="expected a whole number"):
        parse_config({"desk": {"port": datetime(2025, 1, 1)}})


def test_the_example_file_documents_every_key() -> None:
    """deploy/hotro.example.toml is the technician's reference: it lists every key."""
    import tomllib
    from dataclasses import fields
    from pathlib import Path

    from terminal.config import _SECTIONS

    example = Path(__file__).resolve().parents[2] / "deploy" / "hotro.example.toml"
    table = tomllib.loads(example.read_text(encoding="utf-8"))
    missing = [
        f"{name}.{f.name}"
        for name, cls in _SECTIONS.items()
        for f in fields(cls)
        if f.name not in table.get(name, {})
    ]
    assert missing == []


def test_the_terminal_number_comes_from_the_id_unless_set(tmp_path: Path) -> None:
    def number(text: str) -> int:
        return load_config(write(tmp_path, "[centre]\n" + text)).centre.number

    assert number('terminal_id = "T2"\n') == 2
    assert number('terminal_id = "K7"\n') == 7
    assert number('terminal_id = "ABCD"\n') == 1
    assert number('terminal_id = "T10"\n') == 1
    assert number('terminal_id = "T2"\nterminal_number = 5\n') == 5
    with pytest.raises(ConfigError, match="terminal_number"):
        number("terminal_number = 10\n")


def test_the_desk_terminal_id_is_kept_for_the_desk(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="kept for tickets made at the desk"):
        load_config(write(tmp_path, '[centre]\nterminal_id = "QUAY"\n'))
