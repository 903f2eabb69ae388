import { createRequire } from 'node:module';
import { RequestParser, type RequestParseError } from '../../../src/portico-http1/parser';

/**
 * Both parsers behind one shape, for differential tests: llhttp driven directly as `node:http`'s
 * server drives it (strict mode, `maxHeaderSize`, an upgrade listener present so that an upgrade's
 * head ends the HTTP stream), and Portico's `RequestParser`. Each reads a stream given as chunks,
 * then the end of the stream, and reports what an application would have been handed.
 */

/** One complete request: names lower-cased, strings latin1, the body's bytes as latin1. */
export interface ParsedRequest {
  method: string;
  target: string;
  versionMinor: number;
  headers: [string, string][];
  keepAlive: boolean;
  upgrade: boolean;
  body: string;
  trailers: [string, string][];
}

export interface ParseOutcome {
  /** The requests completed before the stream ended, failed or was upgraded. */
  requests: ParsedRequest[];
  /** The error code (`HPE_*`), or null when the stream was accepted. */
  error: string | null;
  /** After an upgrade's head: how many bytes of the stream were HTTP; null without an upgrade. */
  upgradedAt: number | null;
}

export interface ParseSettings {
  maxHeaderSize?: number;
  /** Whether the peer closes the stream after the chunks (`finish`); true unless said. */
  end?: boolean;
}

/** The surface of Node's internal binding that `_http_server.js` uses. */
interface NodeParser {
  initialize(type: number, resource: object, maxHeaderSize: number, lenient: number): void;
  execute(data: Buffer): number | Error;
  finish(): Error | undefined;
  close(): void;
  [callback: number]: unknown;
}
interface NodeParserClass {
  new (): NodeParser;
  REQUEST: number;
  kOnHeaders: number;
  kOnHeadersComplete: number;
  kOnBody: number;
  kOnMessageComplete: number;
}
const internal = createRequire(__filename)('_http_common') as { HTTPParser: NodeParserClass; methods: string[] };
const { HTTPParser } = internal;
/**
 * Method names by llhttp's codes. `_http_common`'s list is dense (llhttp's order, QUERY last), but
 * the codes jump from SOURCE (33) to QUERY (46); node:http reads an internal list indexed by code.
 */
const methods: string[] = internal.methods.slice(0, 34);
if (methods[33] !== 'SOURCE' || internal.methods[34] !== 'QUERY') throw new Error('this llhttp numbers its methods differently');
methods[46] = 'QUERY';

function pairs(raw: string[]): [string, string][] {
  const list: [string, string][] = [];
  for (let i = 0; i < raw.length; i += 2) list.push([(raw[i] as string).toLowerCase(), raw[i + 1] as string]);
  return list;
}

function errorCode(error: Error): string {
  return (error as Error & { code?: string }).code ?? 'no code';
}

/** llhttp, as `node:http` runs it. */
export function parseWithLlhttp(chunks: Buffer[], settings: ParseSettings = {}): ParseOutcome {
  const parser = new HTTPParser();
  parser.initialize(HTTPParser.REQUEST, {}, settings.maxHeaderSize ?? 16384, 0);
  const outcome: ParseOutcome = { requests: [], error: null, upgradedAt: null };
  let current: ParsedRequest | null = null;
  // Heads with many fields arrive in pieces (kOnHeaders), as _http_common.js collects them.
  let fields: string[] = [];
  let url = '';
  parser[HTTPParser.kOnHeaders] = (raw: string[], part: string): void => {
    fields.push(...raw);
    url += part;
  };
  parser[HTTPParser.kOnHeadersComplete] = (major: number, minor: number, raw: string[] | undefined, method: number, target: string | undefined, _status: unknown, _message: unknown, upgrade: boolean, keepAlive: boolean): number => {
    current = {
      method: methods[method] as string,
      target: target ?? url,
      versionMinor: major === 1 ? minor : major * 10 + minor,
      headers: pairs(raw ?? fields),
      keepAlive,
      upgrade,
      body: '',
      trailers: [],
    };
    fields = [];
    url = '';
    return upgrade ? 2 : 0;
  };
  parser[HTTPParser.kOnBody] = (chunk: Buffer): void => {
    if (current !== null) current.body += chunk.toString('latin1');
  };
  parser[HTTPParser.kOnMessageComplete] = (): void => {
    if (current === null) return;
    current.trailers = pairs(fields);
    fields = [];
    url = '';
    outcome.requests.push(current);
    current = null;
  };
  try {
    let offset = 0;
    for (const chunk of chunks) {
      if (chunk.length === 0) continue; // Node never executes an empty read
      const result = parser.execute(chunk);
      // Not instanceof Error: Node makes its errors in the main realm, tests may run in another.
      if (typeof result !== 'number') {
        outcome.error = errorCode(result);
        return outcome;
      }
      if (result < chunk.length || outcome.requests.at(-1)?.upgrade === true) {
        outcome.upgradedAt = offset + result;
        return outcome;
      }
      offset += chunk.length;
    }
    if (settings.end !== false) {
      const result = parser.finish();
      if (result !== undefined) outcome.error = errorCode(result);
    }
    return outcome;
  } finally {
    parser.close();
  }
}

/** Portico's parser, given the same stream; `onRefusal` sees its error, message included. */
export function parseWithPortico(chunks: Buffer[], settings: ParseSettings = {}, onRefusal?: (error: RequestParseError) => void): ParseOutcome {
  const outcome: ParseOutcome = { requests: [], error: null, upgradedAt: null };
  let current: ParsedRequest | null = null;
  const parser = new RequestParser(
    {
      onHead(head) {
        current = {
          method: head.method,
          target: head.target,
          versionMinor: head.versionMinor,
          headers: head.headers,
          keepAlive: head.keepAlive,
          upgrade: head.upgrade,
          body: '',
          trailers: [],
        };
      },
      onBody(chunk) {
        if (current !== null) current.body += chunk.toString('latin1');
      },
      onMessageEnd(trailers) {
        if (current === null) return;
        current.trailers = trailers ?? [];
        outcome.requests.push(current);
        current = null;
      },
    },
    { maxHeaderSize: settings.maxHeaderSize ?? 16384 },
  );
  try {
    let offset = 0;
    for (const chunk of chunks) {
      const used = parser.execute(chunk);
      if (outcome.requests.at(-1)?.upgrade === true) {
        outcome.upgradedAt = offset + used;
        return outcome;
      }
      offset += chunk.length;
    }
    if (settings.end !== false) parser.finish();
  } catch (error) {
    outcome.error = errorCode(error as Error);
    onRefusal?.(error as RequestParseError);
  }
  return outcome;
}

/** `bytes` cut at each of `points` (offsets, ascending). */
export function splitAt(bytes: Buffer, points: number[]): Buffer[] {
  const chunks: Buffer[] = [];
  let start = 0;
  for (const point of points) {
    chunks.push(bytes.subarray(start, point));
    start = point;
  }
  chunks.push(bytes.subarray(start));
  return chunks;
}
