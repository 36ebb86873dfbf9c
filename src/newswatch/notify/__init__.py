"""Telling people what changed: Prefect events for each run, and alerts built on them.

events  ChangeReport -> the events a run emits (and the one place that emits them)
alerts  alerts as Prefect automations: spec, notification blocks, messages, client
"""
