"""The Prefect plumbing: the server runs use, and what a run sends it.

managed     newswatch's own Prefect server: started in the background, reused, stopped
idle        the watcher that stops that server when no command has used it for a while
target      which server a command's runs use, and Prefect's settings pointed at it
addresses   where things are in the Prefect UI: its routes, in one place
logs        what Prefect says on the console: its warnings, not its noise
outage      runs through a server that goes away: a one-off run, and served runs
publish     what a run sends the server (names, progress, artifacts, events), outages kept
flows       a flow whose run parameters Prefect stores without importing FastAPI

Nothing here is imported by ``newswatch --help``: each command imports what it uses.
"""
