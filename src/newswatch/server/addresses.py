"""Where things are in the Prefect UI: the one place that knows its routes.

Absolute addresses (a run's line in the terminal, an alert's link) are the UI's address and
a route; a page that is itself in the UI links by the route relative to it. The pages that
show a run's summary (``/artifacts/artifact/<id>``, ``/artifacts/key/<key>``,
``/runs/flow-run/<id>``) are all two levels deep, and both UIs (the V2 UI under ``/v2``) use
these routes: so one relative link stays in whichever UI the reader uses, and under
``PREFECT_UI_SERVE_BASE`` too.
"""

from __future__ import annotations

import hashlib
import os
from urllib.parse import urlsplit

FLOW_RUN = "runs/flow-run/{id}"
"""A flow run: its state, logs and artifacts."""
ARTIFACT = "artifacts/artifact/{id}"
"""One artifact: this run's page of an article."""
ARTIFACT_KEY = "artifacts/key/{key}"
"""Every version of a keyed artifact: an article's history of pages."""
DEPLOYMENTS = "deployments"
_DEFAULT_PORTS = {"postgresql": 5432}

ARTIFACT_ROUTE = "../../" + ARTIFACT
"""``ARTIFACT`` from a page two levels deep."""
KEY_ROUTE = "../../" + ARTIFACT_KEY
"""``ARTIFACT_KEY`` from a page two levels deep."""


def ui_address(ui_url: str | None, route: str, **parts: object) -> str | None:
    """``route`` (with its ``{id}`` or ``{key}`` filled in) in the UI at ``ui_url``; None
    without a UI."""
    if not ui_url:
        return None
    return f"{ui_url.rstrip('/')}/{route.format(**parts)}"


def flow_run_url(ui_url: str | None, flow_run_id: object) -> str | None:
    return ui_address(ui_url, FLOW_RUN, id=flow_run_id)


def artifact_url(ui_url: str | None, artifact_id: object) -> str | None:
    return ui_address(ui_url, ARTIFACT, id=artifact_id)


def artifact_key_url(ui_url: str | None, key: object) -> str | None:
    return ui_address(ui_url, ARTIFACT_KEY, key=key)


def database_key(database: str) -> str:
    """Eight hex digits that name a database, the same for every URL of it that differs
    only in its driver, credentials or options: an SQLite file by its real path, a server's
    database by host, port and name. Artifact keys carry it, so two databases' runs on one
    Prefect server never write versions of each other's article pages."""
    scheme, _, rest = database.partition("://")
    backend = scheme.split("+")[0].lower()
    if backend == "sqlite":
        path = (rest[1:] if rest.startswith("/") else rest).split("?")[0].removeprefix("file:")
        memory = path in ("", ":memory:") or path.startswith(":memory:")
        where = path if memory else os.path.realpath(os.path.expanduser(path))
    else:
        parts = urlsplit(f"{backend}://{rest}")
        try:
            port = parts.port or _DEFAULT_PORTS.get(backend)
        except ValueError:
            port = None
        where = f"{(parts.hostname or '').lower()}:{port}{parts.path}"
    return hashlib.blake2s(f"{backend}:{where}".encode(), digest_size=4).hexdigest()


def article_page_key(article_id: int, database: str) -> str:
    """The key of an article's page in the UI, whose versions are its history:
    ``article-<id>-<database_key>``, since article ids are only unique in one database."""
    return f"article-{article_id}-{database_key(database)}"
