"""Alerts end to end: a real Prefect server (its trigger and action services run in the
test harness too), webhook receivers on 127.0.0.1, and the flow ingesting real edits."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from newswatch.server.addresses import article_page_key
from tests.articles import Article, bump_mtime

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_server")]

WAIT = 60.0  # seconds for a notification that must come (usually under 1 s)
QUIET = 3.0  # seconds more for one that must not, after the ones of the same event came

TOLL_HEADLINE = "SYRIA CONFLICT: PUTIN REJECTS WAR CRIMES CLAIM"


class Receiver:
    """Webhook bodies by path, as a Slack-like service would get them."""

    def __init__(self) -> None:
        self.received: dict[str, list[dict[str, Any]]] = defaultdict(list)
        received = self.received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                received[self.path].append(json.loads(self.rfile.read(length)))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return f"{self.base}/{path}"

    def count(self, path: str) -> int:
        return len(self.received[f"/{path}"])

    def messages(self, path: str) -> list[dict[str, Any]]:
        return list(self.received[f"/{path}"])


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()
    thread = threading.Thread(target=found.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield found
    finally:
        found.server.shutdown()
        found.server.server_close()


def _closed_port_url() -> str:
    """A webhook whose receiver is down: nothing listens on the port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/hook"


def _cli(*args: str) -> Any:
    from newswatch.cli.app import app

    return CliRunner().invoke(app, list(args))


def _wait_for(condition: Callable[[], bool], what: str, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"waited {timeout:.0f} s for {what}"
        time.sleep(0.2)


def _ingest(watched: Path, url: str, reports: Path) -> tuple[Any, str]:
    from flows.ingest import ingest_flow

    state = ingest_flow(str(watched), url, return_state=True)
    assert state.is_completed(), state
    return state.result(), str(state.state_details.flow_run_id)


def _events(name: str, resource_id: str | None = None) -> list[Any]:
    from prefect.client.orchestration import get_client
    from prefect.events.filters import EventFilter, EventNameFilter, EventResourceFilter

    query = EventFilter(
        event=EventNameFilter(name=[name]),
        resource=EventResourceFilter(id=[resource_id]) if resource_id else None,
    )
    with get_client(sync_client=True) as client:
        return list(client.read_events(filter=query, limit=50).events)


def _block_names() -> set[str]:
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        return {b.name for b in client.read_block_documents() if b.name}


def test_alerts_notify_on_the_changes_they_watch_and_never_fail_the_ingest(
    receiver: Receiver, watched: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reports = tmp_path / "reports"
    monkeypatch.setenv("NEWSWATCH_REPORTS_DIR", str(reports))
    url = f"sqlite:///{tmp_path / 'alerts.db'}"
    alerts = {
        "toll": ["--on", "numbers", "--notify", receiver.url("a")],
        "reuters-headline": [
            "--on",
            "headline",
            "--outlet",
            "REUTERS",
            "--notify",
            receiver.url("b"),
        ],
        # Witnesses: they fire on the same events, so once they have, B and A were judged.
        "bbc-headline": ["--on", "headline", "--outlet", "bbc", "--notify", receiver.url("c")],
        "every-edit": ["--on", "edited", "--keyword", "Syria", "--notify", receiver.url("d")],
        "receiver-down": ["--on", "edited", "--notify", _closed_port_url()],
    }
    try:
        for name, options in alerts.items():
            added = _cli("alerts", "add", name, *options)
            assert added.exit_code == 0, added.output
        again = _cli("alerts", "add", "toll", "--on", "quotes", "--notify", receiver.url("a"))
        assert again.exit_code == 2 and "already exists" in again.output

        listed = _cli("alerts", "list", "--json")
        assert listed.exit_code == 0, listed.output
        specs = {a["spec"]["name"]: a for a in json.loads(listed.stdout)}
        assert set(specs) == set(alerts)
        assert specs["reuters-headline"]["spec"] | {"name": "x"} == {
            "name": "x",
            "on": "headline",
            "outlet": "reuters",
            "keywords": [],
        }
        assert specs["every-edit"]["spec"]["keywords"] == ["syria"]
        assert specs["toll"]["notify"] == "Custom Webhook"

        seed = Article.sample()
        seed.write(watched, "putin.txt")
        first, _ = _ingest(watched, url, reports)
        assert first.counts["new"] == 1

        # The toll goes from 25 to 27 and the headline is rewritten, at the BBC.
        seed.but(
            headline=TOLL_HEADLINE,
            paragraphs=[p.replace("25 people", "27 people") for p in seed.paragraphs],
        ).write(watched, "putin.txt")
        bump_mtime(watched / "putin.txt")
        second, second_run = _ingest(watched, url, reports)
        assert second.counts["edited"] == 1
        article_id = next(r.article_id for r in second.results if r.outcome == "edited")

        _wait_for(
            lambda: all(receiver.count(p) == 1 for p in ("a", "c", "d")),
            "alerts A, C and D to be notified of the toll edit",
        )
        time.sleep(QUIET)
        (message,) = receiver.messages("a")
        text = message["subject"] + "\n" + message["body"]
        assert "27" in message["body"] and TOLL_HEADLINE in text and "BBC" in text
        number_line = next(line.strip() for line in message["body"].splitlines() if "27" in line)
        assert "25" in number_line and "people dead" in number_line
        assert f"/artifacts/key/{article_page_key(article_id, second.database)}" in message["body"]
        assert receiver.count("b") == 0, "a headline alert for REUTERS fired on a BBC story"

        # The events are readable back through the API, labelled and tied to the flow run.
        _wait_for(
            lambda: bool(_events("newswatch.run.completed", f"newswatch.run.{second.run_id}")),
            "the run's events to be stored",
        )
        (edited,) = _events("newswatch.article.edited", f"newswatch.article.{article_id}")
        assert edited.resource["newswatch.changed.numbers"] == "true"
        assert edited.resource["newswatch.outlet"] == "bbc"
        assert edited.resource["prefect.resource.name"] == TOLL_HEADLINE
        assert f"prefect.flow-run.{second_run}" in {r.id for r in edited.related}
        assert edited.payload["artifact_key"] == article_page_key(article_id, second.database)
        completed = _events("newswatch.run.completed", f"newswatch.run.{second.run_id}")
        assert completed and completed[0].payload["counts"]["edited"] == 1

        # A rewording with no number in it: D fires, A does not.
        seed.but(
            headline=TOLL_HEADLINE,
            paragraphs=[
                p.replace("25 people", "27 people").replace("renewed", "heavy")
                for p in seed.paragraphs
            ],
        ).write(watched, "putin.txt")
        bump_mtime(watched / "putin.txt", seconds=20)
        third, _ = _ingest(watched, url, reports)
        assert third.counts["edited"] == 1
        _wait_for(lambda: receiver.count("d") == 2, "alert D to be notified of the rewording")
        time.sleep(QUIET)
        assert receiver.count("a") == 1, "the numbers alert fired on an edit without numbers"
        assert receiver.count("c") == 1  # the headline did not change this time

        # The dead receiver: both edits' ingests completed (above), though its alert fired
        # for each: the server, not the flow, sends notifications.
        down = json.loads(_cli("alerts", "list", "--json").stdout)
        down_id = next(a["automation_id"] for a in down if a["spec"]["name"] == "receiver-down")
        _wait_for(
            lambda: (
                len(_events("prefect.automation.triggered", f"prefect.automation.{down_id}")) == 2
            ),
            "the server to fire the alert whose receiver is down, once per edit",
        )

        removed = _cli("alerts", "remove", "toll")
        assert removed.exit_code == 0, removed.output
        left = {a["spec"]["name"] for a in json.loads(_cli("alerts", "list", "--json").stdout)}
        assert left == set(alerts) - {"toll"}
        assert "newswatch-alert-toll" not in _block_names()
        assert "newswatch-alert-every-edit" in _block_names()
        missing = _cli("alerts", "remove", "toll")
        assert missing.exit_code == 2 and "no alert named 'toll'" in missing.output
    finally:
        for name in alerts:
            _cli("alerts", "remove", name)
    assert json.loads(_cli("alerts", "list", "--json").stdout) == []
