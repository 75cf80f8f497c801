"""Segmentation: a decoded page (text, HTML or JSON Lines) to its articles and photo captions.

``split.split_document`` is the entry point. Page text becomes classified lines (``lines``,
with ``bylines``' patterns), article starts and their headline stacks are found (``layout``),
captions lifted out (``photos``), and each article's fields and repaired body built
(``articles``, ``headlines``, ``paragraphs``). ``formats`` turns HTML and JSON Lines into what
the segmenter reads. May import ``stages.items``, ``stages.text`` and ``stages.words``.
"""
