"""The HTTP route that serves stored element files (downloads of resumed sessions) to their owner.

Chainlit serves files of a live session itself; once a session is resumed after a restart, the
browser reads the URLs that `LocalStorageClient` gave, which land here.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException
from fastapi.responses import FileResponse
from starlette.routing import BaseRoute

from coach.ui.storage import FILES_ROUTE, LocalStorageClient


def owner_of(object_key: str) -> str:
    """The user id an object key belongs to (its first path segment)."""
    return object_key.split("/", 1)[0]


def install_file_route(app: FastAPI, storage: LocalStorageClient) -> None:
    """Add `GET /coach-files/{key}` ahead of Chainlit's catch-all page route."""
    from chainlit.auth import get_current_user

    async def serve_file(
        object_key: str, user: Annotated[Any, Depends(get_current_user)]
    ) -> FileResponse:
        user_id = getattr(user, "id", None)
        if user is None or user_id is None or owner_of(object_key) != user_id:
            raise HTTPException(status_code=404, detail="File not found")
        try:
            path = storage.path_of(object_key)
        except ValueError as err:
            raise HTTPException(status_code=404, detail="File not found") from err
        if not path.is_file():
            raise HTTPException(status_code=404, detail="File not found")
        return FileResponse(path, media_type=storage.media_type(object_key), filename=path.name)

    if any(getattr(r, "path", "") == FILES_ROUTE + "/{object_key:path}" for r in app.routes):
        return
    app.add_api_route(FILES_ROUTE + "/{object_key:path}", serve_file, methods=["GET"])
    routes: list[BaseRoute] = app.router.routes
    routes.insert(0, routes.pop())  # before "/{full_path:path}", which would answer first
