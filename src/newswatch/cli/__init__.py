"""The ``newswatch`` command.

app       the command and its sub-commands; the process's exit
output    what it prints, and its one way to fail (one line on stderr, exit 2)
context   what the commands share: settings, the database, the Prefect server
progress  the ingest progress bar
ingest    ``ingest`` and ``serve``
articles  ``history`` and ``diff``
reports   ``report``
server    ``server start|stop|status|env``
alerts    ``alerts add|list|remove``
"""
