/**
 * One app, six doors: the same `App` is served over HTTP/1.1, HTTP/2, FastCGI behind nginx, CGI,
 * as a fetch handler and inside Express (see README.md for each command). It says which door
 * it came through, echoes a body, and keeps its start time in the lifespan state.
 */
import { App, JSONResponse, PlainTextResponse, Response } from '@portico/framework';

export const app = new App({
  // Runs once per server; under CGI, once per request (each request is a process).
  lifespan: async () => ({ state: { startedAt: new Date().toISOString() } }),
});

app.get('/', () => new PlainTextResponse('Hello from Portico\n'));

/** What the host put in the scope: it differs by door, the app code does not. */
app.get('/door', (request) => {
  const { httpVersion, scheme, rootPath, path } = request.scope;
  return new JSONResponse({
    httpVersion,
    scheme,
    rootPath,
    path,
    query: request.queryParams.get('q') ?? null,
    userAgent: request.headers.get('user-agent') ?? null,
    startedAt: request.state['startedAt'] ?? null,
  });
});

app.post('/echo', async (request) => new Response(await request.body(), { headers: { 'content-type': request.headers.get('content-type') ?? 'application/octet-stream' } }));
