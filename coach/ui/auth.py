"""Accounts of the practice room: users in a TOML file, passwords bcrypt-hashed.

The file is `COACH_USERS` if set, else `<data dir>/users.toml`:

    [users.alice]
    password_hash = "$2b$12$..."
    display_name = "Alice Martin"

`COACH_SINGLE_USER=1` switches login off: one local user, for a trainee on their own machine.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import bcrypt

from coach.domain.errors import UserError

LOCAL_USER = "local"
"""The identifier of the only user in single-user mode."""

USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
MIN_PASSWORD = 8


@dataclass(frozen=True)
class Account:
    """One user who may log in."""

    name: str
    password_hash: str
    display_name: str = ""


def users_file(data_dir: Path, env: dict[str, str] | None = None) -> Path:
    """Where the accounts live: `COACH_USERS`, else `<data dir>/users.toml`."""
    env = dict(os.environ if env is None else env)
    return Path(env["COACH_USERS"]) if env.get("COACH_USERS") else data_dir / "users.toml"


def single_user_mode(env: dict[str, str] | None = None) -> bool:
    """True when `COACH_SINGLE_USER` is set to 1/true/yes (no login)."""
    env = dict(os.environ if env is None else env)
    return env.get("COACH_SINGLE_USER", "").strip().lower() in {"1", "true", "yes"}


def hash_password(password: str) -> str:
    """A bcrypt hash of the password (bcrypt reads at most 72 bytes; longer is refused)."""
    raw = password.encode("utf-8")
    if len(raw) > 72:
        raise UserError("passwords are limited to 72 bytes (a bcrypt limit)")
    return bcrypt.hashpw(raw, bcrypt.gensalt()).decode("ascii")


def verify_password(password: str, password_hash: str) -> bool:
    """True when the password matches the hash; False for a wrong password or a bad hash."""
    raw = password.encode("utf-8")
    if len(raw) > 72:
        return False
    try:
        return bcrypt.checkpw(raw, password_hash.encode("ascii"))
    except ValueError:
        return False


def load_accounts(path: Path) -> dict[str, Account]:
    """Read the users file; a missing file means no accounts yet."""
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise UserError(f"{path}: not a valid users file: {err}") from err
    users = data.get("users", {})
    if not isinstance(users, dict):
        raise UserError(f"{path}: [users] must be a table of users")
    accounts = {}
    for name, entry in users.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("password_hash"), str):
            raise UserError(f"{path}: users.{name}: needs a password_hash string")
        accounts[name] = Account(
            name=name,
            password_hash=entry["password_hash"],
            display_name=str(entry.get("display_name", "")),
        )
    return accounts


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def save_accounts(path: Path, accounts: dict[str, Account]) -> None:
    """Write the users file (readable by its owner only)."""
    lines = ["# coach accounts: edit with `coach users add NAME`. Passwords are bcrypt hashes.", ""]
    for account in sorted(accounts.values(), key=lambda a: a.name):
        lines.append(f"[users.{_toml_string(account.name)}]")
        lines.append(f"password_hash = {_toml_string(account.password_hash)}")
        if account.display_name:
            lines.append(f"display_name = {_toml_string(account.display_name)}")
        lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines), encoding="utf-8")
    os.chmod(tmp, 0o600)
    tmp.replace(path)


def add_account(path: Path, name: str, password: str, display_name: str = "") -> Account:
    """Add a user, or set a new password for an existing one."""
    if not USERNAME.match(name):
        raise UserError(f"invalid user name {name!r}: use letters, digits and . _ @ - (at most 64)")
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password must be at least {MIN_PASSWORD} characters")
    accounts = load_accounts(path)
    account = Account(name=name, password_hash=hash_password(password), display_name=display_name)
    accounts[name] = account
    save_accounts(path, accounts)
    return account


def remove_account(path: Path, name: str) -> bool:
    """Remove a user; False when there was none by that name."""
    accounts = load_accounts(path)
    if accounts.pop(name, None) is None:
        return False
    save_accounts(path, accounts)
    return True


def authenticate(path: Path, name: str, password: str) -> Account | None:
    """The account when name and password match, else None."""
    account = load_accounts(path).get(name)
    if account is None:
        # Spend the same time as a real check so user names cannot be probed by timing.
        verify_password(password, "$2b$12$" + "." * 53)
        return None
    return account if verify_password(password, account.password_hash) else None
