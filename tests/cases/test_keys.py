"""The centre key file: created private and random, never overwritten by accident, read strictly."""

from __future__ import annotations

import stat

import pytest

from cases.keys import KEY_BYTES, KeyFileError, init_key, key_is_private, load_key


def test_init_key_writes_a_private_random_key_that_loads_back(tmp_path):
    path = tmp_path / "sub" / "centre.key"
    key = init_key(path)
    assert len(key) == KEY_BYTES
    assert load_key(path) == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert key_is_private(path)


def test_two_keys_differ(tmp_path):
    assert init_key(tmp_path / "a.key") != init_key(tmp_path / "b.key")


def test_init_key_refuses_to_overwrite(tmp_path):
    path = tmp_path / "centre.key"
    key = init_key(path)
    with pytest.raises(KeyFileError, match="already exists"):
        init_key(path)
    assert load_key(path) == key


def test_init_key_with_force_replaces(tmp_path):
    path = tmp_path / "centre.key"
    old = init_key(path)
    new = init_key(path, force=True)
    assert new != old and load_key(path) == new


def test_load_key_missing_file_says_how_to_create_one(tmp_path):
    with pytest.raises(KeyFileError, match="hotro keys init"):
        load_key(tmp_path / "none.key")


@pytest.mark.parametrize("content", ["", "zz", "00" * 16, "00" * 33, "not a key at all\n"])
def test_load_key_refuses_malformed_content(tmp_path, content):
    path = tmp_path / "centre.key"
    path.write_text(content)
    with pytest.raises(KeyFileError, match="hexadecimal"):
        load_key(path)


def test_load_key_refuses_binary_content(tmp_path):
    path = tmp_path / "centre.key"
    path.write_bytes(b"\xff\xfe" * 40)
    with pytest.raises(KeyFileError, match="cannot read"):
        load_key(path)


def test_key_readable_by_others_is_reported_not_private(tmp_path):
    path = tmp_path / "centre.key"
    init_key(path)
    path.chmod(0o644)
    assert not key_is_private(path)
