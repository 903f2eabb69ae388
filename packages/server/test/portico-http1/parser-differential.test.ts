/**
 * Portico's request parser against llhttp (Node's, strict mode) on the differential corpus: the
 * same decision (the same HPE_* code when refused), and when accepted the same requests: method,
 * target, version, fields, keep-alive, upgrade, body bytes and trailers. Then every stream again,
 * cut at each byte boundary and fed one byte at a time, to both parsers. The streams Portico reads
 * differently on purpose are in STRICTER, each with its reason; it may only refuse more.
 */
import { describe, expect, it } from '@jest/globals';
import { CORPUS, type CorpusCase } from './parser-corpus';
import { parseWithLlhttp, parseWithPortico, splitAt, type ParseOutcome, type ParseSettings } from './support/llhttp';

interface Difference extends CorpusCase {
  /** Portico's refusal. */
  code: string;
  reason: string;
}

const NOT_HTTP_1 = 'Portico serves HTTP/1.0 and 1.1 only (RequestHead.versionMinor); the node:http host answers 400 to these too';
const EXACT_NUMBERS = 'lengths stay exact JavaScript numbers; llhttp allows up to 2^64 - 1, then waits for petabytes';

/** Every stream Portico treats differently from llhttp, and why. Each is a refusal of what llhttp accepts. */
const STRICTER: Difference[] = [
  { name: 'an HTTP/0.9 request line (no version)', raw: 'GET /\r\nHost: t\r\n\r\n', code: 'HPE_INVALID_VERSION', reason: NOT_HTTP_1 },
  { name: 'an HTTP/0.9 request line ended by LF', raw: 'GET /\n\r\n', code: 'HPE_INVALID_VERSION', reason: NOT_HTTP_1 },
  { name: 'CONNECT with no target (llhttp takes "HTTP/1.1" for the authority of an HTTP/0.9 line)', raw: 'CONNECT  HTTP/1.1\r\n\r\n', code: 'HPE_INVALID_VERSION', reason: NOT_HTTP_1 },
  { name: 'HTTP/0.9 as the version', raw: 'GET / HTTP/0.9\r\n\r\n', code: 'HPE_INVALID_VERSION', reason: NOT_HTTP_1 },
  { name: 'HTTP/2.0 as the version (not the HTTP/2 preface)', raw: 'GET / HTTP/2.0\r\nHost: t\r\n\r\n', code: 'HPE_INVALID_VERSION', reason: NOT_HTTP_1 },
  { name: 'the RTSP protocol', raw: 'GET / RTSP/1.0\r\n\r\n', code: 'HPE_INVALID_CONSTANT', reason: 'not HTTP: the node:http host would serve it as an HTTP/1.0 request' },
  { name: 'the ICE protocol', raw: 'SOURCE / ICE/1.0\r\n\r\n', code: 'HPE_INVALID_CONSTANT', reason: 'not HTTP: the node:http host would serve it as an HTTP/1.0 request' },
  { name: 'a Content-Length of 2^53', raw: 'POST / HTTP/1.1\r\nContent-Length: 9007199254740992\r\n\r\nabc', end: false, code: 'HPE_INVALID_CONTENT_LENGTH', reason: EXACT_NUMBERS },
  { name: 'a chunk size of 2^53', raw: 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n20000000000000\r\nabc', end: false, code: 'HPE_INVALID_CHUNK_SIZE', reason: EXACT_NUMBERS },
];

function settingsOf(entry: CorpusCase): ParseSettings {
  return { maxHeaderSize: entry.maxHeaderSize ?? 16384, end: entry.end !== false };
}

/** Both parsers on the same chunks, each outcome labelled with the cut, so a failure names it. */
function expectSame(chunks: Buffer[], settings: ParseSettings, cut: string): void {
  expect({ cut, outcome: parseWithPortico(chunks, settings) }).toEqual({ cut, outcome: parseWithLlhttp(chunks, settings) });
}

/** Streams longer than this are cut at forty points rather than at every byte. */
const EVERY_CUT = 4096;

describe('the differential corpus: Portico reads each stream as llhttp does', () => {
  it('holds streams of both kinds', () => {
    const outcomes = CORPUS.map((entry) => parseWithLlhttp([Buffer.from(entry.raw, 'latin1')], settingsOf(entry)));
    expect(outcomes.filter((outcome) => outcome.error === null).length).toBeGreaterThan(80);
    expect(new Set(outcomes.map((outcome) => outcome.error)).size).toBeGreaterThan(15);
  });

  it.each(CORPUS.map((entry) => [entry.name, entry] as const))('%s', (_name, entry) => {
    expectSame([Buffer.from(entry.raw, 'latin1')], settingsOf(entry), 'whole');
  });
});

describe('the differential corpus, cut', () => {
  it.each(CORPUS.map((entry) => [entry.name, entry] as const))('%s', (_name, entry) => {
    const bytes = Buffer.from(entry.raw, 'latin1');
    const settings = settingsOf(entry);
    const step = bytes.length <= EVERY_CUT ? 1 : Math.ceil(bytes.length / 40);
    for (let cut = 1; cut < bytes.length; cut += step) expectSame(splitAt(bytes, [cut]), settings, `at ${cut}`);
    if (bytes.length <= EVERY_CUT) expectSame(splitAt(bytes, Array.from({ length: Math.max(0, bytes.length - 1) }, (_, n) => n + 1)), settings, 'byte by byte');
  });
});

describe('where Portico is stricter than llhttp', () => {
  it.each(STRICTER.map((entry) => [entry.name, entry] as const))('%s', (_name, entry) => {
    const bytes = Buffer.from(entry.raw, 'latin1');
    const llhttp = parseWithLlhttp([bytes], settingsOf(entry));
    const portico: ParseOutcome = parseWithPortico([bytes], settingsOf(entry));
    expect(entry.reason).not.toBe('');
    expect(portico.error).toBe(entry.code);
    // Refused where llhttp accepts, and nothing read that llhttp did not read the same way.
    expect(llhttp.error).toBeNull();
    expect(llhttp.requests.slice(0, portico.requests.length)).toEqual(portico.requests);
    // The same at every cut: the refusal does not depend on how the bytes arrive.
    for (let cut = 1; cut < bytes.length; cut++) expect(parseWithPortico(splitAt(bytes, [cut]), settingsOf(entry))).toEqual(portico);
  });

  it('lists no stream of the corpus', () => {
    const raws = new Set(CORPUS.map((entry) => entry.raw));
    expect(STRICTER.filter((entry) => raws.has(entry.raw))).toEqual([]);
  });
});
