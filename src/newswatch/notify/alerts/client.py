"""Alerts on the Prefect server: add, list and remove them (the one edge of ``alerts``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, cast
from uuid import UUID

from newswatch.notify.alerts.blocks import BLOCK_PREFIX, notification_block, where
from newswatch.notify.alerts.messages import body, subject
from newswatch.notify.alerts.spec import (
    TAG,
    Alert,
    AlertError,
    AlertSpec,
    DuplicateAlert,
    NoPrefectServer,
    UnknownAlert,
    spec_from,
    trigger_for,
)

if TYPE_CHECKING:
    from prefect.client.orchestration import SyncPrefectClient
    from prefect.events.schemas.automations import Automation


def api_url() -> str | None:
    """The Prefect API the alerts live on: the one Prefect's settings name (the CLI points
    them at the server runs use, ``server.find``)."""
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value() or None


def _ui_url() -> str | None:
    from prefect.settings import PREFECT_UI_URL

    return PREFECT_UI_URL.value() or None


@contextmanager
def _server() -> Iterator[SyncPrefectClient]:
    """A client of the configured server, or NoPrefectServer in one line."""
    url = api_url()
    if not url:
        raise NoPrefectServer(
            "no Prefect server: alerts live on the server your runs use; start newswatch's "
            "(`newswatch server start`), or set PREFECT_API_URL to yours."
        )
    import httpx
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        if client.api_healthcheck() is not None:
            raise NoPrefectServer(
                f"the Prefect server at {where(url)} does not answer: start it "
                "(`newswatch server start`), or fix PREFECT_API_URL."
            )
        try:
            yield client
        except httpx.HTTPStatusError as exc:  # its text would echo the request: block secrets
            raise AlertError(
                f"the Prefect server at {where(url)} refused the request "
                f"({exc.response.status_code} {exc.response.reason_phrase})."
            ) from None
        except httpx.HTTPError as exc:
            raise NoPrefectServer(
                f"lost the Prefect server at {where(url)} ({type(exc).__name__}): try again."
            ) from None


def add(alert: AlertSpec, notify_url: str) -> Alert:
    """Save the notification block, then the automation; undo the block if that fails."""
    from prefect.events.actions import SendNotification
    from prefect.events.schemas.automations import AutomationCore

    block = notification_block(notify_url, alert.name)  # bad URLs fail before any request
    with _server() as client:
        if client.read_automations_by_name(alert.name):
            raise DuplicateAlert(
                f"an automation named {alert.name!r} already exists: pick another name, or "
                f"`newswatch alerts remove {alert.name}` first."
            )
        block_id = cast(UUID, block.save(BLOCK_PREFIX + alert.name, overwrite=True))
        automation = AutomationCore(
            name=alert.name,
            description=f"newswatch alert: {alert.describe()}.",
            tags=[TAG],
            trigger=trigger_for(alert),
            actions=[
                SendNotification(
                    block_document_id=block_id,
                    subject=subject(alert.on),
                    body=body(alert.on, _ui_url()),
                )
            ],
        )
        try:
            automation_id = client.create_automation(automation)
        except BaseException:
            client.delete_block_document(block_id)
            raise
    return Alert(
        spec=alert,
        automation_id=automation_id,
        enabled=True,
        notify=type(block).get_block_type_name(),
    )


def list_alerts() -> list[Alert]:
    with _server() as client:
        found = []
        for automation in client.read_automations():
            alert = spec_from(automation)
            if alert is not None:
                found.append(
                    Alert(
                        spec=alert,
                        automation_id=automation.id,
                        enabled=automation.enabled,
                        notify=_block_type(client, automation),
                    )
                )
    return sorted(found, key=lambda a: a.spec.name)


def remove(name: str) -> int:
    """Delete the alert's automation and its notification block; returns how many alerts."""
    from prefect.events.actions import SendNotification

    with _server() as client:
        mine = [a for a in client.read_automations_by_name(name) if spec_from(a) is not None]
        if not mine:
            raise UnknownAlert(f"no alert named {name!r} (`newswatch alerts list` shows them).")
        for automation in mine:
            client.delete_automation(automation.id)
            for action in automation.actions:
                if isinstance(action, SendNotification):
                    _delete_own_block(client, action.block_document_id)
    return len(mine)


def _block_type(client: SyncPrefectClient, automation: Automation) -> str:
    from prefect.events.actions import SendNotification
    from prefect.exceptions import ObjectNotFound

    for action in automation.actions:
        if isinstance(action, SendNotification):
            try:
                document = client.read_block_document(action.block_document_id)
            except ObjectNotFound:
                return "(block deleted)"
            return document.block_type.name if document.block_type else "?"
    return "(no notification)"


def _delete_own_block(client: SyncPrefectClient, block_id: UUID) -> None:
    """Only blocks newswatch made: a user may have pointed an alert at a block of theirs."""
    from prefect.exceptions import ObjectNotFound

    try:
        document = client.read_block_document(block_id)
    except ObjectNotFound:
        return
    if (document.name or "").startswith(BLOCK_PREFIX):
        client.delete_block_document(block_id)
