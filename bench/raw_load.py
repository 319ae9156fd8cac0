"""Baseline of scenario 3: raw pyoxigraph bulk load of an N-Quads file into a fresh on-disk store.

    /work/venv/bin/python bench/raw_load.py QUADS.nq STORE_DIR

No parsing of passports, no validation, no guards: Oxigraph's own bulk loader on the quads the registry's
import wrote. Prints the quads loaded and the seconds the load took as JSON.
"""

from __future__ import annotations

import json
import sys
import time

from pyoxigraph import RdfFormat, Store


def main() -> None:
    source, target = sys.argv[1], sys.argv[2]
    start = time.perf_counter()
    store = Store(target)
    store.bulk_load(path=source, format=RdfFormat.N_QUADS)
    store.flush()
    elapsed = time.perf_counter() - start
    print(json.dumps({"quads": len(store), "seconds": round(elapsed, 3)}))


if __name__ == "__main__":
    main()
