"""Microphone, speaker, speech-to-text and text-to-speech adapters (the voice issue)."""
