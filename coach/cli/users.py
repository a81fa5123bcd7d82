"""`coach users`: manage the accounts of the practice room (bcrypt-hashed passwords)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from coach.config import load_settings
from coach.domain.errors import UserError
from coach.ui.auth import add_account, load_accounts, remove_account, users_file


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `users` command with add, list and remove."""
    parser = subparsers.add_parser(
        "users",
        help="manage practice-room accounts",
        description="Accounts live in COACH_USERS or <data dir>/users.toml.",
    )
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = sub.add_parser("add", help="add a user or set a new password")
    add.add_argument("name")
    add.add_argument("--display-name", default="", help="name shown in the room")
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    sub.add_parser("list", help="list the users")
    remove = sub.add_parser("remove", help="remove a user")
    remove.add_argument("name")
    parser.set_defaults(run=run)


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    if os.environ.get("COACH_NEW_PASSWORD"):
        return os.environ["COACH_NEW_PASSWORD"]
    first = getpass.getpass(f"Password for {args.name}: ")
    if getpass.getpass("Again: ") != first:
        raise UserError("the passwords differ")
    return first


def run(args: argparse.Namespace) -> int:
    """Carry out the action."""
    path = users_file(load_settings().data_dir)
    if args.action == "add":
        add_account(path, args.name, _password(args), args.display_name)
        print(f"user {args.name} saved in {path}")
    elif args.action == "list":
        for name in sorted(load_accounts(path)):
            print(name)
    elif args.action == "remove":
        if not remove_account(path, args.name):
            raise UserError(f"no user {args.name!r} in {path}")
        print(f"user {args.name} removed")
    return 0
