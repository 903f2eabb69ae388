/**
 * Generated request streams fed to llhttp and to Portico's parser: pipelines of one to three
 * requests with methods, targets, versions, field names and values full of edge bytes, every mix of
 * Content-Length, Transfer-Encoding and Connection, chunked framing with extensions and trailers,
 * then byte mutations, cut at random points, under three header limits. Both must decide the same,
 * and read the same requests, unless Portico refuses on purpose (parser-differences.ts).
 *
 * `npm test` runs 400 streams with seed 42. The long run, 60,000 streams and over 100,000 requests:
 * PORTICO_FUZZ=1 npx jest packages/server/test/portico-http1/parser-fuzz
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { METHODS } from 'node:http';
import { checkProperty, FUZZ_SEED, FUZZING } from '../../../framework/test/reliability/fuzz-settings';
import { isStricterOnPurpose } from './parser-differences';
import { parseWithLlhttp, parseWithPortico, splitAt } from './support/llhttp';

/** Bytes that sit on the edges of llhttp's byte classes. */
const EDGE = ['\x00', '\x01', '\t', '\n', '\r', ' ', '"', '#', '(', ',', '/', ':', ';', '=', '?', '@', '[', '\\', '\x7f', '\x80', '\xe9', '\xff'];

const text = (alphabet: string[], maxLength: number, minLength = 0): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...alphabet), { minLength, maxLength }).map((bytes) => bytes.join(''));
const anyCase = (word: string): fc.Arbitrary<string> =>
  fc.array(fc.boolean(), { minLength: word.length, maxLength: word.length }).map((upper) => [...word].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''));
/** Mostly `usual`, sometimes `unusual`. */
const mostly = <T>(usual: fc.Arbitrary<T>, unusual: fc.Arbitrary<T>, odds = 10): fc.Arbitrary<T> =>
  fc.oneof({ weight: odds, arbitrary: usual }, { weight: 1, arbitrary: unusual });

const method = mostly(fc.constantFrom(...METHODS), fc.oneof(fc.constantFrom('PRI', 'DESCRIBE', 'GET_PARAMETER', 'FLUSH', 'get', 'GETS', 'M-SEARCHX'), text([...'ACDEGHKLNOPRSTU-_', 'e', '\t'], 7, 1)), 30);
const target = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom('/', '*', '/a/b?c=d&e=f#g', 'http://h:8/p?q', 'http://u:p@h/', '/?a?b#c#d', 'https://h') },
  { weight: 10, arbitrary: text(['/', 'a', 'Z', '0', '%', '.', '~', '?', '#', '@', ':', '[', ']', '!', '{'], 12).map((path) => `/${path}`) },
  { weight: 1, arbitrary: text([...EDGE, 'a', '/', 'h', 't', 'p'], 10) },
);
const version = mostly(fc.constantFrom('HTTP/1.1', 'HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0'), fc.constantFrom('HTTP/1.2', 'HTTP/2.0', 'HTTP/0.9', 'http/1.1', 'HTTP/1', 'RTSP/1.0', 'HTTP/1.1 ', 'HTTP/1.1\t', ''), 40);
const spaces = mostly(fc.constant(' '), fc.constantFrom('  ', '\t', ''), 30);
const lineEnd = mostly(fc.constant('\r\n'), fc.constantFrom('\n', '\r', '\r\r\n', '\r\n ', '\r\n\t'), 80);

const lengthValue = fc.oneof(
  fc.nat(40).map(String),
  fc.constantFrom(' 5', '5 ', '5\t', '\t5', '+5', '-1', '5, 5', '0x5', '', '  ', '05', '1 0', '99999999999999999999', '9007199254740993'),
);
const codings = fc.array(fc.constantFrom('chunked', 'Chunked', 'CHUNKED', 'identity', 'gzip', 'chunked ', 'chunked\t', 'xchunked', 'chunkedx', 'chunk', ''), { minLength: 1, maxLength: 3 });
const options = fc.array(fc.constantFrom('close', 'Close', 'keep-alive', 'Keep-Alive', 'upgrade', 'te', 'close\t', 'closed', 'keep', ''), { minLength: 1, maxLength: 3 });
const list = (items: fc.Arbitrary<string[]>): fc.Arbitrary<string> => fc.tuple(items, fc.constantFrom(', ', ',', ' , ', ',\t')).map(([parts, comma]) => parts.join(comma));
const VISIBLE = [...'aBz09-_.~!"/:;=?@[]{}', ' ', '\t', '\xe9', '\xff'];
const value = mostly(text(VISIBLE, 14), text([...EDGE, 'a', 'B', '1', ' '], 8), 25);
const separator = mostly(fc.constant(': '), fc.constantFrom(':', ':  ', ':\t', ' : ', ' :', ''), 40);

/** A field line: mostly an ordinary one; sometimes a framing field with a value near its rules, or edge bytes in the name. */
const fieldLine = fc
  .oneof(
    { weight: 30, arbitrary: fc.tuple(fc.constantFrom('Host', 'Accept', 'User-Agent', 'X-Id', 'cookie', 'ETag', 'x-forwarded-for'), value) },
    { weight: 1, arbitrary: fc.tuple(anyCase('content-length'), mostly(lengthValue, value, 3)) },
    { weight: 1, arbitrary: fc.tuple(anyCase('transfer-encoding'), mostly(list(codings), value, 3)) },
    { weight: 2, arbitrary: fc.tuple(fc.oneof(anyCase('connection'), anyCase('proxy-connection')), mostly(list(options), value, 3)) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('Upgrade', 'Expect'), fc.constantFrom('websocket', '100-continue', '', 'h2c')) },
    { weight: 1, arbitrary: fc.tuple(text([...'abcXYZ09-_!#.', ...EDGE], 8, 1), value) },
  )
  .chain(([name, fieldValue]) => fc.tuple(fc.constant(name), separator, fc.constant(fieldValue), lineEnd))
  .map((parts) => parts.join(''));

const extension = mostly(fc.constant(''), fc.constantFrom(';a', ';a=b', ';a="b c"', ';a="\\""', '; a', ';a =b', ';a=b c', ';a="b', ';=', ';;', ';a\x00'), 6);
/** One chunk: its size (usually right), extensions, data and the line end after it. */
const chunk = fc
  .tuple(fc.string({ maxLength: 12 }), mostly(fc.constant(''), fc.constantFrom(' ', '\t', '0x', '-', 'z'), 20), extension, mostly(fc.constant('\r\n'), fc.constantFrom('\n', '\r', 'X\r\n', ''), 20))
  .map(([data, sizeNoise, ext, end]) => `${data.length.toString(16)}${sizeNoise}${ext}\r\n${data}${end}`);
const chunkedBody = fc
  .tuple(fc.array(chunk, { maxLength: 3 }), extension, fc.array(fieldLine, { maxLength: 2 }), mostly(fc.constant('\r\n'), fc.constantFrom('', '\n', '\r'), 20))
  .map(([chunks, ext, trailers, end]) => `${chunks.join('')}0${ext}\r\n${trailers.join('')}${end}`);

/** How the generator frames the body, beyond what the random fields already say. */
const request = fc
  .record({
    line: method.chain((name) => fc.tuple(fc.constant(name), name === 'CONNECT' ? mostly(fc.constantFrom('example.com:443', 'u@h:1', '[::1]:80'), target) : target)),
    version,
    spaces: fc.tuple(spaces, spaces),
    lineEnd,
    fields: fc.array(fieldLine, { maxLength: 5 }),
    framing: mostly(fc.constantFrom('none', 'length', 'chunked'), fc.constant('both'), 20),
    length: fc.nat(24),
    chunked: chunkedBody,
    pool: fc.string({ minLength: 30, maxLength: 30, unit: 'binary-ascii' }),
  })
  .map((r) => {
    const [before, after] = r.spaces;
    let fields = r.fields.join('');
    let body = '';
    if (r.framing === 'length' || r.framing === 'both') {
      fields += `Content-Length: ${r.length}\r\n`;
      body = r.pool.slice(0, r.length);
    }
    if (r.framing === 'chunked' || r.framing === 'both') {
      fields += 'Transfer-Encoding: chunked\r\n';
      body = r.chunked;
    }
    return `${r.line[0]}${before}${r.line[1]}${after}${r.version}${r.lineEnd}${fields}\r\n${body}`;
  });

/** A byte inserted, dropped or replaced at a position (taken modulo the stream's length). */
const mutation = fc.record({ kind: fc.constantFrom('insert', 'delete', 'replace'), at: fc.noBias(fc.nat()), byte: fc.oneof(fc.constantFrom(...EDGE), fc.integer({ min: 0, max: 255 }).map((b) => String.fromCharCode(b))) });

const stream = fc.record({
  requests: fc.array(request, { minLength: 1, maxLength: 3 }),
  mutations: fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 2 }) }),
  cuts: fc.array(fc.noBias(fc.nat()), { maxLength: 3 }),
  maxHeaderSize: fc.constantFrom(16384, 16384, 120, 60),
  end: mostly(fc.constant(true), fc.constant(false), 4),
});

function mutate(raw: string, mutations: readonly { kind: string; at: number; byte: string }[]): string {
  let bytes = raw;
  for (const { kind, at, byte } of mutations) {
    const i = at % (bytes.length + 1);
    if (kind === 'insert') bytes = bytes.slice(0, i) + byte + bytes.slice(i);
    else if (kind === 'delete') bytes = bytes.slice(0, i) + bytes.slice(i + 1);
    else bytes = bytes.slice(0, i) + byte + bytes.slice(i + 1);
  }
  return bytes;
}

describe('generated request streams', () => {
  it('are read by Portico as llhttp reads them, or refused on purpose', async () => {
    let requests = 0;
    let accepted = 0;
    await checkProperty(
      fc.property(stream, ({ requests: parts, mutations, cuts, maxHeaderSize, end }) => {
        requests += parts.length;
        const bytes = Buffer.from(mutate(parts.join(''), mutations), 'latin1');
        const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks = splitAt(bytes, points);
        const settings = { maxHeaderSize, end };
        const llhttp = parseWithLlhttp(chunks, settings);
        let message: string | null = null;
        const portico = parseWithPortico(chunks, settings, (error) => (message = error.message));
        accepted += llhttp.requests.length;
        if (JSON.stringify(portico) !== JSON.stringify(llhttp) && !isStricterOnPurpose(portico, message, llhttp)) expect(portico).toEqual(llhttp);
      }),
      400,
      FUZZING ? { numRuns: 60_000 } : {},
    );
    // Both kinds are generated: not only refusals, not only clean requests.
    expect(accepted).toBeGreaterThan(requests / 5);
    expect(accepted).toBeLessThan(requests);
    if (FUZZING) {
      expect(requests).toBeGreaterThanOrEqual(100_000);
      process.stdout.write(`parser fuzz, seed ${FUZZ_SEED}: ${requests} requests generated, ${accepted} read by both\n`);
    }
  });
});
