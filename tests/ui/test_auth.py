"""Accounts: bcrypt hashes, the users file, login checks, single-user mode."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.domain.errors import UserError
from coach.ui import auth


def test_hash_is_bcrypt_and_verifies() -> None:
    hashed = auth.hash_password("correct horse")
    assert hashed.startswith("$2b$") and "correct horse" not in hashed
    assert auth.verify_password("correct horse", hashed)


def test_wrong_password_and_broken_hash_are_refused() -> None:
    hashed = auth.hash_password("correct horse")
    assert not auth.verify_password("wrong horse", hashed)
    assert not auth.verify_password("correct horse", "not-a-hash")


def test_users_file_round_trip_stores_no_plain_password(tmp_path: Path) -> None:
    path = tmp_path / "users.toml"
    auth.add_account(path, "alice", "alice-pass-1", display_name='Alice "A" Martin')
    auth.add_account(path, "bob", "bob-pass-12")
    text = path.read_text()
    assert "alice-pass-1" not in text and "bob-pass-12" not in text
    accounts = auth.load_accounts(path)
    assert sorted(accounts) == ["alice", "bob"]
    assert accounts["alice"].display_name == 'Alice "A" Martin'
    assert path.stat().st_mode & 0o077 == 0


def test_authenticate(tmp_path: Path) -> None:
    path = tmp_path / "users.toml"
    auth.add_account(path, "alice", "alice-pass-1")
    account = auth.authenticate(path, "alice", "alice-pass-1")
    assert account is not None and account.name == "alice"
    assert auth.authenticate(path, "alice", "alice-pass-2") is None
    assert auth.authenticate(path, "mallory", "alice-pass-1") is None
    assert auth.authenticate(tmp_path / "missing.toml", "alice", "alice-pass-1") is None


def test_remove_and_validation(tmp_path: Path) -> None:
    path = tmp_path / "users.toml"
    auth.add_account(path, "alice", "alice-pass-1")
    assert auth.remove_account(path, "alice") and not auth.remove_account(path, "alice")
    with pytest.raises(UserError, match="at least"):
        auth.add_account(path, "alice", "short")
    with pytest.raises(UserError, match="invalid user name"):
        auth.add_account(path, "bad name]", "long-enough-pass")


def test_bad_users_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "users.toml"
    path.write_text("[users.alice]\npassword = 'plain'\n")
    with pytest.raises(UserError, match="password_hash"):
        auth.load_accounts(path)


def test_users_file_location_and_single_user_flag(tmp_path: Path) -> None:
    assert auth.users_file(tmp_path, {}) == tmp_path / "users.toml"
    assert auth.users_file(tmp_path, {"COACH_USERS": "/etc/coach.toml"}) == Path("/etc/coach.toml")
    assert auth.single_user_mode({"COACH_SINGLE_USER": "1"})
    assert not auth.single_user_mode({"COACH_SINGLE_USER": "0"})
    assert not auth.single_user_mode({})


def test_cli_users_add_and_list(tmp_path: Path, monkeypatch, capsys) -> None:
    from coach.cli import main

    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("COACH_NEW_PASSWORD", "alice-pass-1")
    assert main(["users", "add", "alice"]) == 0
    assert main(["users", "list"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "alice"
    assert auth.authenticate(tmp_path / "users.toml", "alice", "alice-pass-1")
