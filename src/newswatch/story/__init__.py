"""A story's life: one article's versions, what each changed, its reverts and its copies.

model     Story and its parts (``newswatch story --format json``)
build     a story from the store's rows, each version diffed against the one before
timeline  a story as an SVG picture (no JavaScript, no network)
page      a story as an HTML or Markdown page, and its picture for the Prefect UIs
history   an article's plain record: versions and the readings that showed them
"""
