"""Structured logs: one setup for every command, chosen by the environment.

``TILLFLOW_LOG_LEVEL`` (debug, info, warning, error; default info) and
``TILLFLOW_LOG_FORMAT`` (``json`` for collectors, ``console`` for people; default console
on a terminal, json otherwise).
"""

from __future__ import annotations

import logging
import os
import sys

import structlog

LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING,
          "error": logging.ERROR}


def configure(*, default_level: str = "info") -> None:
    level = LEVELS.get(os.environ.get("TILLFLOW_LOG_LEVEL", default_level).lower(),
                       logging.INFO)
    wanted = os.environ.get("TILLFLOW_LOG_FORMAT") or (
        "console" if sys.stderr.isatty() else "json")
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer() if wanted == "json"
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty()))
    structlog.configure(
        processors=[structlog.processors.add_log_level,
                    structlog.processors.TimeStamper(fmt="iso", utc=True),
                    structlog.processors.format_exc_info, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )
