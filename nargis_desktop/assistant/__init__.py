"""Understanding what was said and acting on it (the assistant issue)."""
