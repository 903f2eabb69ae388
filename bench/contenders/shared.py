"""What every Python contender answers; mirrors shared.mjs so all contenders do the same work."""

import os

import uvicorn

HELLO = "Hello, World!"
STREAM_CHUNK = b"a" * (64 * 1024)
STREAM_CHUNKS = 16
OWN_ROUTES = 5


def decoy_paths():
    """Routes registered before the app's own, so that it has BENCH_ROUTES routes in all."""
    total = int(os.environ.get("BENCH_ROUTES", "0"))
    return [f"/route-{i}/{{id}}" for i in range(max(0, total - OWN_ROUTES))]


def run(app):
    """Serve with uvicorn's fastest single-process setup: uvloop, httptools, no access log."""
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=int(os.environ.get("PORT", "8000")),
        loop="uvloop",
        http="httptools",
        lifespan="off",
        access_log=False,
        log_level="warning",
    )
