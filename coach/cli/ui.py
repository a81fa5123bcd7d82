"""`coach ui`: the browser practice room (Chainlit), on 127.0.0.1:8000 by default."""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path

import coach
from coach.config import load_settings
from coach.ui.auth import single_user_mode, users_file


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `ui` command."""
    parser = subparsers.add_parser(
        "ui",
        help="start the browser practice room",
        description="Start the practice room at http://HOST:PORT. Accounts come from "
        "COACH_USERS or <data dir>/users.toml (add one with `coach users add NAME`); "
        "COACH_SINGLE_USER=1 runs without login for one local user. Sessions are stored in "
        "COACH_DATABASE_URL (default: SQLite under COACH_DATA_DIR).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    parser.set_defaults(run=run)


def app_root() -> Path:
    """The folder holding .chainlit/, public/ and chainlit.md (the project checkout)."""
    here = Path(coach.__file__).resolve().parent.parent
    return here if (here / "public" / "elements").is_dir() else Path.cwd()


def auth_secret(data_dir: Path) -> str:
    """CHAINLIT_AUTH_SECRET, else a secret kept in the data folder (made on first run)."""
    if os.environ.get("CHAINLIT_AUTH_SECRET"):
        return os.environ["CHAINLIT_AUTH_SECRET"]
    path = data_dir / "auth_secret"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def run(args: argparse.Namespace) -> int:
    """Start Chainlit in this process with coach's app."""
    settings = load_settings()
    data_dir = settings.data_dir.resolve()
    os.environ["COACH_DATA_DIR"] = str(data_dir)
    os.environ["COACH_LIBRARY_DIR"] = str(settings.library_dir.resolve())
    os.environ["CHAINLIT_APP_ROOT"] = str(app_root())
    os.environ["CHAINLIT_AUTH_SECRET"] = auth_secret(data_dir)
    if not single_user_mode() and not users_file(data_dir).exists():
        print(
            f"coach: no accounts yet ({users_file(data_dir)}). Add one with "
            "`coach users add NAME`, or run without login: COACH_SINGLE_USER=1 coach ui",
            file=sys.stderr,
        )
        return 2
    # Chainlit's CLI reads CI from the environment and, in "CI mode", sets a fake
    # OPENAI_API_KEY, which would switch coach to an LLM that does not exist.
    os.environ.pop("CI", None)
    print(f"coach: practice room at http://{args.host}:{args.port}", file=sys.stderr)
    from chainlit.cli import cli  # imported late: it reads CHAINLIT_APP_ROOT at import

    target = str(Path(__file__).resolve().parent.parent / "ui" / "app.py")
    cli.main(
        args=["run", target, "--headless", "--host", args.host, "--port", str(args.port)],
        prog_name="coach ui",
        standalone_mode=False,
    )
    return 0
