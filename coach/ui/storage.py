"""The one storage seam of the practice room.

Everything persistent is built here from a single setting, `COACH_DATABASE_URL` (an SQLAlchemy
async URL). By default it is SQLite in the data folder; PostgreSQL
(`postgresql+asyncpg://...`) needs only a different URL plus the matching drivers. Nothing
outside this module looks at the URL.

- `build_data_layer` gives Chainlit's `SQLAlchemyDataLayer` (threads, steps, elements per user)
  with the tables created by `create_schema` and files kept by `LocalStorageClient`.
- `engine_store_url` names the same database for the engine, which keeps its LangGraph
  checkpointer and session index there (`coach.engine.persistence.open_store`).
"""

from __future__ import annotations

import json
import mimetypes
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from chainlit.data.sql_alchemy import SQLAlchemyDataLayer
from chainlit.data.storage_clients.base import BaseStorageClient
from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Integer,
    MetaData,
    Table,
    Text,
)
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from coach.domain.errors import UserError

FILES_ROUTE = "/coach-files"
"""URL prefix under which `LocalStorageClient` files are served (see `coach.ui.routes`)."""


def database_url(data_dir: Path, env: dict[str, str] | None = None) -> str:
    """The storage URL: `COACH_DATABASE_URL`, else SQLite in the data folder."""
    env = dict(os.environ if env is None else env)
    url = env.get("COACH_DATABASE_URL", "").strip()
    if url:
        return url
    return f"sqlite+aiosqlite:///{(data_dir / 'coach.db').resolve()}"


def files_dir(data_dir: Path) -> Path:
    """Where element files (downloads, charts) are kept."""
    return data_dir / "files"


# Chainlit's tables, written portably: JSON travels as TEXT (the data layer serialises it),
# so the same definitions create the schema on SQLite and on PostgreSQL.
_META = MetaData()
Table(
    "users",
    _META,
    Column("id", Text, primary_key=True),
    Column("identifier", Text, nullable=False, unique=True),
    Column("metadata", Text, nullable=False),
    Column("createdAt", Text),
)
Table(
    "threads",
    _META,
    Column("id", Text, primary_key=True),
    Column("createdAt", Text),
    Column("name", Text),
    Column("userId", Text, ForeignKey("users.id", ondelete="CASCADE")),
    Column("userIdentifier", Text),
    Column("tags", Text),
    Column("metadata", Text),
)
Table(
    "steps",
    _META,
    Column("id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("type", Text, nullable=False),
    Column("threadId", Text, ForeignKey("threads.id", ondelete="CASCADE"), nullable=False),
    Column("parentId", Text),
    Column("streaming", Boolean, nullable=False),
    Column("waitForAnswer", Boolean),
    Column("isError", Boolean),
    Column("metadata", Text),
    Column("tags", Text),
    Column("input", Text),
    Column("output", Text),
    Column("createdAt", Text),
    Column("command", Text),
    Column("modes", Text),
    Column("start", Text),
    Column("end", Text),
    Column("generation", Text),
    Column("showInput", Text),
    Column("language", Text),
    Column("indent", Integer),
    Column("defaultOpen", Boolean),
    Column("autoCollapse", Boolean),
    Column("icon", Text),
)
Table(
    "elements",
    _META,
    Column("id", Text, primary_key=True),
    Column("threadId", Text, ForeignKey("threads.id", ondelete="CASCADE")),
    Column("type", Text),
    Column("url", Text),
    Column("chainlitKey", Text),
    Column("name", Text, nullable=False),
    Column("display", Text),
    Column("objectKey", Text),
    Column("size", Text),
    Column("page", Integer),
    Column("language", Text),
    Column("forId", Text),
    Column("mime", Text),
    Column("props", Text),
    Column("path", Text),
    Column("autoPlay", Boolean),
    Column("playerConfig", Text),
)
Table(
    "feedbacks",
    _META,
    Column("id", Text, primary_key=True),
    Column("forId", Text, nullable=False),
    Column("threadId", Text, ForeignKey("threads.id", ondelete="CASCADE")),
    Column("value", Integer, nullable=False),
    Column("comment", Text),
)


def _ensure_sqlite_folder(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(str(parsed.database)).parent.mkdir(parents=True, exist_ok=True)


async def create_schema(url: str) -> None:
    """Create Chainlit's tables if they are missing (idempotent)."""
    _ensure_sqlite_folder(url)
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_META.create_all)
    finally:
        await engine.dispose()


class LocalStorageClient(BaseStorageClient):
    """Keeps element files in a local folder; they are served by `coach.ui.routes`.

    Object keys start with the owner's user id (Chainlit writes `USER_ID/ELEMENT_ID/NAME`),
    which is what the file route checks before serving a file.
    """

    def __init__(self, root: Path, url_prefix: str = FILES_ROUTE) -> None:
        self.root = root.resolve()
        self.url_prefix = url_prefix.rstrip("/")

    def path_of(self, object_key: str) -> Path:
        """The file behind an object key; refuses keys that leave the folder."""
        path = (self.root / object_key).resolve()
        if not path.is_relative_to(self.root) or path == self.root:
            raise ValueError(f"object key {object_key!r} is outside the storage folder")
        return path

    async def upload_file(
        self,
        object_key: str,
        data: bytes | str,
        mime: str = "application/octet-stream",
        overwrite: bool = True,
        content_disposition: str | None = None,
    ) -> dict[str, Any]:
        """Write the file; returns its object key and read URL."""
        path = self.path_of(object_key)
        if path.exists() and not overwrite:
            raise FileExistsError(object_key)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return {"object_key": object_key, "url": await self.get_read_url(object_key)}

    async def delete_file(self, object_key: str) -> bool:
        """Remove the file; False when it was not there."""
        path = self.path_of(object_key)
        if not path.exists():
            return False
        path.unlink()
        return True

    async def get_read_url(self, object_key: str) -> str:
        """The URL the browser downloads the file from."""
        return f"{self.url_prefix}/{quote(object_key)}"

    def media_type(self, object_key: str) -> str:
        """A content type guessed from the key's file name."""
        return mimetypes.guess_type(object_key)[0] or "application/octet-stream"

    async def close(self) -> None:
        """Nothing to release."""


class CoachDataLayer(SQLAlchemyDataLayer):
    """Chainlit's SQLAlchemy layer, made portable.

    Thread tags and step tags/modes arrive as Python lists and dicts, which only PostgreSQL's
    array and JSONB columns accept; we keep them as JSON text so every database stores them.
    """

    async def update_thread(
        self,
        thread_id: str,
        name: str | None = None,
        user_id: str | None = None,
        metadata: dict | None = None,
        tags: list[str] | None = None,
    ) -> None:
        """Create or update a thread; tags are not used by coach and are dropped."""
        await super().update_thread(thread_id, name=name, user_id=user_id, metadata=metadata)

    async def get_thread(self, thread_id: str) -> Any:
        """A thread with its metadata as a dict (SQLite hands back the JSON text).

        The browser reads `metadata.chat_profile` of a resumed thread to show its persona in
        the header; from text it would read nothing and show the default persona.
        """
        thread = await super().get_thread(thread_id)
        metadata: Any = thread.get("metadata") if thread is not None else None
        if thread is not None and isinstance(metadata, str):
            try:
                thread["metadata"] = json.loads(metadata)
            except json.JSONDecodeError:
                thread["metadata"] = {}
        return thread

    async def create_step(self, step_dict: Any) -> None:
        """Store a step with list and dict fields serialised as JSON text."""
        for key in ("tags", "modes"):
            value = step_dict.get(key)
            if isinstance(value, list | dict):
                step_dict[key] = json.dumps(value)
        await super().create_step(step_dict)

    async def update_step(self, step_dict: Any) -> None:
        """Same as create_step (an upsert)."""
        await self.create_step(step_dict)


def build_data_layer(url: str, files_root: Path) -> CoachDataLayer:
    """The Chainlit data layer on `url`, keeping element files under `files_root`."""
    _ensure_sqlite_folder(url)
    return CoachDataLayer(conninfo=url, storage_provider=LocalStorageClient(files_root))


def engine_store_url(url: str) -> str:
    """The same database in the form the engine's store takes (`coach.engine.persistence`).

    The engine keeps its LangGraph checkpoints and session index in the database the data
    layer uses, so one setting moves all of coach's state.
    """
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        _ensure_sqlite_folder(url)
        return f"sqlite:///{parsed.database}"
    if backend == "postgresql":
        return parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    raise UserError(
        f"COACH_DATABASE_URL uses {backend!r}; coach supports sqlite+aiosqlite:// URLs "
        "(postgresql+asyncpg:// once the engine's store supports it)"
    )
