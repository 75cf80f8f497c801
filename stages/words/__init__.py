"""Words: jieba's segmentation with the project's news dictionary, and what enrich derives.

``tokenizer`` and ``hmm`` compute jieba's own words and tags with faster decoders (they
override jieba's private methods: jieba is pinned, and a test fails if the names change);
``enrich`` gives an item's search tokens, keywords and entities. May import ``stages.items``,
jieba and its packaged ``data/news_dict.txt``.
"""
