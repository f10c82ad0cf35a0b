"""llama.cpp through llama-cpp-python: GGUF models, with GBNF grammars for always-valid JSON."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nargis_desktop.models.engines.base import Lazy, LlmCapabilities, Message, load_failure
from nargis_desktop.models.formats import check_loadable


class LlamaLanguageModel:
    def __init__(self, model_path: Path, context_tokens: int = 2048, threads: int | None = None) -> None:
        self.model_path = model_path
        self.context_tokens = context_tokens
        self.threads = threads or max(1, (os.cpu_count() or 2))
        self._llm: Lazy[Any] = Lazy(self._open)

    def _open(self) -> Any:
        check_loadable(self.model_path, "llama-cpp")  # llama.cpp aborts the process on some bad files
        from llama_cpp import Llama

        try:
            return Llama(
                model_path=str(self.model_path), n_ctx=self.context_tokens, n_threads=self.threads, verbose=False
            )
        except Exception as err:
            raise load_failure("llama.cpp", self.model_path, err) from err

    @property
    def capabilities(self) -> LlmCapabilities:
        llm = self._llm.get()
        return LlmCapabilities(
            context_tokens=int(llm.n_ctx()),
            chat_template="tokenizer.chat_template" in (llm.metadata or {}),
            grammar=True,
        )

    def load(self) -> None:
        self._llm.get()

    @staticmethod
    def _grammar(grammar: str | None) -> Any:
        if grammar is None:
            return None
        from llama_cpp.llama_grammar import LlamaGrammar

        return LlamaGrammar.from_string(grammar, verbose=False)

    def complete(
        self,
        prompt: str,
        *,
        max_tokens: int = 64,
        grammar: str | None = None,
        stop: Sequence[str] = (),
        temperature: float = 0.0,
    ) -> str:
        result = self._llm.get()(
            prompt,
            max_tokens=max_tokens,
            temperature=temperature,
            stop=list(stop) or None,
            grammar=self._grammar(grammar),
        )
        return str(result["choices"][0]["text"])

    def chat(
        self, messages: Sequence[Message], *, max_tokens: int = 64, grammar: str | None = None, temperature: float = 0.0
    ) -> str:
        result = self._llm.get().create_chat_completion(
            messages=list(messages), max_tokens=max_tokens, temperature=temperature, grammar=self._grammar(grammar)
        )
        return str(result["choices"][0]["message"]["content"] or "")
