"""The centre key file: created private and random, never overwritten by accident, read strictly."""

from __future__ import annotations

import stat
from datetime import datetime, timedelta

import pytest

from cases.keys import (
    KEEP_EXPIRED_DAYS,
    KEY_BYTES,
    KeyFileError,
    KeyRing,
    end_of_grace,
    fingerprint,
    init_key,
    key_is_private,
    load_key,
    load_keyring,
    previous_path,
    rotate_key,
)


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


# -- rotation -------------------------------------------------------------------------------------

ROTATED_AT = datetime(2026, 11, 23, 16, 30, 0)


def test_rotate_keeps_the_old_key_with_a_grace_until_the_end_of_the_next_day(tmp_path):
    path = tmp_path / "centre.key"
    old = init_key(path)
    ring = rotate_key(path, now=ROTATED_AT)
    assert load_key(path) == ring.current != old
    assert [r.key for r in ring.retired] == [old]
    assert ring.retired[0].retired == ROTATED_AT
    assert ring.retired[0].until == datetime(2026, 11, 24, 23, 59, 59)
    assert load_keyring(path) == ring
    previous = previous_path(path)
    assert previous == tmp_path / "centre.key.previous"
    assert stat.S_IMODE(previous.stat().st_mode) == 0o600 and key_is_private(path)


def test_the_ring_accepts_the_old_key_only_during_its_grace(tmp_path):
    path = tmp_path / "centre.key"
    old = init_key(path)
    ring = rotate_key(path, now=ROTATED_AT)
    assert ring.accepted(datetime(2026, 11, 24, 23, 59, 59)) == (ring.current, old)
    assert ring.accepted(datetime(2026, 11, 25, 0, 0, 0)) == (ring.current,)
    assert [r.key for r in ring.expired(datetime(2026, 11, 25, 0, 0, 0))] == [old]


@pytest.mark.parametrize(("days", "until"), [(0, datetime(2026, 11, 23, 23, 59, 59)),
                                             (3, datetime(2026, 11, 26, 23, 59, 59))])
def test_the_grace_period_is_configurable(tmp_path, days, until):
    path = tmp_path / "centre.key"
    init_key(path)
    assert rotate_key(path, now=ROTATED_AT, grace_days=days).retired[0].until == until


def test_a_grace_period_out_of_range_is_refused_and_nothing_changes(tmp_path):
    path = tmp_path / "centre.key"
    key = init_key(path)
    with pytest.raises(ValueError, match="0..30"):
        rotate_key(path, now=ROTATED_AT, grace_days=31)
    assert load_key(path) == key and not previous_path(path).exists()


def test_rotating_twice_keeps_both_old_keys_newest_first(tmp_path):
    path = tmp_path / "centre.key"
    first = init_key(path)
    second = rotate_key(path, now=ROTATED_AT).current
    ring = rotate_key(path, now=ROTATED_AT + timedelta(hours=1))
    assert [r.key for r in ring.retired] == [second, first]
    assert len({ring.current, first, second}) == 3


def test_keys_expired_long_ago_are_dropped_at_the_next_rotation(tmp_path):
    path = tmp_path / "centre.key"
    first = init_key(path)
    rotate_key(path, now=ROTATED_AT)
    later = ROTATED_AT + timedelta(days=KEEP_EXPIRED_DAYS + 5)
    ring = rotate_key(path, now=later)
    assert first not in [r.key for r in ring.retired] and len(ring.retired) == 1


def test_a_key_without_previous_file_is_a_ring_of_one(tmp_path):
    path = tmp_path / "centre.key"
    key = init_key(path)
    assert load_keyring(path) == KeyRing(key)


def test_a_damaged_previous_file_names_the_file_and_line(tmp_path):
    path = tmp_path / "centre.key"
    init_key(path)
    previous_path(path).write_text("# comment\n\nabc 2026-11-23T00:00:00\n", encoding="ascii")
    with pytest.raises(KeyFileError, match=r"centre\.key\.previous, line 3"):
        load_keyring(path)


def test_the_current_key_listed_as_previous_is_not_a_retired_key(tmp_path):
    """A rotation cut short after writing the previous file leaves a ring that still works."""
    path = tmp_path / "centre.key"
    key = init_key(path)
    previous_path(path).write_text(
        f"{key.hex()} 2026-11-23T00:00:00 2026-11-23T01:00:00 2026-11-24T23:59:59\n",
        encoding="ascii",
    )
    assert load_keyring(path) == KeyRing(key)


def test_a_fingerprint_is_short_stable_and_does_not_reveal_the_key(tmp_path):
    key = init_key(tmp_path / "centre.key")
    assert fingerprint(key) == fingerprint(key) and len(fingerprint(key)) == 8
    assert fingerprint(key).lower() not in key.hex()
    assert fingerprint(key) != fingerprint(bytes(32))


def test_end_of_grace_is_the_last_second_of_the_day(tmp_path):
    assert end_of_grace(datetime(2026, 12, 31, 8, 0), 1) == datetime(2027, 1, 1, 23, 59, 59)
