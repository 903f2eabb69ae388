"""A bare ASGI app on Uvicorn: the protocol alone, a hand-written dispatch on the path."""

import json

from shared import HELLO, STREAM_CHUNK, STREAM_CHUNKS, run

TEXT = [(b"content-type", b"text/plain; charset=utf-8")]
JSON = [(b"content-type", b"application/json")]
BYTES = [(b"content-type", b"application/octet-stream")]


async def answer(send, headers, body):
    length = (b"content-length", str(len(body)).encode())
    await send({"type": "http.response.start", "status": 200, "headers": headers + [length]})
    await send({"type": "http.response.body", "body": body})


async def echo(receive, send):
    await send({"type": "http.response.start", "status": 200, "headers": BYTES})
    more = True
    while more:
        event = await receive()
        if event["type"] == "http.disconnect":
            return
        more = event.get("more_body", False)
        await send({"type": "http.response.body", "body": event.get("body", b""), "more_body": more})


async def stream(send):
    await send({"type": "http.response.start", "status": 200, "headers": BYTES})
    for i in range(STREAM_CHUNKS):
        await send({"type": "http.response.body", "body": STREAM_CHUNK, "more_body": i < STREAM_CHUNKS - 1})


async def app(scope, receive, send):
    path, method = scope["path"], scope["method"]
    if method == "GET" and path == "/":
        await answer(send, TEXT, HELLO.encode())
    elif method == "GET" and path == "/json":
        await answer(send, JSON, json.dumps({"message": HELLO}).encode())
    elif method == "GET" and path.startswith("/users/"):
        await answer(send, JSON, json.dumps({"id": path[7:]}).encode())
    elif method == "POST" and path == "/echo":
        await echo(receive, send)
    elif method == "GET" and path == "/stream":
        await stream(send)
    else:
        await send({"type": "http.response.start", "status": 404, "headers": []})
        await send({"type": "http.response.body"})


if __name__ == "__main__":
    run(app)
