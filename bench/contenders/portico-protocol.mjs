// @ts-check
/**
 * A bare protocol app on the Portico server: the hand-written dispatch of node-http.mjs; the first
 * argument picks the server's HTTP/1.1 implementation (`node` or `portico`).
 */
import { serve } from '@portico/server';
import { HELLO, HOST, PORT, http1Argument, streamChunks } from './shared.mjs';

/**
 * @typedef {import('@portico/protocol').HttpSend} HttpSend
 * @typedef {import('@portico/protocol').HttpReceive} HttpReceive
 * @typedef {[string, string]} Header
 */

/** @type {Header} */ const TEXT = ['content-type', 'text/plain; charset=utf-8'];
/** @type {Header} */ const JSON_TYPE = ['content-type', 'application/json'];
/** @type {Header} */ const BYTES = ['content-type', 'application/octet-stream'];
const HELLO_BYTES = Buffer.from(HELLO);

/** @param {HttpSend} send @param {Header} type @param {Uint8Array} body */
async function answer(send, type, body) {
  await send({ type: 'http.response.start', status: 200, headers: [type, ['content-length', String(body.length)]] });
  await send({ type: 'http.response.body', body });
}

/** Sends each request body chunk back as it arrives. @param {HttpReceive} receive @param {HttpSend} send */
async function echo(receive, send) {
  await send({ type: 'http.response.start', status: 200, headers: [BYTES] });
  for (;;) {
    const event = await receive();
    if (event.type === 'http.disconnect') return;
    await send({ type: 'http.response.body', body: event.body, moreBody: event.moreBody });
    if (!event.moreBody) return;
  }
}

/** @param {HttpSend} send */
async function stream(send) {
  await send({ type: 'http.response.start', status: 200, headers: [BYTES] });
  for (const chunk of streamChunks()) await send({ type: 'http.response.body', body: chunk, moreBody: true });
  await send({ type: 'http.response.body' });
}

/** @type {import('@portico/protocol').App} */
async function app(scope, receive, send) {
  if (scope.type !== 'http') return;
  const { method, path } = scope;
  const httpReceive = /** @type {HttpReceive} */ (receive);
  const httpSend = /** @type {HttpSend} */ (send);
  if (method === 'GET' && path === '/') return answer(httpSend, TEXT, HELLO_BYTES);
  if (method === 'GET' && path === '/json') return answer(httpSend, JSON_TYPE, Buffer.from(JSON.stringify({ message: HELLO })));
  if (method === 'GET' && path.startsWith('/users/')) return answer(httpSend, JSON_TYPE, Buffer.from(JSON.stringify({ id: path.slice(7) })));
  if (method === 'POST' && path === '/echo') return echo(httpReceive, httpSend);
  if (method === 'GET' && path === '/stream') return stream(httpSend);
  await httpSend({ type: 'http.response.start', status: 404, headers: [] });
  await httpSend({ type: 'http.response.body' });
}

// Like the Uvicorn contenders: no lifespan, no access log; SIGTERM is handled by serve().
await serve(app, { host: HOST, port: PORT, http1: http1Argument(), lifespan: 'off', logLevel: 'warning', accessLog: false, timeoutGracefulShutdown: 1 });
