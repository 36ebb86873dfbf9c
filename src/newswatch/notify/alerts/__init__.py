"""Alerts: Prefect automations that tell a person when newswatch's events say a story changed.

    spec      what an alert asks for, and the trigger that asks it
    blocks    a webhook URL -> Prefect's own notification block for it
    messages  the subject and body the Prefect server renders for each event
    client    add, list and remove alerts on the Prefect server (the one edge)

Everything but ``client`` is pure.
"""

from newswatch.notify.alerts.blocks import BLOCK_PREFIX, notification_block, where
from newswatch.notify.alerts.client import add, api_url, list_alerts, remove
from newswatch.notify.alerts.messages import body, subject
from newswatch.notify.alerts.spec import (
    TAG,
    Alert,
    AlertError,
    AlertSpec,
    DuplicateAlert,
    InvalidAlert,
    NoPrefectServer,
    On,
    UnknownAlert,
    spec,
    spec_from,
    trigger_for,
)

__all__ = [
    "BLOCK_PREFIX",
    "TAG",
    "Alert",
    "AlertError",
    "AlertSpec",
    "DuplicateAlert",
    "InvalidAlert",
    "NoPrefectServer",
    "On",
    "UnknownAlert",
    "add",
    "api_url",
    "body",
    "list_alerts",
    "notification_block",
    "remove",
    "spec",
    "spec_from",
    "subject",
    "trigger_for",
    "where",
]
