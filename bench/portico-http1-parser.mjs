// @ts-check
/**
 * Portico's HTTP/1.1 request parser beside llhttp (driven as node:http drives it), on a few typical
 * requests: nanoseconds per request for each, in one process, after a warm-up. Needs the build
 * (`npm run build`). Not part of `npm test` or of a sitting.
 *
 *   node bench/portico-http1-parser.mjs [--seconds 2]
 */
import { createRequire } from 'node:module';
import { RequestParser } from '../packages/server/dist/portico-http1/parser/index.js';

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 2;

const REQUESTS = {
  'wrk GET': 'GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n',
  'browser GET': [
    'GET /notes/42?view=full HTTP/1.1',
    'Host: localhost:8000',
    'User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0',
    'Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
    'Accept-Language: en-US,en;q=0.5',
    'Accept-Encoding: gzip, deflate, br',
    'Connection: keep-alive',
    'Cookie: session=0123456789abcdef; theme=dark',
    'Upgrade-Insecure-Requests: 1',
    'Sec-Fetch-Dest: document',
    'Sec-Fetch-Mode: navigate',
    '',
    '',
  ].join('\r\n'),
  'POST json': 'POST /api/users HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 27\r\n\r\n{"name":"ada","admin":true}',
  'chunked POST': 'POST /upload HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n',
};

/** A keep-alive connection's worth of the same request, parsed by one parser. */
function porticoParser() {
  let heads = 0;
  const parser = new RequestParser({ onHead: () => heads++, onBody: () => {}, onMessageEnd: () => {} }, { maxHeaderSize: 16384 });
  return { execute: (/** @type {Buffer} */ data) => parser.execute(data), heads: () => heads };
}

function llhttpParser() {
  const { HTTPParser } = /** @type {any} */ (createRequire(import.meta.url)('_http_common'));
  const parser = new HTTPParser();
  parser.initialize(HTTPParser.REQUEST, {}, 16384, 0);
  let heads = 0;
  parser[HTTPParser.kOnHeadersComplete] = () => {
    heads++;
    return 0;
  };
  parser[HTTPParser.kOnBody] = () => {};
  parser[HTTPParser.kOnMessageComplete] = () => {};
  return { execute: (/** @type {Buffer} */ data) => parser.execute(data), heads: () => heads };
}

/** ns per request: runs `parse` on copies of the request (as fresh socket reads would be) for the time given. */
function measure(make, raw) {
  const buffers = Array.from({ length: 64 }, () => Buffer.from(raw, 'latin1'));
  const parser = make();
  for (let i = 0; i < 20_000; i++) parser.execute(buffers[i & 63]);
  let count = 0;
  const start = process.hrtime.bigint();
  const until = start + BigInt(Math.round(seconds * 1e9));
  let now = start;
  while (now < until) {
    for (let i = 0; i < 1000; i++) parser.execute(buffers[i & 63]);
    count += 1000;
    now = process.hrtime.bigint();
  }
  if (parser.heads() < count) throw new Error('a request was not parsed');
  return Number(now - start) / count;
}

console.log(`request         portico ns  llhttp ns  portico/llhttp`);
for (const [name, raw] of Object.entries(REQUESTS)) {
  const portico = measure(porticoParser, raw);
  const llhttp = measure(llhttpParser, raw);
  console.log(`${name.padEnd(15)} ${portico.toFixed(0).padStart(10)} ${llhttp.toFixed(0).padStart(10)} ${(portico / llhttp).toFixed(2).padStart(15)}`);
}
