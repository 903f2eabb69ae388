/**
 * Portico's request parser against llhttp (Node's, strict mode) on the differential corpus: the
 * same decision (the same HPE_* code when refused), and when accepted the same requests: method,
 * target, version, fields, keep-alive, upgrade, body bytes and trailers. Then every stream again,
 * cut at each byte boundary and fed one byte at a time, to both parsers. The streams Portico reads
 * differently on purpose are in STRICTER (parser-differences.ts), each with its reason; it may only
 * refuse more.
 */
import { describe, expect, it } from '@jest/globals';
import { CORPUS, type CorpusCase } from './parser-corpus';
import { STRICTER } from './parser-differences';
import { parseWithLlhttp, parseWithPortico, splitAt, type ParseSettings } from './support/llhttp';

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
    let message = '';
    const portico = parseWithPortico([bytes], settingsOf(entry), (error) => (message = error.message));
    expect(entry.why).not.toBe('');
    expect(portico.error).toBe(entry.code);
    expect(message).toMatch(entry.message);
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
