// @ts-check
/** fastify with its defaults; the echo body is passed through as a stream, not parsed. */
import Fastify from 'fastify';
import { Readable } from 'node:stream';
import { HELLO, HOST, PORT, decoyRoutes, exitOnSignal, streamChunks } from './shared.mjs';

const app = Fastify({ logger: false });

// Without this fastify answers 415 to an octet-stream body; with it the body stays a stream.
app.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));

for (const path of decoyRoutes()) app.get(path, async () => 'decoy');
app.get('/', async (_request, reply) => reply.type('text/plain; charset=utf-8').send(HELLO));
app.get('/json', async () => ({ message: HELLO }));
app.get('/users/:id', async (request) => ({ id: /** @type {{ id: string }} */ (request.params).id }));
app.post('/echo', async (request, reply) => reply.type('application/octet-stream').send(request.body));
app.get('/stream', async (_request, reply) =>
  reply.type('application/octet-stream').send(Readable.from(streamChunks())),
);

await app.listen({ host: HOST, port: PORT });
exitOnSignal();
