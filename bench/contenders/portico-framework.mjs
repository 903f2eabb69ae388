// @ts-check
/**
 * The Portico framework's App, with its router and responses, on the Portico server; the first
 * argument picks the server's HTTP/1.1 implementation (`node` or `portico`).
 */
import { App, JSONResponse, PlainTextResponse, StreamingResponse } from '@portico/framework';
import { serve } from '@portico/server';
import { HELLO, HOST, PORT, http1Argument, decoyRoutes, streamChunks } from './shared.mjs';

const BYTES = { mediaType: 'application/octet-stream' };

const app = new App();
for (const path of decoyRoutes()) app.get(path, () => new PlainTextResponse('decoy'));
app.get('/', () => new PlainTextResponse(HELLO));
app.get('/json', () => new JSONResponse({ message: HELLO }));
app.get('/users/:id', (request) => new JSONResponse({ id: request.pathParams.id }));
app.post('/echo', (request) => new StreamingResponse(request.stream(), BYTES));
app.get('/stream', () => new StreamingResponse(streamChunks(), BYTES));

// Like the Uvicorn contenders: no lifespan, no access log; SIGTERM is handled by serve().
await serve(app, { host: HOST, port: PORT, http1: http1Argument(), lifespan: 'off', logLevel: 'warning', accessLog: false, timeoutGracefulShutdown: 1 });
