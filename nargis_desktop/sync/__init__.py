"""Keeping Nargis data in step with other places: other devices, Google Sheets."""
