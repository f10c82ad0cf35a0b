"""Export and import: JSON (the contract other tools read), CSV, Markdown and iCalendar."""
