"""Two-way sync with a Google Sheet: one worksheet per kind, merged three ways against the last sync."""
