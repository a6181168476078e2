#!/usr/bin/env python3
"""Scores tests/fixtures/text/vader_sentences.txt with Python vaderSentiment 3.3.2 and writes
tests/fixtures/text/vader_reference.jsonl, the oracle tests/text_vader_parity.rs compares the Rust
sentiment (vader-parity crate) against.

Setup:  pip install vaderSentiment==3.3.2
Run:    python3 scripts/vader_reference.py   (from the repository root)
"""
import json
import pathlib
import sys

from importlib.metadata import version
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

ROOT = pathlib.Path(__file__).resolve().parent.parent
SENTENCES = ROOT / "tests/fixtures/text/vader_sentences.txt"
OUTPUT = ROOT / "tests/fixtures/text/vader_reference.jsonl"


def main() -> int:
    installed = version("vaderSentiment")
    if installed != "3.3.2":
        print(f"need vaderSentiment 3.3.2, found {installed}", file=sys.stderr)
        return 1
    analyzer = SentimentIntensityAnalyzer()
    lines = SENTENCES.read_text(encoding="utf-8").splitlines()
    texts = [line for line in lines if line.strip() and not line.startswith("#")]
    with OUTPUT.open("w", encoding="utf-8") as out:
        for text in texts:
            s = analyzer.polarity_scores(text)
            row = {"text": text, "neg": s["neg"], "neu": s["neu"], "pos": s["pos"],
                   "compound": s["compound"]}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(texts)} reference scores to {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
