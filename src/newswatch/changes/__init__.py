"""What changed between two versions of an article.

diff        headline, paragraphs, sentences (added, deleted, updated, moved) and words
alignment   which sentence became which: the alignment the diff and the export share
quantities  numbers read as quantities: value, kind, the noun they count
numbers     which quantities an edit changed
quotes      quotations, and which an edit added, removed or reworded
pairing     the one best-first pairing the steps above share
"""
