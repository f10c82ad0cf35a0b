"""The encrypted personal store: SQLCipher, migrations, repositories and the change log."""
