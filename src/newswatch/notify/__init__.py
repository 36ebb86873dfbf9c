"""Telling people what changed: Prefect events for each run, and alerts built on them.

events       ChangeReport -> the events a run emits (and the one place that emits them)
publication  what a run's report shows in the Prefect UI, in the order its links need
alerts       alerts as Prefect automations: spec, notification blocks, messages, client
"""
