"""Which encoding detector is right more often on real files: newswatch's or charset-normalizer's.

    .venv/bin/python benchmarks/encodings.py

Reads ../shared/corpus (skips with a message when it is absent). The truth is what each
corpus's README says: the BBC files are UTF-8 but for ``sport/199.txt`` (one latin-1 byte),
the Turkish files cp1254 but for ``ekonomi/1.txt`` (UTF-8). A detector is right on a file when
its decoded text equals the true text (so ASCII read as any ASCII-compatible encoding is
right), both without C0 control characters (newswatch drops them; ``ekonomi/39.txt`` has one). Prints, per corpus, how many files each got right and the time per file.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"
TRUTH = {
    "bbc": ("utf-8", {"sport/199.txt": "latin-1"}),
    "tr_1150haber": ("cp1254", {"ekonomi/1.txt": "utf-8"}),
}


def newswatch_text(raw: bytes) -> str | None:
    from newswatch.errors import RejectedFile
    from newswatch.read.encoding import decode

    try:
        return decode(raw).text
    except RejectedFile:
        return None


def charset_normalizer_text(raw: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    return None if best is None else str(best)


def main() -> int:
    if not (SHARED / "bbc").is_dir():
        print(f"skipped: the corpora are not at {SHARED} (benchmarks read ../shared/corpus)")
        return 0
    import re
    import unicodedata

    controls = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")

    def clean(text: str) -> str:
        return unicodedata.normalize("NFC", controls.sub("", text))

    detectors = {"newswatch": newswatch_text, "charset-normalizer": charset_normalizer_text}
    print(f"{'corpus':<14}{'files':>7}  " + "".join(f"{name:>30}" for name in detectors))
    for corpus, (default, exceptions) in TRUTH.items():
        root = SHARED / corpus
        files = [p for p in sorted(root.rglob("*.txt")) if not p.name.lower().startswith("readme")]
        right = dict.fromkeys(detectors, 0)
        seconds = dict.fromkeys(detectors, 0.0)
        wrong: dict[str, list[str]] = {name: [] for name in detectors}
        for path in files:
            name = str(path.relative_to(root))
            raw = path.read_bytes()
            truth = clean(raw.decode(exceptions.get(name, default), errors="replace"))
            for detector, read in detectors.items():
                started = time.perf_counter()
                text = read(raw)
                seconds[detector] += time.perf_counter() - started
                if text is not None and clean(text) == truth:
                    right[detector] += 1
                else:
                    wrong[detector].append(name)
        cells = "".join(
            f"{right[d]:>14,} right {seconds[d] / len(files) * 1e6:>6.0f} µs/file"
            for d in detectors
        )
        print(f"{corpus:<14}{len(files):>7,}  {cells}")
        for detector, names in wrong.items():
            if names:
                print(f"    {detector} wrong on {len(names)}: {', '.join(names[:6])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
