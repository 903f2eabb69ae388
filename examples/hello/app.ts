/**
 * The smallest Portico app: the raw protocol, no framework. Serve it with
 * `npx portico serve examples/hello/app.ts` (or `npm start` from the repo root).
 */
import type { App } from '@portico/protocol';

const encoder = new TextEncoder();

export const app: App = async (scope, _receive, send) => {
  if (scope.type !== 'http') return; // no lifespan or websocket work to do
  const body = encoder.encode(`Hello from Portico! You asked for ${scope.path}\n`);
  await send({
    type: 'http.response.start',
    status: 200,
    headers: [
      ['content-type', 'text/plain; charset=utf-8'],
      ['content-length', String(body.length)],
    ],
  });
  await send({ type: 'http.response.body', body });
};
