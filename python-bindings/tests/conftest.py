import gzip
import http.server
import json
import pathlib
import sys
import threading

import pytest
import sentry_sdk

HERE = pathlib.Path(__file__).resolve().parent
VECTORS = HERE.parent.parent / "tests" / "vectors"

sys.path.insert(0, str(HERE))


def load_vectors():
    return [(path.name, json.loads(path.read_text(encoding="utf-8"))) for path in sorted(VECTORS.glob("*.json"))]


class Clock:
    """A clock a test moves by hand (seconds since the epoch, or None: no time)."""

    def __init__(self, now=None):
        self.now = now

    def __call__(self):
        return self.now


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


class IngestHandler(http.server.BaseHTTPRequestHandler):
    """Sentry's envelope endpoint, as far as an SDK can tell: keeps each body, decompressed."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            import brotli

            body = brotli.decompress(body)
        self.server.received.append((self.path, body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def ingest_server():
    """An HTTP ingest on 127.0.0.1 (a free port); `.received` holds (path, body) pairs."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), IngestHandler)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
