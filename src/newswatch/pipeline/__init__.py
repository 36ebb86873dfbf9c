"""The pipeline: one ingest run, from a folder's files to stored versions.

progress  the hook a run reports its progress to
plan      which files to read (the rest are unchanged), and the run started
prepare   a file's bytes -> parsed, fingerprinted article (or why it was refused)
decide    what to do with each file, against a catalog of what is stored
rows      a batch's decisions -> the rows it writes and the results it reports
batch     one batch end to end: decided without the lock, written under it
workers   batches in worker processes (the run's default way to submit them)
run       the one chain: plan -> batches -> the run's summary
"""
