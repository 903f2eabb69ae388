// @ts-check
/** hono (its default SmartRouter) on @hono/node-server; bodies stay web streams end to end. */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { HELLO, HOST, PORT, decoyRoutes, exitOnSignal, streamChunks } from './shared.mjs';

const app = new Hono();

for (const path of decoyRoutes()) app.get(path, (c) => c.text('decoy'));
app.get('/', (c) => c.text(HELLO));
app.get('/json', (c) => c.json({ message: HELLO }));
app.get('/users/:id', (c) => c.json({ id: c.req.param('id') }));
app.post('/echo', (c) => c.body(c.req.raw.body ?? '', 200, { 'content-type': 'application/octet-stream' }));
app.get('/stream', (c) => {
  const chunks = streamChunks();
  const body = new ReadableStream({
    pull(controller) {
      const next = chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
  });
  return c.body(body, 200, { 'content-type': 'application/octet-stream' });
});

serve({ fetch: app.fetch, hostname: HOST, port: PORT });
exitOnSignal();
