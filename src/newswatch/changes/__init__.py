"""What changed between two versions of an article.

diff          headline, paragraphs, sentences (added, deleted, updated, moved) and words
alignment     which sentence became which: the alignment the diff and the export share
quantities    numbers read as quantities: value, kind, the noun they count
quantity      one quantity as read: the reading, and the words around it when asked
number_words  cardinals written in words, English and Turkish
dates         dates, however written (glued words too)
ranges        readings that belong together: ranges, scores, days listed with a month
context       where a number stands: the noun it counts, names, labels, codes, years
numbers       which quantities an edit changed
quotes        quotations, and which an edit added, removed or reworded
verify        the last guard: each number and quotation claim checked against both texts
pairing       the one best-first pairing the steps above share
"""
