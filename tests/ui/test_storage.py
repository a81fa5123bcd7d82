"""The storage seam: Chainlit's tables on SQLite, per-user threads, files, the engine's URL.

The SQLAlchemy data layer swallows SQL errors, so every test reads back what was stored by
querying the SQLite file directly.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from chainlit.context import init_http_context
from chainlit.element import File
from chainlit.user import User

from coach.domain.errors import UserError
from coach.ui import storage


def _rows(db: Path, sql: str, *args: object) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, args).fetchall()


@pytest.fixture
async def layer(tmp_path: Path):
    url = storage.database_url(tmp_path, {})
    await storage.create_schema(url)
    await storage.create_schema(url)  # idempotent
    data_layer = storage.build_data_layer(url, storage.files_dir(tmp_path))
    yield data_layer
    await data_layer.close()


def test_database_url_defaults_to_sqlite_in_data_dir(tmp_path: Path) -> None:
    assert storage.database_url(tmp_path, {}) == f"sqlite+aiosqlite:///{tmp_path / 'coach.db'}"
    custom = {"COACH_DATABASE_URL": "postgresql+asyncpg://u:p@db/coach"}
    assert storage.database_url(tmp_path, custom) == custom["COACH_DATABASE_URL"]


def test_engine_store_url_names_the_same_database(tmp_path: Path) -> None:
    url = storage.database_url(tmp_path, {})
    assert storage.engine_store_url(url) == f"sqlite:///{tmp_path / 'coach.db'}"
    pg = storage.engine_store_url("postgresql+asyncpg://u:p@db:5432/coach")
    assert pg == "postgresql://u:p@db:5432/coach"
    with pytest.raises(UserError, match="mysql"):
        storage.engine_store_url("mysql+aiomysql://u@db/coach")


async def test_threads_are_stored_for_their_user_with_metadata(tmp_path: Path, layer) -> None:
    db = tmp_path / "coach.db"
    alice = await layer.create_user(User(identifier="alice"))
    bob = await layer.create_user(User(identifier="bob"))
    assert alice and bob and alice.id != bob.id
    await layer.update_thread(
        "t-1",
        name="Orla Test",
        user_id=alice.id,
        metadata={"coach_session_id": "s-1"},
        tags=["minister-test"],  # would fail on SQLite; the layer drops tags
    )
    await layer.update_thread("t-2", name="Other", user_id=bob.id)
    rows = _rows(db, 'SELECT id, "userIdentifier", name, metadata FROM threads ORDER BY id')
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("t-1", "alice", "Orla Test"),
        ("t-2", "bob", "Other"),
    ]
    assert json.loads(rows[0][3]) == {"coach_session_id": "s-1"}
    assert await layer.get_thread_author("t-1") == "alice"
    from chainlit.types import Pagination, ThreadFilter

    page = await layer.list_threads(Pagination(first=10), ThreadFilter(userId=alice.id))
    assert [t["id"] for t in page.data] == ["t-1"]
    # The browser reads the resumed thread's metadata.chat_profile: a dict, not JSON text.
    await layer.update_thread("t-1", metadata={"chat_profile": "minister-test"})
    thread = await layer.get_thread("t-1")
    assert thread["metadata"] == {"coach_session_id": "s-1", "chat_profile": "minister-test"}


async def test_steps_with_tags_and_modes_are_stored(tmp_path: Path, layer) -> None:
    db = tmp_path / "coach.db"
    alice = await layer.create_user(User(identifier="alice"))
    init_http_context(user=alice)
    await layer.update_thread("t-1", user_id=alice.id)
    await layer.create_step(
        {
            "id": "step-1",
            "threadId": "t-1",
            "name": "alice",
            "type": "user_message",
            "streaming": False,
            "output": "We will not sign.",
            "tags": ["x"],
            "modes": {"m": "a"},
            "metadata": {},
            "createdAt": "2026-01-01T00:00:00Z",
        }
    )
    rows = _rows(db, 'SELECT output, tags, modes FROM steps WHERE "threadId" = ?', "t-1")
    assert rows == [("We will not sign.", '["x"]', '{"m": "a"}')]


async def test_element_files_are_kept_locally_and_served_to_their_owner(
    tmp_path: Path, layer
) -> None:
    db = tmp_path / "coach.db"
    alice = await layer.create_user(User(identifier="alice"))
    init_http_context(user=alice)
    await layer.update_thread("t-1", user_id=alice.id)
    element = File(
        name="transcript.json",
        content=b'{"id": "s-1"}',
        mime="application/json",
        thread_id="t-1",
        for_id="step-1",
    )
    await layer.create_element(element)
    rows = _rows(db, 'SELECT "objectKey", url, name FROM elements WHERE "threadId" = ?', "t-1")
    assert len(rows) == 1
    key, url, name = rows[0]
    assert key.startswith(f"{alice.id}/") and name == "transcript.json"
    assert url.startswith(storage.FILES_ROUTE + "/")
    assert (storage.files_dir(tmp_path) / key).read_bytes() == b'{"id": "s-1"}'


async def test_local_storage_client_refuses_keys_outside_its_folder(tmp_path: Path) -> None:
    client = storage.LocalStorageClient(tmp_path / "files")
    with pytest.raises(ValueError):
        client.path_of("../users.toml")
    uploaded = await client.upload_file("u1/e1/a b.md", "hello", mime="text/markdown")
    assert uploaded["url"] == "/coach-files/u1/e1/a%20b.md"
    assert await client.delete_file("u1/e1/a b.md") and not await client.delete_file("u1/x")
