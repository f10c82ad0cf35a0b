"""What a person can do with their data; the CLI, the assistant and the app all call these."""
