// @ts-check
/**
 * The Portico API layer (`@portico/api`, the FastAPI role) on the Portico server: the framework
 * contender's routes as endpoints. `/json` and `/users/:id` return plain values with a declared 200
 * schema, so the Api serialises them; the first argument is the Api's `responseValidation`:
 * `strict` parses each value by that schema before sending it, `off` sends it as it is. The other
 * routes return framework responses, which the Api passes through unvalidated, as FastAPI does.
 */
import { Api } from '@portico/api';
import { PlainTextResponse, StreamingResponse } from '@portico/framework';
import { serve } from '@portico/server';
import { z } from 'zod';
import { HELLO, HOST, PORT, decoyRoutes, streamChunks } from './shared.mjs';

const mode = process.argv[2];
if (mode !== 'strict' && mode !== 'off') throw new Error(`portico-api.mjs takes 'strict' or 'off', got ${mode}`);

const BYTES = { mediaType: 'application/octet-stream' };
const Message = z.object({ message: z.string() });
const User = z.object({ id: z.string() });

// The docs routes stay on (FastAPI's default too); the router finds `/json` by its first segment.
const api = new Api({ responseValidation: mode });
for (const path of decoyRoutes()) api.get(/** @type {`/${string}`} */ (path), {}, () => new PlainTextResponse('decoy'));
api.get('/', {}, () => new PlainTextResponse(HELLO));
api.get('/json', { responses: { 200: Message } }, () => ({ message: HELLO }));
api.get('/users/:id', { responses: { 200: User } }, ({ params }) => ({ id: params.id }));
api.post('/echo', {}, ({ request }) => new StreamingResponse(request.stream(), BYTES));
api.get('/stream', {}, () => new StreamingResponse(streamChunks(), BYTES));

// As the framework contender: no lifespan, no access log; SIGTERM is handled by serve().
await serve(api, { host: HOST, port: PORT, lifespan: 'off', logLevel: 'warning', accessLog: false, timeoutGracefulShutdown: 1 });
