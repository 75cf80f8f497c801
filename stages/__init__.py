"""The pure logic of newsflow: dataclasses in, dataclasses out, testable with plain strings.

``items`` holds the shapes that travel between the steps (``DecodedPage``, ``PageItem``,
``NormalizedItem``, ``Enrichment``, ``StageError``). The subpackages, by what they hold:

* ``segment``: a decoded page to its items (lines, layout, headlines, bylines, paragraphs,
  photos, articles; HTML and JSON Lines formats);
* ``text``: decoding bytes, script and OpenCC, typography, pinyin, quality, normalization;
* ``words``: jieba (the project's tokenizer and its decoders) and enrichment (search tokens,
  keywords, entities);
* ``dedup``: shingles, MinHash, LSH band keys, fingerprints and the duplicate decision.

May import the standard library, text libraries (opencc, jieba, pypinyin, numpy, selectolax)
and its own packaged data; never Celery, SQLAlchemy, Redis, the watcher or other files.
"""
