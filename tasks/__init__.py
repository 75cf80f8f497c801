"""The Celery side: the app and its settings, one thin task per stage, and the steps they run.

``app`` (the Celery app, its queues, the worker's start-up and memory hooks in ``memory``),
``settings`` (every ``NEWSFLOW_*`` knob; the Celery app is configured from it), ``pipeline``
(the five tasks), ``steps`` (each task's body without the broker: claim, call ``stages/``,
write through ``models/``), ``dedupe`` (the dedupe step's walk), ``enqueue`` (the one way work
enters the broker) and ``reconcile`` (lost work found again). May import ``intake/``,
``models/``, ``stages/`` and Celery.
"""
