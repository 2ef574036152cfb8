"""Model layout checks, installation (zip, folder, URL) and `hotro models` (no vosk decoding).

The fake models here have the right files with OpenFst headers but no real content: enough for
layout checks and installation. Loading a real model is tested in test_listen.py.
"""

from __future__ import annotations

import struct
import tomllib
import zipfile
from pathlib import Path

import pytest

from terminal.cli import main
from terminal.commands.models import parse_choice, set_toml_key, split_top_level
from voices.models import (
    FST_MAGIC,
    ModelError,
    find_model_root,
    fst_has_output_symbols,
    install_model,
    installed_model,
    list_models,
    model_name_for,
    model_vocabulary,
    verify_model,
    with_decoder_options,
)


def fst_bytes(osymbols: bool = True) -> bytes:
    def s(text: str) -> bytes:
        return struct.pack("<i", len(text)) + text.encode()

    flags = 2 if osymbols else 0
    return (
        struct.pack("<i", FST_MAGIC)
        + s("const")
        + s("standard")
        + struct.pack("<ii", 2, flags)
        + b"\0" * 64
    )


def make_model(
    root: Path,
    graph: str = "lookahead",
    rate: int | None = None,
    words: bool = False,
    osymbols: bool = True,
) -> Path:
    (root / "am").mkdir(parents=True)
    (root / "conf").mkdir()
    (root / "graph").mkdir()
    (root / "am" / "final.mdl").write_bytes(b"\0fake acoustic model")
    mfcc = "--use-energy=false\n" + (f"--sample-frequency={rate}\n" if rate else "")
    (root / "conf" / "mfcc.conf").write_text(mfcc)
    (root / "conf" / "model.conf").write_text("--beam=10.0\n")
    if graph == "lookahead":
        (root / "graph" / "HCLr.fst").write_bytes(fst_bytes(False))
        (root / "graph" / "Gr.fst").write_bytes(fst_bytes(osymbols))
    elif graph == "static":
        (root / "graph" / "HCLG.fst").write_bytes(fst_bytes(True))
    if words:
        (root / "graph" / "words.txt").write_text("<eps> 0\nmột 1\n")
    return root


def zip_folder(folder: Path, archive: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, prefix + str(path.relative_to(folder)))
    return archive


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOTRO_HOME", str(home))
    return home


def test_verify_accepts_lookahead_model_with_symbols_in_gr(tmp_path: Path) -> None:
    check = verify_model(make_model(tmp_path / "m"))
    assert check.ok and check.grammar and check.rate == 16000


def test_verify_reads_the_sample_rate(tmp_path: Path) -> None:
    assert verify_model(make_model(tmp_path / "m", rate=8000)).rate == 8000


def test_verify_static_graph_works_without_grammars(tmp_path: Path) -> None:
    check = verify_model(make_model(tmp_path / "m", graph="static"))
    assert check.ok and not check.grammar
    assert "no grammars" in check.sentence()


def test_verify_names_each_missing_file(tmp_path: Path) -> None:
    root = make_model(tmp_path / "m")
    (root / "am" / "final.mdl").unlink()
    (root / "conf" / "model.conf").unlink()
    check = verify_model(root)
    assert not check.ok
    assert "am/final.mdl is missing" in check.problems
    assert "conf/model.conf is missing" in check.problems


def test_verify_lookahead_graph_needs_both_files(tmp_path: Path) -> None:
    root = make_model(tmp_path / "m")
    (root / "graph" / "Gr.fst").unlink()
    assert any("graph/Gr.fst is missing" in p for p in verify_model(root).problems)


def test_verify_lookahead_graph_needs_a_vocabulary(tmp_path: Path) -> None:
    root = make_model(tmp_path / "m", osymbols=False)
    assert any("words.txt" in p for p in verify_model(root).problems)
    root2 = make_model(tmp_path / "m2", osymbols=False, words=True)
    assert verify_model(root2).grammar


def test_verify_no_graph_at_all(tmp_path: Path) -> None:
    root = make_model(tmp_path / "m", graph="none")
    assert "graph/ has neither HCLr.fst + Gr.fst nor HCLG.fst" in verify_model(root).problems


def test_verify_rejects_graph_that_is_not_an_fst(tmp_path: Path) -> None:
    root = make_model(tmp_path / "m")
    (root / "graph" / "HCLr.fst").write_bytes(b"<html>not found</html>")
    assert "graph/HCLr.fst is not an OpenFst file" in verify_model(root).problems


def test_verify_missing_folder_sentence(tmp_path: Path) -> None:
    check = verify_model(tmp_path / "nope")
    assert not check.ok
    assert check.sentence().endswith("the folder does not exist.")


def test_fst_header_symbol_flag(tmp_path: Path) -> None:
    (tmp_path / "a.fst").write_bytes(fst_bytes(True))
    (tmp_path / "b.fst").write_bytes(fst_bytes(False))
    (tmp_path / "c.fst").write_bytes(b"junk")
    assert fst_has_output_symbols(tmp_path / "a.fst")
    assert not fst_has_output_symbols(tmp_path / "b.fst")
    assert not fst_has_output_symbols(tmp_path / "c.fst")


def test_find_model_root_inside_a_wrapper_folder(tmp_path: Path) -> None:
    make_model(tmp_path / "x" / "vosk-model-small-vn-0.4")
    assert find_model_root(tmp_path / "x") == tmp_path / "x" / "vosk-model-small-vn-0.4"
    assert find_model_root(tmp_path / "x" / "vosk-model-small-vn-0.4" / "am") is None


def test_model_name_for_sources() -> None:
    assert model_name_for("/a/b/vosk-model-small-vn-0.4.zip") == "vosk-model-small-vn-0.4"
    assert model_name_for("https://x.org/m/vosk-model-small-vn-0.4.zip") == (
        "vosk-model-small-vn-0.4"
    )
    assert model_name_for("/a/my model/") == "my-model"


def test_install_from_zip_with_top_folder(tmp_path: Path) -> None:
    src = make_model(tmp_path / "src" / "vosk-model-x")
    archive = zip_folder(src, tmp_path / "vosk-model-x.zip", prefix="vosk-model-x/")
    installed = install_model(archive, tmp_path / "models", "vi")
    assert installed.path == tmp_path / "models" / "vi" / "vosk-model-x"
    assert installed.check.ok
    assert (installed.path / "graph" / "HCLr.fst").is_file()
    assert [p.name for p in (tmp_path / "models" / "vi").iterdir()] == ["vosk-model-x"]


def test_install_from_flat_zip_and_from_folder(tmp_path: Path) -> None:
    src = make_model(tmp_path / "src")
    flat = zip_folder(src, tmp_path / "flat.zip")
    assert install_model(flat, tmp_path / "models", "ko").name == "flat"
    from_folder = install_model(src, tmp_path / "models", "ko", name="folder")
    assert from_folder.check.ok
    assert src.is_dir()  # a folder source is copied, not moved


def test_reinstall_replaces_the_old_copy(tmp_path: Path) -> None:
    src = make_model(tmp_path / "src")
    install_model(src, tmp_path / "models", "vi", name="m")
    (src / "am" / "final.mdl").write_bytes(b"new")
    installed = install_model(src, tmp_path / "models", "vi", name="m")
    assert (installed.path / "am" / "final.mdl").read_bytes() == b"new"


def test_install_rejects_zip_missing_files_and_keeps_old_model(tmp_path: Path) -> None:
    good = make_model(tmp_path / "good")
    install_model(good, tmp_path / "models", "vi", name="m")
    broken = make_model(tmp_path / "broken")
    (broken / "conf" / "mfcc.conf").unlink()
    archive = zip_folder(broken, tmp_path / "m.zip")
    with pytest.raises(ModelError, match="conf/mfcc.conf is missing"):
        install_model(archive, tmp_path / "models", "vi", name="m")
    assert verify_model(tmp_path / "models" / "vi" / "m").ok


def test_install_rejects_a_file_that_is_not_a_zip(tmp_path: Path) -> None:
    bad = tmp_path / "model.zip"
    bad.write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(ModelError, match="is not a readable zip file"):
        install_model(bad, tmp_path / "models", "vi")


def test_install_rejects_zip_without_a_model(tmp_path: Path) -> None:
    archive = tmp_path / "other.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(ModelError, match="holds no vosk model"):
        install_model(archive, tmp_path / "models", "vi")


def test_install_refuses_paths_escaping_the_folder(tmp_path: Path) -> None:
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("../../escaped.txt", "x")
    with pytest.raises(ModelError, match="unsafe path"):
        install_model(archive, tmp_path / "models", "vi")
    assert not (tmp_path / "escaped.txt").exists()


def test_install_missing_source(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="does not exist"):
        install_model(tmp_path / "none.zip", tmp_path / "models", "vi")


def test_install_unreachable_url_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="Cannot download .*hotro models install FILE.zip"):
        install_model("http://127.0.0.1:9/vosk-model.zip", tmp_path / "models", "vi")


def test_install_rejects_a_bad_language_code(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not a language code"):
        install_model(make_model(tmp_path / "m"), tmp_path / "models", "../x")


def test_list_and_installed_model(tmp_path: Path) -> None:
    models = tmp_path / "models"
    install_model(make_model(tmp_path / "a"), models, "vi", name="a")
    install_model(make_model(tmp_path / "b"), models, "ko", name="b")
    broken = models / "vi" / "zz-broken"
    broken.mkdir()
    listed = list_models(models)
    assert [(m.lang, m.name, m.check.ok) for m in listed] == [
        ("ko", "b", True),
        ("vi", "a", True),
        ("vi", "zz-broken", False),
    ]
    assert installed_model(models, "vi") == models / "vi" / "a"
    assert installed_model(models, "en") is None


def test_set_toml_key_creates_file_and_section(tmp_path: Path) -> None:
    path = tmp_path / "hotro.toml"
    set_toml_key(path, "voice", "model", 'C:\\models\\vi "x"')
    assert tomllib.loads(path.read_text())["voice"]["model"] == 'C:\\models\\vi "x"'


def test_set_toml_key_keeps_other_content(tmp_path: Path) -> None:
    path = tmp_path / "hotro.toml"
    path.write_text(
        '# centre settings\n[centre]\nname = "Xã A"\n\n[voice]\nvoice = "south"  # giọng\n'
        'model = "/old"\n\n[printer]\npaper = 58\n',
        encoding="utf-8",
    )
    set_toml_key(path, "voice", "model", "/new")
    text = path.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    assert data["voice"] == {"voice": "south", "model": "/new"}
    assert data["centre"]["name"] == "Xã A" and data["printer"]["paper"] == 58
    assert "# centre settings" in text and "# giọng" in text


def test_set_toml_key_adds_key_to_existing_section(tmp_path: Path) -> None:
    path = tmp_path / "hotro.toml"
    path.write_text('[voice]\nvoice = "north"\n\n[printer]\npaper = 80\n')
    set_toml_key(path, "voice", "model", "/m")
    data = tomllib.loads(path.read_text())
    assert data["voice"] == {"voice": "north", "model": "/m"}


def test_split_top_level_keeps_alternatives_in_groups() -> None:
    assert split_top_level("(có|vâng) rồi|có| [dạ] có ") == ["(có|vâng) rồi", "có", "[dạ] có"]


def test_parse_choice() -> None:
    choice = parse_choice("yes=có|vâng")
    assert (choice.intent, choice.phrases) == ("yes", ("có", "vâng"))
    with pytest.raises(ValueError, match="INTENT=PHRASE"):
        parse_choice("yes")


def test_cli_install_records_model_in_config(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (home / "hotro.toml").write_text('[centre]\nterminal_id = "T2"\n')
    archive = zip_folder(make_model(tmp_path / "src"), tmp_path / "vosk-model-test.zip")
    assert main(["models", "install", str(archive), "--lang", "vi"]) == 0
    data = tomllib.loads((home / "hotro.toml").read_text())
    assert data["voice"]["model"] == str(home / "models" / "vi" / "vosk-model-test")
    assert data["centre"]["terminal_id"] == "T2"
    assert "Installed vosk-model-test" in capsys.readouterr().out


def test_cli_install_writes_the_config_file_given(home: Path, tmp_path: Path) -> None:
    config = tmp_path / "site.toml"
    src = make_model(tmp_path / "src")
    assert main(["--config", str(config), "models", "install", str(src), "--name", "m"]) == 0
    assert tomllib.loads(config.read_text())["voice"]["model"].endswith("m")
    assert not (home / "hotro.toml").exists()


def test_cli_install_broken_zip_is_one_sentence_exit_1(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "broken.zip"
    bad.write_bytes(b"not a zip")
    assert main(["models", "install", str(bad)]) == 1
    err = capsys.readouterr().err.strip()
    assert err == f"hotro: {bad} is not a readable zip file."
    assert not (home / "hotro.toml").exists()


def test_cli_list_marks_the_active_model(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["models", "install", str(make_model(tmp_path / "a")), "--name", "a"]) == 0
    assert main(["models", "install", str(make_model(tmp_path / "b")), "--name", "b"]) == 0
    capsys.readouterr()
    assert main(["models", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line[:1] for line in lines] == [" ", "*"]  # b was installed last, so it is active
    assert "b" in lines[1] and "ok, grammar" in lines[1]


def test_cli_list_with_nothing_installed(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "list"]) == 0
    assert "No voice models installed" in capsys.readouterr().out


def test_cli_listen_without_any_model_is_one_sentence(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wav = tmp_path / "a.wav"
    wav.write_bytes(b"")
    assert main(["listen", str(wav), "--choice", "yes=có"]) == 1
    assert "no voice model is installed" in capsys.readouterr().err


def test_cli_listen_broken_model_dir_is_one_sentence(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wav = tmp_path / "a.wav"
    wav.write_bytes(b"")
    model = make_model(tmp_path / "m")
    (model / "am" / "final.mdl").unlink()
    assert main(["listen", str(wav), "--choice", "yes=có", "--model", str(model)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "am/final.mdl is missing" in err[0]


def test_cli_listen_bad_phrasing_is_usage_error_before_loading(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wav = tmp_path / "a.wav"
    wav.write_bytes(b"")
    code = main(["listen", str(wav), "--choice", "yes=(có", "--model", str(tmp_path / "none")])
    assert code == 2
    assert "'(có' is not a valid phrasing" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--choice", "yes=()"], "'()' is not a valid phrasing: expected words with [optional]"),
        (["--choice", "yes=네 []"], "every bracket closed and none empty"),
        (["--choice", "yes=(네])"], "'(네])' is not a valid phrasing"),
        (["--choice", "yes={네}"], "braces { } and angle brackets < > are not part of it"),
        (
            ["--choice", "yes=네", "--choice", "ok=네"],
            "no choice has a phrasing of its own, so nothing could ever be heard ('네' is a "
            "phrasing of ok, yes; dropped from all); give each choice a different phrasing.",
        ),
        (["--choice", "yes=네", "--courtesy-before", "[저기"], "--courtesy-before '[저기': give"),
        (["--choice", "yes=네", "--courtesy-after", ""], "--courtesy-after '': give one or more"),
    ],
)
def test_cli_listen_phrasing_mistakes_are_one_sentence_before_loading(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    """A technician's fresh check: an empty group ended in a Python traceback, and two choices
    sharing their only phrasing crashed vosk (exit 139); now each is one sentence, exit 2,
    before any model is loaded (``--model`` points nowhere)."""
    wav = tmp_path / "a.wav"
    wav.write_bytes(b"")
    assert main(["listen", str(wav), *args, "--model", str(tmp_path / "none")]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and "ParseChunk" not in err


def test_cli_listen_a_folder_is_not_an_audio_file(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = make_model(tmp_path / "m")
    assert main(["listen", str(tmp_path), "--choice", "yes=có", "--model", str(model)]) == 1
    assert "not an audio file (a folder, a device or a pipe)" in capsys.readouterr().err


def test_listen_plain_text_says_each_thing_once() -> None:
    """Without --json: a refusal whose reason already quotes what was heard does not repeat
    it (a technician saw "garbage path: heard '엑시머' (heard '엑시머')")."""
    from terminal.commands.models import describe
    from voices.listen import ListenResult

    garbage = ListenResult("unclear", None, "엑시머", 0.0, "garbage path: heard '엑시머'")
    assert describe(garbage) == "unclear: garbage path: heard '엑시머'"
    close = ListenResult("unclear", None, "네", 0.6, "too close: yes (0.60) and garbage (0.40)")
    assert describe(close) == "unclear: too close: yes (0.60) and garbage (0.40) (heard '네')"
    heard = ListenResult("heard", "yes", "네", 0.883, "")
    assert describe(heard) == "heard: yes (네), confidence 0.88"
    assert describe(ListenResult("silence", None, "", 0.0, "")) == "silence"


def test_cli_ctrl_c_is_one_line_exit_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C during any command (here ``models list``) ends with one line and 130, the
    shell's code for SIGINT, not a traceback."""
    from terminal.commands import models

    def interrupted(args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(models, "_list", interrupted)
    assert main(["models", "list"]) == 130
    assert capsys.readouterr().err == "hotro: interrupted\n"


def test_cli_install_no_activate_leaves_config_alone(home: Path, tmp_path: Path) -> None:
    src = make_model(tmp_path / "src")
    assert main(["models", "install", str(src), "--name", "m", "--no-activate"]) == 0
    assert (home / "models" / "vi" / "m" / "am" / "final.mdl").is_file()
    assert not (home / "hotro.toml").exists()


def test_decoder_options_view_overrides_model_conf_and_links_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # take TMPDIR into account
    model = make_model(tmp_path / "m", words=True)
    (model / "conf" / "model.conf").write_text("--beam=10.0\n--lattice-beam=2.0\n")
    view = with_decoder_options(model, {"lattice-beam": "8.0"})
    assert view != model and view.is_relative_to(tmp_path / "tmp")
    assert (view / "conf" / "model.conf").read_text() == "--beam=10.0\n--lattice-beam=8.0\n"
    assert (view / "am").is_symlink() and (view / "conf" / "mfcc.conf").is_symlink()
    assert (model / "conf" / "model.conf").read_text().endswith("--lattice-beam=2.0\n")
    assert verify_model(view).ok and model_vocabulary(view) == model_vocabulary(model)
    assert with_decoder_options(model, {"lattice-beam": "8.0"}) == view  # built once
    assert with_decoder_options(model, {}) == model.resolve()


def test_decoder_options_leave_an_old_layout_model_alone(tmp_path: Path) -> None:
    model = make_model(tmp_path / "m")
    (model / "conf" / "model.conf").unlink()
    assert with_decoder_options(model, {"lattice-beam": "8.0"}) == model.resolve()
