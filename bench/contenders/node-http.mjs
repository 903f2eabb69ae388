// @ts-check
/** The baseline: node:http with no framework, a hand-written dispatch on the URL. */
import { createServer } from 'node:http';
import { Readable, pipeline } from 'node:stream';
import { HELLO, HOST, PORT, exitOnSignal, streamChunks } from './shared.mjs';

const TEXT = { 'content-type': 'text/plain; charset=utf-8' };
const JSON_TYPE = { 'content-type': 'application/json' };
const BYTES = { 'content-type': 'application/octet-stream' };

/** @param {import('node:http').ServerResponse} res @param {Record<string, string>} type @param {string} body */
function answer(res, type, body) {
  res.writeHead(200, { ...type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** @param {unknown} error */
function ignore(error) {
  void error; // the client left mid-stream: nothing to answer
}

const server = createServer((req, res) => {
  const url = req.url ?? '/';
  if (req.method === 'GET' && url === '/') return answer(res, TEXT, HELLO);
  if (req.method === 'GET' && url === '/json') return answer(res, JSON_TYPE, JSON.stringify({ message: HELLO }));
  if (req.method === 'GET' && url.startsWith('/users/')) return answer(res, JSON_TYPE, JSON.stringify({ id: url.slice(7) }));
  if (req.method === 'POST' && url === '/echo') {
    res.writeHead(200, BYTES);
    return pipeline(req, res, ignore);
  }
  if (req.method === 'GET' && url === '/stream') {
    res.writeHead(200, BYTES);
    return pipeline(Readable.from(streamChunks()), res, ignore);
  }
  res.writeHead(404).end();
});

server.listen(PORT, HOST);
exitOnSignal();
