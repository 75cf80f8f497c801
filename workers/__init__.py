"""The processes a user runs and the ``newsflow`` command: the CLI (``cli``), the watcher, the
worker launcher, the embedded stack (``stack``, ``embedded``), the live views, and the scratch
services tests and benchmarks share (``scratch``). May import everything below it.
"""
