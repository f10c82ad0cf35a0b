"""The Nargis sync server: stores and relays end-to-end encrypted change batches it cannot read."""

__version__ = "0.1.0"
