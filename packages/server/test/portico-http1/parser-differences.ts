import type { CorpusCase } from './parser-corpus';
import type { ParseOutcome } from './support/llhttp';

/**
 * Every way Portico's request parser reads a stream differently from llhttp, on purpose, and why.
 * Each is a refusal of what llhttp accepts (never the other way), made with a message of its own,
 * so that the differential tests and the fuzz run can tell these refusals from a divergence.
 * (One more, not a difference of outcome: a head refused once complete, such as a request whose
 * last transfer coding is not chunked, is refused before `onHead`; llhttp reports the head first.)
 */
export interface Difference extends CorpusCase {
  /** Portico's refusal: its code and message. */
  code: string;
  message: RegExp;
  why: string;
}

const NOT_HTTP_1 = 'Portico serves HTTP/1.0 and 1.1 only (RequestHead.versionMinor); the node:http host answers 400 to these too';
const NOT_HTTP = 'not HTTP: the node:http host would serve it as an HTTP/1.0 request';
const EXACT_NUMBERS = 'lengths stay exact JavaScript numbers; llhttp takes up to 2^64 - 1, then waits for petabytes';

const HTTP_09 = /^HTTP\/0\.9 is not supported$/;
const OTHER_VERSION = /^HTTP\/\d\.\d is not supported$/;
const OTHER_PROTOCOL = /^(RTSP|ICE)\/\d\.\d is not HTTP$/;
const LENGTH = /^Content-Length above 2\^53 - 1$/;
const CHUNK_SIZE = /^Chunk size above 2\^53 - 1$/;

export const STRICTER: Difference[] = [
  { name: 'an HTTP/0.9 request line (no version)', raw: 'GET /\r\nHost: t\r\n\r\n', code: 'HPE_INVALID_VERSION', message: HTTP_09, why: NOT_HTTP_1 },
  { name: 'an HTTP/0.9 request line ended by LF', raw: 'GET /\n\r\n', code: 'HPE_INVALID_VERSION', message: HTTP_09, why: NOT_HTTP_1 },
  { name: 'CONNECT with no target (llhttp takes "HTTP/1.1" for the authority of an HTTP/0.9 line)', raw: 'CONNECT  HTTP/1.1\r\n\r\n', code: 'HPE_INVALID_VERSION', message: HTTP_09, why: NOT_HTTP_1 },
  { name: 'HTTP/0.9 as the version', raw: 'GET / HTTP/0.9\r\n\r\n', code: 'HPE_INVALID_VERSION', message: OTHER_VERSION, why: NOT_HTTP_1 },
  { name: 'HTTP/2.0 as the version (not the HTTP/2 preface)', raw: 'GET / HTTP/2.0\r\nHost: t\r\n\r\n', code: 'HPE_INVALID_VERSION', message: OTHER_VERSION, why: NOT_HTTP_1 },
  { name: 'the RTSP protocol', raw: 'GET / RTSP/1.0\r\n\r\n', code: 'HPE_INVALID_CONSTANT', message: OTHER_PROTOCOL, why: NOT_HTTP },
  { name: 'the ICE protocol', raw: 'SOURCE / ICE/1.0\r\n\r\n', code: 'HPE_INVALID_CONSTANT', message: OTHER_PROTOCOL, why: NOT_HTTP },
  { name: 'a Content-Length of 2^53', raw: 'POST / HTTP/1.1\r\nContent-Length: 9007199254740992\r\n\r\nabc', end: false, code: 'HPE_INVALID_CONTENT_LENGTH', message: LENGTH, why: EXACT_NUMBERS },
  { name: 'a chunk size of 2^53', raw: 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n20000000000000\r\nabc', end: false, code: 'HPE_INVALID_CHUNK_SIZE', message: CHUNK_SIZE, why: EXACT_NUMBERS },
];

/**
 * Whether `portico`, which differs from `llhttp` on one stream, is one of the differences above:
 * refused with one of their messages, after reading only requests llhttp read the same way.
 */
export function isStricterOnPurpose(portico: ParseOutcome, refusalMessage: string | null, llhttp: ParseOutcome): boolean {
  if (portico.error === null || refusalMessage === null) return false;
  if (!STRICTER.some((difference) => difference.code === portico.error && difference.message.test(refusalMessage))) return false;
  return JSON.stringify(llhttp.requests.slice(0, portico.requests.length)) === JSON.stringify(portico.requests);
}
