import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
VECTORS = HERE.parent.parent / "tests" / "vectors"

sys.path.insert(0, str(HERE))


def load_vectors():
    return [(path.name, json.loads(path.read_text(encoding="utf-8"))) for path in sorted(VECTORS.glob("*.json"))]
