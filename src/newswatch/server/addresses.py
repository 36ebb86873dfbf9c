"""Where things are in the Prefect UI: the one place that knows its routes.

Absolute addresses (a run's line in the terminal, an alert's link) are the UI's address and
a route; a page that is itself in the UI links by the route relative to it. The pages that
show a run's summary (``/artifacts/artifact/<id>``, ``/artifacts/key/<key>``,
``/runs/flow-run/<id>``) are all two levels deep, and both UIs (the V2 UI under ``/v2``) use
these routes: so one relative link stays in whichever UI the reader uses, and under
``PREFECT_UI_SERVE_BASE`` too.
"""

from __future__ import annotations

FLOW_RUN = "runs/flow-run/{id}"
"""A flow run: its state, logs and artifacts."""
ARTIFACT = "artifacts/artifact/{id}"
"""One artifact: this run's page of an article."""
ARTIFACT_KEY = "artifacts/key/{key}"
"""Every version of a keyed artifact: an article's history of pages."""
DEPLOYMENTS = "deployments"

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
