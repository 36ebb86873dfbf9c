"""Matching: is a text new, an edit of a stored article, or another outlet's copy of one?

fingerprint  a text's exact hash and its winnowed passage keys (Schleimer et al. 2003)
similarity   how alike two texts are (rapidfuzz Indel on words): ratio and containment
furniture    lines many of an outlet's articles print, known from the store's counts
index        which stored versions share passage keys with a text (behind one protocol)
catalog      an in-memory catalog of stored versions a batch is matched against
evidence     a rewrite's evidence: headline, names, quotations, numbers, time
rules        the verdict: new, edited, unchanged, duplicate or near_duplicate
identity     an article's URL first, then its path and words (rules)
"""
