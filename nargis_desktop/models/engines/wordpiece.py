"""BERT's WordPiece tokenizer (uncased), read from the model's own vocab.txt: offline, no extra package.

The same steps as BertTokenizer with do_lower_case: clean, split Chinese characters, lower case and
strip accents, split on whitespace and punctuation, then the longest known pieces, left to right.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

MAX_WORD_CHARS = 100  # longer "words" (a pasted URL, a run of emoji) are one unknown token


class WordPiece:
    def __init__(self, vocab_file: Path) -> None:
        words = vocab_file.read_text(encoding="utf-8").splitlines()
        self.ids = {word: index for index, word in enumerate(words)}
        self.cls, self.sep, self.unk = self.ids["[CLS]"], self.ids["[SEP]"], self.ids["[UNK]"]

    def encode(self, text: str, max_tokens: int) -> list[int]:
        """[CLS] pieces… [SEP], cut to `max_tokens` in all."""
        pieces: list[int] = []
        for word in _basic_words(text):
            pieces.extend(self._word_pieces(word))
        return [self.cls, *pieces[: max_tokens - 2], self.sep]

    @lru_cache(maxsize=8192)  # noqa: B019 — one tokenizer lives as long as its embedder
    def _word_pieces(self, word: str) -> tuple[int, ...]:
        if len(word) > MAX_WORD_CHARS:
            return (self.unk,)
        pieces, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.ids:
                    pieces.append(self.ids[piece])
                    break
                end -= 1
            if end == start:
                return (self.unk,)
            start = end
        return tuple(pieces)


def _basic_words(text: str) -> list[str]:
    cleaned = []
    for char in text:
        code = ord(char)
        if code in (0, 0xFFFD) or (_is_control(char)):
            continue
        if _is_cjk(code):
            cleaned.append(f" {char} ")
        else:
            cleaned.append(" " if char.isspace() else char)
    text = unicodedata.normalize("NFD", "".join(cleaned).lower())
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    words: list[str] = []
    for chunk in text.split():
        current = ""
        for char in chunk:
            if _is_punctuation(char):
                if current:
                    words.append(current)
                words.append(char)
                current = ""
            else:
                current += char
        if current:
            words.append(current)
    return words


def _is_control(char: str) -> bool:
    if char in "\t\n\r":
        return False
    return unicodedata.category(char).startswith("C")


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2B73F
        or 0x2B740 <= code <= 0x2B81F
        or 0x2B820 <= code <= 0x2CEAF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )
