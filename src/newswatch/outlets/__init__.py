"""Figures per outlet: how much it edits, how soon, what, and how its stories spread.

figures  the figures, tallied from the store one article and one edit at a time
table    the outlets table artifact a run publishes
"""
