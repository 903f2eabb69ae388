// @ts-check
/** The Portico framework's App, with its router and responses, on the Portico server. */
import { App, JSONResponse, PlainTextResponse, Response, StreamingResponse } from '@portico/framework';
import { serve } from '@portico/server';
import { HELLO, HOST, PORT, decoyRoutes, streamChunks } from './shared.mjs';

const BYTES = { mediaType: 'application/octet-stream' };

const app = new App();
for (const path of decoyRoutes()) app.get(path, () => new PlainTextResponse('decoy'));
app.get('/', () => new PlainTextResponse(HELLO));
app.get('/json', () => new JSONResponse({ message: HELLO }));
app.get('/users/:id', (request) => new JSONResponse({ id: request.pathParams.id }));
// Buffered for now: streaming request.stream() into a StreamingResponse never answers, because
// StreamingResponse watches the same receive channel for a disconnect and drains the body
// events (Starlette 0.26 had the same flaw). Switch back to streaming once that is fixed.
app.post('/echo', async (request) => new Response(await request.body(), BYTES));
app.get('/stream', () => new StreamingResponse(streamChunks(), BYTES));

// Like the Uvicorn contenders: no lifespan, no access log; SIGTERM is handled by serve().
await serve(app, { host: HOST, port: PORT, lifespan: 'off', logLevel: 'warning', accessLog: false, timeoutGracefulShutdown: 1 });
