"""What an alert says: subject and body as Jinja that the Prefect server renders per event,
so a message says what changed in this edit, not what was true when the alert was made."""

from __future__ import annotations

from newswatch.notify.alerts.spec import On
from newswatch.server.addresses import artifact_key_url, artifact_url

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

    ``ui_url`` is the Prefect UI the alert was made against. The link goes to this run's
    page of the article (``addresses.ARTIFACT``), and "history" to every page of it
    (``addresses.ARTIFACT_KEY``). Beyond the artifact limit an edit has no page, and the
    message names the command and report that hold it instead.
    """
    page_url = artifact_url(ui_url, "{{ event.payload.artifact_id }}")
    history_url = artifact_key_url(ui_url, "{{ event.payload.artifact_key }}")
    if on is On.COPIED:
        page = (
            f"{{% if event.payload.artifact_id %}}What it changed: {page_url}\n{{% endif %}}"
            if page_url
            else ""
        )
        return (
            '{{ event.payload.outlet or "An outlet" }} published a near-copy of article '
            '{{ event.payload.copies_article_id }} ({{ event.payload.copies_outlet or "no outlet" }}), '
            "similarity {{ event.payload.similarity }}.\n"
            f"Headline: {{{{ {_HEADLINE} }}}}\n"
            "File: {{ event.payload.path }}\n"
            f"{page}"
            "History: newswatch history {{ event.payload.article_id }}\n"
        )
    link = (
        f"{page_url}\nHistory: {history_url}"
        if page_url
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
        "\n{% if event.payload.artifact_id %}"
        f"Full diff: {link}"
        "{% else %}Full diff: newswatch diff {{ event.payload.article_id }} "
        "(report run-{{ event.payload.run_id }}){% endif %}\n"
    )
