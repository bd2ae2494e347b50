import json
import pathlib
import sys

import pytest
import sentry_sdk

HERE = pathlib.Path(__file__).resolve().parent
VECTORS = HERE.parent.parent / "tests" / "vectors"

sys.path.insert(0, str(HERE))


def load_vectors():
    return [(path.name, json.loads(path.read_text(encoding="utf-8"))) for path in sorted(VECTORS.glob("*.json"))]


@pytest.fixture
def fresh_sdk():
    """Closes the client a test initialised and clears the scopes it filled."""
    yield
    client = sentry_sdk.get_client()
    if client.is_active():
        client.close()
    sentry_sdk.get_global_scope().clear()
    sentry_sdk.get_isolation_scope().clear()
    sentry_sdk.get_current_scope().clear()
