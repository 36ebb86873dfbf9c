"""What an alert asks for, and the Prefect trigger that asks it.

AlertSpec    a name, which change, an outlet, headline keywords
spec         validated input -> AlertSpec (normalised as the event labels are)
trigger_for  AlertSpec -> EventTrigger on labels (triggers never read payloads)
spec_from    an automation -> AlertSpec again, for ``alerts list``
"""

from __future__ import annotations

import re
from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING
from uuid import UUID

from pydantic import BaseModel, Field

from newswatch.models import NOTABLE, ChangeKind
from newswatch.notify.events import (
    ARTICLE_RESOURCE,
    CHANGED_LABEL,
    COPIED,
    EDITED,
    OUTLET_LABEL,
    WORD_LABEL,
    keywords,
)
from newswatch.read.text import outlet_key

if TYPE_CHECKING:
    from prefect.events.schemas.automations import AutomationCore, EventTrigger

TAG = "newswatch"
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
    """Which change an alert is about: any edit, an edit that changed one of the notable
    kinds (``models.NOTABLE``), or a copy."""

    EDITED = "edited"
    NUMBERS = ChangeKind.NUMBERS.value
    QUOTES = ChangeKind.QUOTES.value
    HEADLINE = ChangeKind.HEADLINE.value
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
    clean_outlet = outlet_key(outlet)
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
    if alert.on.value in NOTABLE:
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
    for kind in NOTABLE:
        if labels.get(CHANGED_LABEL + kind.value) == "true":
            on = On(kind.value)
    return AlertSpec(
        name=automation.name,
        on=on,
        outlet=labels.get(OUTLET_LABEL),
        keywords=[
            label.removeprefix(WORD_LABEL) for label in labels if label.startswith(WORD_LABEL)
        ],
    )
