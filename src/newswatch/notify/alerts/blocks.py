"""Where an alert is sent: a webhook URL -> Prefect's own notification block for it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from newswatch.notify.alerts.spec import InvalidAlert

if TYPE_CHECKING:
    from prefect.blocks.abstract import NotificationBlock

BLOCK_PREFIX = "newswatch-alert-"
"""The names of the blocks newswatch makes (and so may delete)."""

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
            "--notify takes a webhook URL starting with https:// or http:// (Slack, Discord, "
            "Teams or any service that accepts a JSON POST)."
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
