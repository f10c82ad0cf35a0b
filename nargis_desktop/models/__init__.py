"""The model manager: models.toml, downloads, verification, resolution (the models issue)."""
