"""Sync between a person's devices: wire format, end-to-end encryption, merge rules, server client."""
