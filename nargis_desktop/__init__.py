"""Nargis: a local-first voice assistant for tasks, habits, journal and reminders."""

__version__ = "0.1.0"
