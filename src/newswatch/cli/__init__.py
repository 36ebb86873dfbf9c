"""The ``newswatch`` command.

app       the command and its sub-commands; the process's exit
output    what it prints, and its one way to fail (one line on stderr, exit 2)
context   what the commands share: settings, the database, the Prefect server
progress  the ingest progress bar
ingest    ``ingest`` and ``serve``
articles  ``history`` and ``diff``
reports   ``report``
story     ``story``: one article's life, as a picture and every change
outlets   ``outlets``: figures per outlet
export    ``export``: versions, sentence edits and copies for research
server    ``server start|stop|status|env``
alerts    ``alerts add|list|remove``
"""
