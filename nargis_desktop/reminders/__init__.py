"""Reminder scheduling: which reminders are due, and an APScheduler adapter that wakes the app."""
