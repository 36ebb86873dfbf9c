"""Alerts: Prefect automations that tell a person when newswatch's events say a story changed.

    AlertSpec           what was asked: a name, which change, an outlet, headline keywords
    trigger_for         AlertSpec -> EventTrigger on labels (triggers never read payloads)
    spec_from           an automation -> AlertSpec again, for ``alerts list``
    notification_block  a webhook URL -> Prefect's own block type for it
    subject, body       the message, as Jinja that the Prefect server renders per event
    add, list_alerts, remove   the edge: the Prefect server named by ``api_url()``

Everything but the last line is pure. The message is rendered by the server from the
event, so it says what changed in this edit, not what was true when the alert was made.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, cast
from urllib.parse import urlsplit
from uuid import UUID

from pydantic import BaseModel, Field

from newswatch.notify.events import (
    ARTICLE_RESOURCE,
    CHANGED_LABEL,
    COPIED,
    EDITED,
    OUTLET_LABEL,
    WORD_LABEL,
    keywords,
    outlet_value,
)

if TYPE_CHECKING:
    from prefect.blocks.abstract import NotificationBlock
    from prefect.client.orchestration import SyncPrefectClient
    from prefect.events.schemas.automations import Automation, AutomationCore, EventTrigger

TAG = "newswatch"
BLOCK_PREFIX = "newswatch-alert-"
NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")  # Prefect block names: a-z, 0-9 and dashes


class AlertError(Exception):
    """A failure the person at the command line can act on; the message says how."""


class InvalidAlert(AlertError):
    """A name, URL or keyword that cannot make an alert."""


class NoPrefectServer(AlertError):
    """No Prefect server is configured, or it does not answer."""


class DuplicateAlert(AlertError):
    pass


class UnknownAlert(AlertError):
    pass


class On(StrEnum):
    """Which change an alert is about."""

    EDITED = "edited"
    NUMBERS = "numbers"
    QUOTES = "quotes"
    HEADLINE = "headline"
    COPIED = "copied"


class AlertSpec(BaseModel):
    name: str
    on: On
    outlet: str | None = Field(default=None, description="Outlet, compared without case.")
    keywords: list[str] = Field(
        default_factory=list, description="Headline words that must all be present."
    )

    def describe(self) -> str:
        what = {
            On.EDITED: "any edit",
            On.NUMBERS: "numbers changed",
            On.QUOTES: "quotes changed",
            On.HEADLINE: "headline changed",
            On.COPIED: "a near-copy by another outlet",
        }[self.on]
        if self.outlet:
            what += f" at {self.outlet}"
        if self.keywords:
            what += " with " + " and ".join(f"'{word}'" for word in self.keywords)
            what += " in the headline"
        return what


class Alert(BaseModel):
    """An alert as it stands on the server."""

    spec: AlertSpec
    automation_id: UUID
    enabled: bool
    notify: str = Field(description="The notification block's type, e.g. 'Slack Webhook'.")


# --- what to watch -----------------------------------------------------------------------------


def spec(name: str, on: On, outlet: str | None = None, words: list[str] | None = None) -> AlertSpec:
    """Validated input: the same normalising as the event labels, so they can match."""
    if not NAME.match(name):
        raise InvalidAlert(
            f"alert name {name!r}: use lowercase letters, digits and dashes (up to 63), "
            "starting with a letter or digit."
        )
    clean_outlet = outlet_value(outlet) if outlet and outlet.strip() else None
    if outlet is not None and clean_outlet is None:
        raise InvalidAlert("--outlet is empty.")
    wanted: list[str] = []
    for word in words or []:
        found = keywords(word)
        if not found:
            raise InvalidAlert(
                f"--keyword {word!r} holds no word of two or more letters or digits."
            )
        wanted += [w for w in found if w not in wanted]
    return AlertSpec(name=name, on=on, outlet=clean_outlet, keywords=wanted)


def trigger_for(alert: AlertSpec) -> EventTrigger:
    """A reactive trigger: one matching event, one notification, at once."""
    from prefect.events.schemas.automations import EventTrigger, Posture

    match: dict[str, str] = {"prefect.resource.id": f"{ARTICLE_RESOURCE}*"}
    if alert.on in (On.NUMBERS, On.QUOTES, On.HEADLINE):
        match[CHANGED_LABEL + alert.on.value] = "true"
    if alert.outlet:
        match[OUTLET_LABEL] = alert.outlet
    match.update({WORD_LABEL + word: "true" for word in alert.keywords})
    return EventTrigger(
        expect={COPIED if alert.on is On.COPIED else EDITED},
        match=match,
        posture=Posture.Reactive,
        threshold=1,
        within=timedelta(0),
    )


def spec_from(automation: AutomationCore) -> AlertSpec | None:
    """Read an alert back from its trigger; None for automations newswatch did not make."""
    from prefect.events.schemas.automations import EventTrigger

    trigger = automation.trigger
    if TAG not in automation.tags or not isinstance(trigger, EventTrigger):
        return None
    labels = {label: values[0] for label, values in trigger.match.items() if values}
    on = On.COPIED if COPIED in trigger.expect else On.EDITED
    for kind in (On.NUMBERS, On.QUOTES, On.HEADLINE):
        if labels.get(CHANGED_LABEL + kind.value) == "true":
            on = kind
    return AlertSpec(
        name=automation.name,
        on=on,
        outlet=labels.get(OUTLET_LABEL),
        keywords=[
            label.removeprefix(WORD_LABEL) for label in labels if label.startswith(WORD_LABEL)
        ],
    )


# --- where to send it --------------------------------------------------------------------------

_SLACK_PATH = re.compile(r"^/services/[A-Z0-9]+/[A-Z0-9]+/[A-Z0-9]+/?$", re.I)
_DISCORD_PATH = re.compile(r"^/api(?:/v\d+)?/webhooks/(\d+)/([\w-]+)/?$")
_SLACK_HOSTS = ("hooks.slack.com", "hooks.slack-gov.com")
_DISCORD_HOSTS = ("discord.com", "discordapp.com", "ptb.discord.com", "canary.discord.com")
_TEAMS_WORKFLOW_HOSTS = (".logic.azure.com", ".powerautomate.com", ".powerplatform.com")
_TEAMS_CONNECTOR_HOSTS = (".webhook.office.com", "outlook.office.com")


def where(url: str) -> str:
    """A URL shown without its path, query or credentials: webhook URLs carry tokens."""
    parts = urlsplit(url)
    host = parts.hostname or "?"
    return f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port else "")


def notification_block(url: str, name: str) -> NotificationBlock:
    """Prefect's own block for a webhook URL, recognised by its host.

    Slack, Discord and Teams Workflows get their Prefect blocks, which format the message
    for the service. Every other http(s) URL gets a ``CustomWebhookNotificationBlock``
    posting ``{"subject", "body", "text"}`` as JSON (``text`` is what Mattermost,
    Rocket.Chat and Teams' older Office 365 connectors read; Prefect's Teams block takes
    only Workflows URLs). Its URL is kept as one of the block's secrets, like the other
    blocks' URLs, since webhook URLs carry their token. Private and loopback addresses
    are allowed, as Prefect 3.9.1's blocks allow them by default: set here explicitly, so
    a receiver on the same machine or network keeps working.
    """
    from prefect.blocks.notifications import (
        CustomWebhookNotificationBlock,
        DiscordWebhook,
        MicrosoftTeamsWebhook,
        SlackWebhook,
    )

    url = url.strip()
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        raise InvalidAlert(
            "--notify takes a webhook URL starting with https:// (Slack, Discord, Teams or "
            "any service that accepts a JSON POST)."
        )
    if host in _SLACK_HOSTS:
        if not _SLACK_PATH.match(parts.path):
            raise InvalidAlert(
                "not a Slack incoming-webhook URL: it looks like "
                "https://hooks.slack.com/services/T.../B.../... (Slack: Apps > Incoming Webhooks)."
            )
        return SlackWebhook(url=url)
    if host in _DISCORD_HOSTS:
        found = _DISCORD_PATH.match(parts.path)
        if not found:
            raise InvalidAlert(
                "not a Discord webhook URL: it looks like "
                "https://discord.com/api/webhooks/ID/TOKEN (channel settings > Integrations)."
            )
        return DiscordWebhook(webhook_id=found[1], webhook_token=found[2])
    if host.endswith(_TEAMS_WORKFLOW_HOSTS):
        try:
            return MicrosoftTeamsWebhook(url=url)
        except ValueError:
            raise InvalidAlert(
                "not a Teams Workflows webhook URL: in Teams, add the workflow 'Post to a "
                "channel when a webhook request is received' and give its URL."
            ) from None
    text = "{{subject}}\n\n{{body}}"
    return CustomWebhookNotificationBlock(
        name=name,
        url="{{webhook_url}}",
        secrets={"webhook_url": url},
        json_data={"subject": "{{subject}}", "body": "{{body}}", "text": text},
        allow_private_urls=True,
    )


# --- what it says ------------------------------------------------------------------------------

_HEADLINE = 'event.resource["prefect.resource.name"]'


def subject(on: On) -> str:
    verb = {
        On.EDITED: "edited",
        On.NUMBERS: "changed numbers in",
        On.QUOTES: "changed quotes in",
        On.HEADLINE: "rewrote the headline of",
        On.COPIED: "copied",
    }[on]
    return (
        f'newswatch: {{{{ event.payload.outlet or "an outlet" }}}} {verb} "{{{{ {_HEADLINE} }}}}"'
    )


def body(on: On, ui_url: str | None) -> str:
    """Plain text a person reads on a phone: what changed first, then where to see it all.

    ``ui_url`` is the Prefect UI the alert was made against; the artifact page route is
    the UI's ``/artifacts/key/:artifactKey``. Beyond the artifact limit an edit has no
    artifact, and the message names the command and report that hold it instead.
    """
    if on is On.COPIED:
        return (
            '{{ event.payload.outlet or "An outlet" }} published a near-copy of article '
            '{{ event.payload.copies_article_id }} ({{ event.payload.copies_outlet or "no outlet" }}), '
            "similarity {{ event.payload.similarity }}.\n"
            f"Headline: {{{{ {_HEADLINE} }}}}\n"
            "File: {{ event.payload.path }}\n"
            "History: newswatch history {{ event.payload.article_id }}\n"
        )
    link = (
        f"{ui_url.rstrip('/')}/artifacts/key/{{{{ event.payload.artifact_key }}}}"
        if ui_url
        else "newswatch diff {{ event.payload.article_id }}"
    )
    return (
        '{{ event.payload.outlet or "No outlet" }}, article {{ event.payload.article_id }}, '
        "version {{ event.payload.from_version }} → {{ event.payload.to_version }}"
        "{% if event.payload.reverted %} (back to an earlier text){% endif %}\n"
        f"Headline: {{{{ {_HEADLINE} }}}}\n"
        "{% if event.payload.headline_old != event.payload.headline_new %}"
        "Headline before: {{ event.payload.headline_old }}\n{% endif %}"
        "{% if event.payload.numbers %}\nNumbers:\n"
        "{% for line in event.payload.numbers %}  {{ line }}\n{% endfor %}"
        "{% if event.payload.numbers_total > event.payload.numbers | length %}"
        "  … {{ event.payload.numbers_total - event.payload.numbers | length }} more\n"
        "{% endif %}{% endif %}"
        "{% if event.payload.quotes %}\nQuotes:\n"
        "{% for quote in event.payload.quotes %}"
        "  before: {% if quote.old %}“{{ quote.old }}”{% else %}(none){% endif %}\n"
        "  after:  {% if quote.new %}“{{ quote.new }}”{% else %}(removed){% endif %}\n"
        "{% endfor %}{% endif %}"
        "\n{% if event.payload.artifact_key %}"
        f"Full diff: {link}"
        "{% else %}Full diff: newswatch diff {{ event.payload.article_id }} "
        "(report run-{{ event.payload.run_id }}){% endif %}\n"
    )


# --- the edge: the Prefect server ---------------------------------------------------------------


def api_url() -> str | None:
    """The Prefect API the alerts live on: PREFECT_API_URL from Prefect's own settings
    (environment or profile). One small function, so a newswatch-managed server can
    supply its URL here instead."""
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
            "no Prefect server configured: alerts live on a server; start one and set "
            "PREFECT_API_URL (see README, 'Running a Prefect server')."
        )
    import httpx
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        if client.api_healthcheck() is not None:
            raise NoPrefectServer(
                f"the Prefect server at {where(url)} does not answer: start it, or fix "
                "PREFECT_API_URL."
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
