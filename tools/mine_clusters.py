"""Mines word clusters from a corpus of reports, for the learned model's features.

    pip install -e '.[mine]'
    python tools/mine_clusters.py /tmp/corpus/gov-reports --out kg/data/mined/word_clusters.txt [--jobs 2]

Every report is cut by kg's own segmenter (the words the taggers see); word2vec (gensim, skip-gram)
learns a vector for each word from the words around it, and k-means (scikit-learn) groups the
vectors at several granularities. Words used in the same contexts share a cluster: 比亚迪 and 太钢
fall in with 一汽, 上汽 and 万华, 华为 with 北斗 and 超算, 河长制 with 五水共治.
The tagger then learns from a cluster, not only from the few names the gold shows, so it reads a
name it never saw in training by the company it keeps in the corpus.

No gold annotation is read: the list is what the unannotated corpus says, so cross-validation
stays honest. One worker thread and fixed seeds: the same corpus gives the same file.
"""
from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.documents import Skipped, iter_documents  # noqa: E402
from kg.knowledge import default_knowledge  # noqa: E402
from kg.segment import Segmenter  # noqa: E402
from kg.writing import write_text_atomic  # noqa: E402

# Granularities, coarsest first: the tagger weighs each. Cross-validated (kg eval --cv 5's folds),
# 64 and 256 read best; a third of 1024 clusters lets the tagger fit the folds' own words.
SIZES = (64, 256)
MIN_COUNT = 5  # a word the corpus holds fewer times gets no reliable vector
VECTOR_SIZE, WINDOW, EPOCHS, SEED = 100, 5, 3, 1
_SEGMENTER: Segmenter | None = None


def lines_of(path: str) -> str:
    """One report's words, separated by spaces, a line for each of its lines."""
    global _SEGMENTER
    if _SEGMENTER is None:
        _SEGMENTER = Segmenter(default_knowledge().domain_words())
    out = []
    for item in iter_documents([Path(path)]):
        if isinstance(item, Skipped):
            continue
        line: list[str] = []
        for token in _SEGMENTER.tokens(item.text):
            if token.text.isspace():
                if line:
                    out.append(" ".join(line))
                    line = []
            else:
                line.append(token.text)
        if line:
            out.append(" ".join(line))
    return "".join(line + "\n" for line in out)


def segment(files: list[str], out: Path, jobs: int) -> None:
    with out.open("w", encoding="utf-8") as sink, multiprocessing.get_context("fork").Pool(jobs) as pool:
        for done, text in enumerate(pool.imap(lines_of, files, chunksize=8), 1):  # in order: the same file each run
            sink.write(text)
            if done % 500 == 0:
                print(f"{done}/{len(files)} reports segmented", file=sys.stderr)


def cluster(words_file: Path) -> tuple[list[str], list[list[int]]]:
    """The corpus's words, most frequent first, and each word's cluster at each of SIZES."""
    import numpy as np
    from gensim.models import Word2Vec
    from gensim.models.word2vec import LineSentence
    from sklearn.cluster import KMeans

    model = Word2Vec(LineSentence(str(words_file)), vector_size=VECTOR_SIZE, window=WINDOW, min_count=MIN_COUNT,
                     sg=1, epochs=EPOCHS, workers=1, seed=SEED)
    print(f"word2vec: {len(model.wv.index_to_key)} words", file=sys.stderr)
    vectors = model.wv.vectors / np.linalg.norm(model.wv.vectors, axis=1, keepdims=True)
    labels = [KMeans(n_clusters=k, n_init=1, random_state=SEED, max_iter=100).fit(vectors).labels_.tolist() for k in SIZES]
    return list(model.wv.index_to_key), [list(codes) for codes in zip(*labels)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    files = sorted(str(p) for p in args.corpus.rglob("*.txt"))
    with tempfile.TemporaryDirectory(prefix="kg-clusters-") as tmp:
        words_file = Path(tmp) / "words.txt"
        segment(files, words_file, args.jobs)
        words, codes = cluster(words_file)
    header = (f"# Word clusters of {len(files)} corpus reports (tools/mine_clusters.py): word2vec over kg's segmenter's words "
              f"(seen at least {MIN_COUNT} times), k-means with {', '.join(map(str, SIZES))} clusters. Columns: word, cluster at each.\n")
    body = "".join(word + "".join(f"\t{c}" for c in row) + "\n" for word, row in sorted(zip(words, codes)))
    write_text_atomic(args.out, header + body)
    print(f"{args.out}: {len(words)} words", file=sys.stderr)


if __name__ == "__main__":
    main()
