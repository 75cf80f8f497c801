"""Near-duplicates: shingles, MinHash signatures, LSH band keys and the duplicate decision.

``shingling`` and ``minhash`` hold what is stored and must never drift; ``fingerprint`` what
a body is compared by; ``decide`` the verdict on a pair (``best_match``); ``candidates`` the
plan for a message's bodies against the candidates the database returned. See docs/dedup.md.
May import ``stages.items`` and numpy.
"""
