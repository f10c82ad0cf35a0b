"""sentence-transformers embeddings (all-MiniLM-L6-v2) for searching the journal by meaning."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nargis_desktop.models.engines.base import Lazy, load_failure


class SentenceEmbedder:
    def __init__(self, model_dir: Path) -> None:
        self.model_dir = model_dir
        self._model: Lazy[Any] = Lazy(self._open)

    def _open(self) -> Any:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for a model hub at run time
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")  # no "Loading weights" bars on our stderr
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        from sentence_transformers import SentenceTransformer

        try:
            return SentenceTransformer(str(self.model_dir), device="cpu", local_files_only=True)
        except Exception as err:
            raise load_failure("sentence-transformers", self.model_dir, err) from err

    @property
    def dimensions(self) -> int:
        model = self._model.get()
        # Renamed in sentence-transformers 6; older releases only have the long name.
        dimension = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(dimension())

    def load(self) -> None:
        self._model.get()

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        vectors = self._model.get().encode(list(texts), normalize_embeddings=True, convert_to_numpy=True)
        return [list(map(float, v)) for v in vectors]
