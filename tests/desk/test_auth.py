"""PIN/password hashing, CSRF tokens and the sign-in throttle."""

from __future__ import annotations

import pytest

from desk.auth import (
    PasswordHashError,
    Throttle,
    check_hash_format,
    hash_password,
    new_token,
    same_token,
    verify_password,
)


def test_a_hash_verifies_its_own_secret_only() -> None:
    stored = hash_password("246810")
    assert verify_password("246810", stored)
    assert not verify_password("246811", stored)
    assert not verify_password("", stored)


def test_hashes_are_salted() -> None:
    assert hash_password("246810") != hash_password("246810")


def test_the_hash_does_not_contain_the_secret() -> None:
    stored = hash_password("mật-khẩu-1234")
    assert stored.startswith("scrypt$16384$8$1$") and "1234" not in stored
    assert "mật" not in stored


def test_a_short_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 4"):
        hash_password("123")


@pytest.mark.parametrize(
    "bad",
    ["", "plain-text", "scrypt$1$8$1$AAAA$AAAA", "scrypt$16384$8$1$@@@$AAAA",
     "pbkdf2$16384$8$1$AAAA$AAAA", "scrypt$16384$8$1$AAAAAAAA"],
)
def test_a_damaged_hash_is_reported(bad: str) -> None:
    with pytest.raises(PasswordHashError):
        check_hash_format(bad)


def test_tokens_are_random_and_compared_exactly() -> None:
    a, b = new_token(), new_token()
    assert a != b and len(a) >= 40
    assert same_token(a, a)
    assert not same_token(a, b)
    assert not same_token("", "")
    assert not same_token(None, a)


def test_the_throttle_locks_after_five_failures_then_opens() -> None:
    now = [100.0]
    throttle = Throttle(max_failures=5, lock_seconds=60, clock=lambda: now[0])
    for _ in range(4):
        throttle.failed()
    assert throttle.wait_seconds() == 0
    throttle.failed()
    assert throttle.wait_seconds() == 60
    now[0] += 59.5
    assert throttle.wait_seconds() == 1
    now[0] += 0.5
    assert throttle.wait_seconds() == 0
