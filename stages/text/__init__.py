"""Text: bytes to page text (``decode``) and an item's text to clean Simplified (``normalize``).

``normalize`` runs ``typography``, ``pinyin`` (annotations removed where pypinyin confirms
the reading) and ``script`` (OpenCC) until the text is stable, and flags problems
(``quality``). May import ``stages.items`` and text libraries (opencc, pypinyin).
"""
