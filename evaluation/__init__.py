"""Offline tools: labelled-page scoring of the segmenter, the dedup quality evaluation, the
MinHash cost study and ``newsflow parse``'s whole text path in one process.

Never imported by the pipeline. May import anything but ``workers/``.
"""
