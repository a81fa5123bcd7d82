"""Where sessions live: the LangGraph checkpointer and the session index, behind one seam.

Only `open_store` knows the backend; it is chosen by the database URL (SQLite by default,
a file under the data folder). PostgreSQL is the next backend and needs a branch here only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosqlite
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

from coach.domain.errors import UserError

SESSIONS_DDL = """
CREATE TABLE IF NOT EXISTS coach_sessions (
    session_id TEXT PRIMARY KEY,
    user TEXT NOT NULL,
    created_at TEXT NOT NULL,
    persona_id TEXT NOT NULL,
    scenario_id TEXT NOT NULL,
    rubric_id TEXT NOT NULL,
    mode TEXT NOT NULL,
    difficulty TEXT,
    pinned TEXT NOT NULL
)
"""


@dataclass
class SessionRecord:
    """A session's identity and the library versions it started with."""

    session_id: str
    user: str
    created_at: str
    persona_id: str
    scenario_id: str
    rubric_id: str
    mode: str
    difficulty: str | None
    pinned: dict[str, Any]
    """The persona, scenario and rubric as they were at the start, plus their versions."""


class Store:
    """The checkpointer plus the session index."""

    def __init__(self, checkpointer: BaseCheckpointSaver, conn: aiosqlite.Connection | None):
        self.checkpointer = checkpointer
        self._conn = conn
        self._memory: dict[str, SessionRecord] = {}

    async def add(self, record: SessionRecord) -> None:
        """Index a new session; a session id already in use is refused."""
        if self._conn is None:
            if record.session_id in self._memory:
                raise UserError(f"session id {record.session_id!r} is already in use")
            self._memory[record.session_id] = record
            return
        async with self._conn.execute(
            "SELECT 1 FROM coach_sessions WHERE session_id = ?", (record.session_id,)
        ) as cursor:
            if await cursor.fetchone():
                raise UserError(f"session id {record.session_id!r} is already in use")
        await self._conn.execute(
            "INSERT INTO coach_sessions VALUES (?,?,?,?,?,?,?,?,?)",
            (
                record.session_id,
                record.user,
                record.created_at,
                record.persona_id,
                record.scenario_id,
                record.rubric_id,
                record.mode,
                record.difficulty,
                json.dumps(record.pinned),
            ),
        )
        await self._conn.commit()

    async def get(self, session_id: str) -> SessionRecord:
        """The record of a session; UserError when unknown."""
        if self._conn is None:
            if session_id not in self._memory:
                raise UserError(f"no session {session_id!r}")
            return self._memory[session_id]
        async with self._conn.execute(
            "SELECT * FROM coach_sessions WHERE session_id = ?", (session_id,)
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            raise UserError(f"no session {session_id!r}")
        return _record(row)

    async def of_user(self, user: str) -> list[SessionRecord]:
        """A user's sessions, newest first."""
        if self._conn is None:
            found = [r for r in self._memory.values() if r.user == user]
            return sorted(found, key=lambda r: r.created_at, reverse=True)
        async with self._conn.execute(
            "SELECT * FROM coach_sessions WHERE user = ? ORDER BY created_at DESC", (user,)
        ) as cursor:
            return [_record(row) for row in await cursor.fetchall()]

    async def aclose(self) -> None:
        """Close the database connection."""
        if self._conn is not None:
            await self._conn.close()


def _record(row: Any) -> SessionRecord:
    return SessionRecord(
        session_id=row[0],
        user=row[1],
        created_at=row[2],
        persona_id=row[3],
        scenario_id=row[4],
        rubric_id=row[5],
        mode=row[6],
        difficulty=row[7],
        pinned=json.loads(row[8]),
    )


def default_database_url(data_dir: Path) -> str:
    """SQLite file under the data folder."""
    return f"sqlite:///{data_dir / 'sessions.sqlite'}"


async def open_store(url: str) -> Store:
    """Open the store named by a URL: 'sqlite:///path' or 'memory://'."""
    if url.startswith("memory:"):
        return Store(InMemorySaver(), None)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(str(path))
        await conn.execute("PRAGMA journal_mode=WAL")
        # WAL with synchronous=NORMAL survives a crash of the process (not of the OS) and
        # saves an fsync per checkpoint.
        await conn.execute("PRAGMA synchronous=NORMAL")
        await conn.execute(SESSIONS_DDL)
        await conn.commit()
        saver = AsyncSqliteSaver(conn)
        await saver.setup()
        return Store(saver, conn)
    raise UserError(
        f"unsupported database URL {url!r}: use sqlite:///PATH (PostgreSQL is not wired yet)"
    )


def timestamp() -> str:
    """UTC now, sortable."""
    return datetime.now(UTC).isoformat(timespec="microseconds")
