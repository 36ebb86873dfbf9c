"""``newswatch alerts``: add, list and remove alerts on the configured Prefect server.

Prefect is imported when a command runs, so ``newswatch --help`` stays fast.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from newswatch.cli.output import JsonOption, chosen_format, err, fail, format_option, out
from newswatch.notify.alerts import On
from newswatch.render.formats import Format

FORMATS = (Format.TEXT, Format.JSON)


@contextmanager
def _on_the_server() -> Iterator[None]:
    """Prefect pointed at the server runs use, found as ``ingest`` finds it (but never
    started here): PREFECT_API_URL, else newswatch's own."""
    from newswatch.cli.context import prepare_prefect
    from newswatch.server.target import find, using

    prepare_prefect()
    target = find()
    if target is None:
        fail(
            "no Prefect server: alerts live on the server your runs use; start newswatch's "
            "(`newswatch server start`), or set PREFECT_API_URL to yours."
        )
    with using(target):
        yield


alerts_app = typer.Typer(
    help="Be told when a story changes: Prefect automations on newswatch's events.",
    no_args_is_help=True,
    add_completion=False,
)


@alerts_app.command("add")
def add_command(
    name: Annotated[str, typer.Argument(help="Alert name: lowercase letters, digits, dashes.")],
    on: Annotated[On, typer.Option("--on", help="Which change to be told about.")],
    notify: Annotated[
        str,
        typer.Option(
            "--notify",
            help="Webhook URL: Slack, Discord, Teams (recognised by host) or any http(s) "
            "URL that takes a JSON POST.",
        ),
    ],
    outlet: Annotated[
        str | None, typer.Option("--outlet", help="Only this outlet (any case).")
    ] = None,
    keyword: Annotated[
        list[str] | None,
        typer.Option(
            "--keyword",
            help="Only articles whose headline (before or after the edit) has this word; "
            "repeat, or give several words, to require all of them.",
        ),
    ] = None,
) -> None:
    """Create an alert: a message each time an ingest run finds this kind of change.

    The alert is a Prefect automation, with an event trigger and a notification block, on
    the server runs use (PREFECT_API_URL, else newswatch's own); it works for runs against
    that server.
    """
    from newswatch.notify import alerts

    try:
        spec = alerts.spec(name, on, outlet, keyword)
        alerts.notification_block(notify, name)  # a bad URL is said before any server is sought
        with _on_the_server():
            alert = alerts.add(spec, notify)
    except alerts.AlertError as exc:
        fail(str(exc))
    out.print(
        f"Alert {alert.spec.name}: {escape(alert.spec.describe())} -> {alert.notify} "
        f"({alerts.where(notify)})."
    )


@alerts_app.command("list")
def list_command(
    fmt: Annotated[str | None, format_option(FORMATS, "a table, or JSON")] = None,
    as_json: JsonOption = False,
) -> None:
    """The alerts newswatch made on the configured Prefect server."""
    from newswatch.notify import alerts

    as_json = chosen_format(fmt, FORMATS, as_json) is Format.JSON
    try:
        with _on_the_server():
            found = alerts.list_alerts()
    except alerts.AlertError as exc:
        fail(str(exc))
    if as_json:
        print(json.dumps([a.model_dump(mode="json") for a in found], indent=2))
        return
    if not found:
        err.print("No alerts. Add one with `newswatch alerts add NAME --on numbers --notify URL`.")
        return
    table = Table(show_edge=False)
    for column in ("name", "on", "outlet", "keywords", "notify", "enabled"):
        table.add_column(column)
    for alert in found:
        table.add_row(
            alert.spec.name,
            alert.spec.on.value,
            escape(alert.spec.outlet or ""),
            escape(" ".join(alert.spec.keywords)),
            alert.notify,
            "yes" if alert.enabled else "no",
        )
    out.print(table)


@alerts_app.command("remove")
def remove_command(
    name: Annotated[str, typer.Argument(help="The alert's name (see `newswatch alerts list`).")],
) -> None:
    """Delete an alert: its automation and the notification block newswatch made for it."""
    from newswatch.notify import alerts

    try:
        with _on_the_server():
            alerts.remove(name)
    except alerts.AlertError as exc:
        fail(str(exc))
    out.print(f"Removed alert {escape(name)}.")
