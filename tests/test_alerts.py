"""Alerts without a server: input checks, URL -> block, triggers judged by Prefect's own
server-side matching, and messages rendered by Prefect's own template renderer."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest
from typer.testing import CliRunner

from newswatch.notify import alerts, events
from newswatch.notify.alerts import On
from newswatch.server.addresses import article_page_key
from tests.test_events import DATABASE, _change, _copy, _report, _reworded, _toll_changed

SLACK = "https://hooks.slack.com/services/T0AAAAAAA/B0BBBBBBB/abcdefGHIJKL1234"
DISCORD = "https://discord.com/api/webhooks/123456789012345678/tok-EN_abc"
TEAMS = (
    "https://prod-12.westeurope.logic.azure.com:443/workflows/abc123/triggers/manual/paths/"
    "invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=SIGNATURE"
)

PAGE_ID = "0b9e7c1e-5d4c-4c8e-9d0a-3f1e2a7b6c5d"
"""An artifact id, as the server gives it when an article's page is published."""


# --- URL -> Prefect notification block ----------------------------------------------------------


def test_a_slack_url_becomes_prefects_slack_block() -> None:
    from prefect.blocks.notifications import SlackWebhook

    block = alerts.notification_block(SLACK, "toll")
    assert isinstance(block, SlackWebhook)
    assert block.url.get_secret_value() == SLACK


@pytest.mark.parametrize("host", ["discord.com", "discordapp.com"])
def test_a_discord_url_becomes_prefects_discord_block_with_id_and_token(host: str) -> None:
    from prefect.blocks.notifications import DiscordWebhook

    block = alerts.notification_block(DISCORD.replace("discord.com", host), "toll")
    assert isinstance(block, DiscordWebhook)
    assert block.webhook_id.get_secret_value() == "123456789012345678"
    assert block.webhook_token.get_secret_value() == "tok-EN_abc"


def test_a_teams_workflows_url_becomes_prefects_teams_block() -> None:
    from prefect.blocks.notifications import MicrosoftTeamsWebhook

    block = alerts.notification_block(TEAMS, "toll")
    assert isinstance(block, MicrosoftTeamsWebhook)
    assert block.url.get_secret_value() == TEAMS


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/hooks/newsroom",
        "http://127.0.0.1:8999/hook",
        "https://contoso.webhook.office.com/webhookb2/a@b/IncomingWebhook/c/d",
    ],
)
def test_any_other_http_url_becomes_a_json_webhook_with_the_url_kept_secret(url: str) -> None:
    from prefect.blocks.notifications import CustomWebhookNotificationBlock

    block = alerts.notification_block(url, "toll")
    assert isinstance(block, CustomWebhookNotificationBlock)
    assert url not in block.model_dump_json()  # stored as a secret, shown as stars
    request = block._build_request_args(body="B", subject="S")
    assert request["url"] == url and request["method"] == "POST"
    assert request["json"] == {"subject": "S", "body": "B", "text": "S\n\nB"}
    assert block.allow_private_urls


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("hooks.slack.com/services/T/B/C", "https://"),
        ("ftp://example.org/x", "https://"),
        ("https://hooks.slack.com/workflows/abc", "not a Slack"),
        ("https://discord.com/channels/1/2", "not a Discord"),
        ("https://prod-1.westeurope.logic.azure.com/nothing", "not a Teams"),
    ],
)
def test_a_url_that_cannot_work_is_refused_with_what_it_should_look_like(
    url: str, says: str
) -> None:
    with pytest.raises(alerts.InvalidAlert, match=says):
        alerts.notification_block(url, "toll")


def test_where_hides_a_webhooks_path_and_credentials() -> None:
    assert alerts.where(SLACK) == "https://hooks.slack.com"
    assert alerts.where("https://user:pw@example.org:8443/t/s3cret") == "https://example.org:8443"


# --- what to watch -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Toll", "toll alert", "-toll", "toll_1", ""])
def test_alert_names_follow_prefects_block_names(name: str) -> None:
    with pytest.raises(alerts.InvalidAlert, match="lowercase letters, digits and dashes"):
        alerts.spec(name, On.NUMBERS)


def test_outlet_and_keywords_are_normalised_like_the_labels() -> None:
    spec = alerts.spec("syria", On.HEADLINE, " REUTERS ", ["Putin", "war crimes", "putin"])
    assert spec.outlet == "reuters"
    assert spec.keywords == ["putin", "war", "crimes"]
    with pytest.raises(alerts.InvalidAlert, match="keyword"):
        alerts.spec("syria", On.HEADLINE, None, ["!"])


def _received(event: events.NewswatchEvent) -> Any:
    """The event as the server sees it."""
    from prefect.server.events.schemas.events import ReceivedEvent

    return ReceivedEvent(
        occurred=datetime.now(UTC),
        received=datetime.now(UTC),
        id=uuid4(),
        event=event.event,
        resource=event.resource,
        related=event.related,
        payload=event.payload.model_dump(mode="json"),
    )


def _fires(spec: alerts.AlertSpec, event: events.NewswatchEvent) -> bool:
    """Prefect's server-side trigger decides, on the trigger as it is sent to the API."""
    from prefect.server.events.schemas.automations import EventTrigger

    trigger = EventTrigger.model_validate(alerts.trigger_for(spec).model_dump(mode="json"))
    return trigger.covers(_received(event))


def _edited(change_article: Any, outlet: str = "BBC") -> events.NewswatchEvent:
    return events.for_report(_report([_change(1, change_article, outlet)]), limit=10)[0]


def test_triggers_fire_on_the_change_outlet_and_keyword_they_ask_for() -> None:
    toll, reworded = _edited(_toll_changed()), _edited(_reworded())
    numbers = alerts.spec("a", On.NUMBERS)
    assert _fires(numbers, toll) and not _fires(numbers, reworded)
    assert _fires(alerts.spec("e", On.EDITED), reworded)
    assert _fires(alerts.spec("q", On.QUOTES), toll) and not _fires(
        alerts.spec("q", On.QUOTES), reworded
    )

    reuters_headline = alerts.spec("b", On.HEADLINE, "REUTERS")
    assert not _fires(reuters_headline, toll)  # a BBC story
    assert _fires(reuters_headline, _edited(_toll_changed(), outlet="Reuters"))

    assert _fires(alerts.spec("k", On.NUMBERS, None, ["PUTIN"]), toll)
    assert _fires(alerts.spec("k", On.EDITED, None, ["says"]), toll)  # old headline word
    assert not _fires(alerts.spec("k", On.NUMBERS, None, ["putin", "aleppo"]), toll)

    copied = events.for_report(_report([], [_copy(5)]), limit=10)[0]
    assert _fires(alerts.spec("c", On.COPIED, "reuters"), copied)
    assert not _fires(alerts.spec("c", On.COPIED, "bbc"), copied)
    assert not _fires(alerts.spec("n", On.EDITED), copied)
    run_completed = events.for_report(_report([]), limit=10)[0]
    assert not any(_fires(alerts.spec("x", on), run_completed) for on in On)


def test_a_keyword_in_small_letters_fires_on_a_turkish_headline_in_capitals() -> None:
    """Keywords are folded as matching folds words (``read.text.fold``): 'İSTANBUL' is
    'istanbul', not 'i̇stanbul' as ``str.casefold`` would have it."""
    capitals = _toll_changed().but(headline="İSTANBUL'DA DEPREM TATBİKATI YAPILDI")
    event = _edited(capitals, outlet="HÜRRİYET")
    assert _fires(alerts.spec("t", On.EDITED, None, ["istanbul"]), event)
    assert _fires(alerts.spec("t", On.EDITED, None, ["İSTANBUL", "tatbikatı"]), event)
    assert _fires(alerts.spec("t", On.EDITED, "Hürriyet"), event)
    assert not _fires(alerts.spec("t", On.EDITED, None, ["ankara"]), event)


@pytest.mark.parametrize(
    "spec",
    [
        alerts.spec("a", On.NUMBERS),
        alerts.spec("b", On.HEADLINE, "reuters"),
        alerts.spec("c", On.COPIED, None, ["putin", "war"]),
        alerts.spec("d", On.EDITED, "bbc", ["aleppo"]),
    ],
)
def test_an_alert_reads_back_from_its_automation(spec: alerts.AlertSpec) -> None:
    from prefect.events.schemas.automations import AutomationCore

    automation = AutomationCore(
        name=spec.name, tags=[alerts.TAG], trigger=alerts.trigger_for(spec), actions=[]
    )
    assert alerts.spec_from(automation) == spec
    someone_elses = automation.model_copy(update={"tags": []})
    assert alerts.spec_from(someone_elses) is None


# --- what it says --------------------------------------------------------------------------------


def _render(template: str, event: events.NewswatchEvent) -> str:
    from prefect.server.utilities.user_templates import (
        render_user_template_sync,
        validate_user_template,
    )

    validate_user_template(template)
    return render_user_template_sync(template, {"event": _received(event)})


def test_the_message_says_outlet_headline_numbers_quotes_and_links_the_artifact() -> None:
    change = _change(1, _toll_changed())
    event = events.for_report(
        _report([change]), limit=10, artifacts={article_page_key(1, DATABASE): PAGE_ID}
    )[0]
    subject = _render(alerts.subject(On.NUMBERS), event)
    body = _render(alerts.body(On.NUMBERS, "http://127.0.0.1:4200"), event)

    assert subject == (
        'newswatch: BBC changed numbers in "SYRIA CONFLICT: PUTIN REJECTS WAR CRIMES CLAIM"'
    )
    assert body.startswith("BBC, article 1, version 1 → 2\n")
    assert "Headline: SYRIA CONFLICT: PUTIN REJECTS WAR CRIMES CLAIM" in body
    assert f"Headline before: {change.diff.headline_old}" in body
    for number in change.diff.numbers:
        assert f"  {number}\n" in body
    assert "  before: “rhetoric”\n  after:  “pure rhetoric”" in body
    # This run's page of the article, and its history of pages.
    assert f"Full diff: http://127.0.0.1:4200/artifacts/artifact/{PAGE_ID}\n" in body
    assert f"History: http://127.0.0.1:4200/artifacts/key/{article_page_key(1, DATABASE)}" in body
    assert "{{" not in body and "{%" not in body


def test_the_docs_show_the_message_as_it_is_rendered() -> None:
    from pathlib import Path

    event = events.for_report(
        _report([_change(1, _toll_changed())]),
        limit=10,
        artifacts={article_page_key(1, DATABASE): PAGE_ID},
    )[0]
    message = (
        _render(alerts.subject(On.NUMBERS), event)
        + "\n\n"
        + _render(alerts.body(On.NUMBERS, "http://127.0.0.1:4200"), event)
    )
    docs = (Path(__file__).resolve().parents[1] / "docs" / "reports.md").read_text(encoding="utf-8")
    assert f"```text\n{message}\n```" in docs


def test_an_edit_beyond_the_artifact_limit_points_to_the_command_instead() -> None:
    event = _edited(_reworded())
    body = _render(alerts.body(On.EDITED, "http://127.0.0.1:4200"), event)
    assert "Full diff: newswatch diff 1 (report run-7)" in body
    assert "Numbers" not in body and "Quotes" not in body and "Headline before" not in body


def test_a_copy_message_names_both_outlets() -> None:
    event = events.for_report(_report([], [_copy(5)]), limit=10)[0]
    assert _render(alerts.subject(On.COPIED), event) == (
        'newswatch: Reuters copied "Putin dismisses war crimes claim"'
    )
    body = _render(alerts.body(On.COPIED, None), event)
    assert "Reuters published a near-copy of article 1 (BBC), similarity 0.91." in body


# --- the command, without a server ---------------------------------------------------------------


def test_alerts_without_a_configured_server_say_so_in_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from newswatch.cli.app import app
    from newswatch.server import target

    # No PREFECT_API_URL (the tests unset it) and newswatch's own server not running.
    monkeypatch.setattr(target, "running", lambda home: None)
    for args in (
        ["alerts", "list"],
        ["alerts", "remove", "toll"],
        ["alerts", "add", "toll", "--on", "numbers", "--notify", SLACK],
    ):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 2, result.output
        assert result.output.count("\n") == 1
        assert "no Prefect server" in result.output and "PREFECT_API_URL" in result.output
        assert "newswatch server start" in result.output


def test_alerts_against_a_server_that_does_not_answer_say_so_without_the_url_path() -> None:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from newswatch.cli.app import app

    with temporary_settings(updates={PREFECT_API_URL: "http://user:pw@127.0.0.1:9/api"}):
        result = CliRunner().invoke(app, ["alerts", "list"])
    assert result.exit_code == 2
    assert "does not answer" in result.output and "pw" not in result.output
