"""Keeping Nargis data in step elsewhere: other devices (end-to-end encrypted), Google Sheets."""
