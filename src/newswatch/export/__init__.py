"""The research export: versions, sentence edits and copies as CSV or JSON lines.

tables  the three tables, their columns (NewsEdits' names and newswatch's), SCHEMA.md
write   the export streamed from the store into its files
"""
