"""A Starlette app on Uvicorn: the framework's own routing and responses."""

from starlette.applications import Starlette
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from shared import HELLO, STREAM_CHUNK, STREAM_CHUNKS, decoy_paths, run


async def decoy(request):
    return PlainTextResponse("decoy")


async def plaintext(request):
    return PlainTextResponse(HELLO)


async def message(request):
    return JSONResponse({"message": HELLO})


async def user(request):
    return JSONResponse({"id": request.path_params["id"]})


async def echo(request):
    # Buffered: Starlette 0.26's StreamingResponse reads `receive` to watch for a disconnect,
    # so streaming request.stream() into it starves the body and never answers.
    return Response(await request.body(), media_type="application/octet-stream")


async def chunks():
    for _ in range(STREAM_CHUNKS):
        yield STREAM_CHUNK


async def stream(request):
    return StreamingResponse(chunks(), media_type="application/octet-stream")


routes = [Route(path, decoy) for path in decoy_paths()] + [
    Route("/", plaintext),
    Route("/json", message),
    Route("/users/{id}", user),
    Route("/echo", echo, methods=["POST"]),
    Route("/stream", stream),
]

app = Starlette(routes=routes)

if __name__ == "__main__":
    run(app)
