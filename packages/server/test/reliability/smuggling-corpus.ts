/**
 * Request-smuggling and malformed-request corpus: raw bytes and what each front end answers.
 *
 * `llhttp` is the HTTP/1.1 host (Node's llhttp, strict mode, plus the host's own checks); `nginx`
 * is nginx 1.22 in front of the FastCGI host. `calls` is what the app behind may see: the
 * requests the client really sent, never a smuggled one. An entry whose status is 200 is a request
 * the front end accepts (a control, or a place where nginx and llhttp differ, said in a comment).
 */
export interface Outcome {
  /** Statuses of the responses on the connection, in order. */
  statuses: number[];
  /** `METHOD rawPath` of each request the app saw. */
  calls: string[];
}

export interface SmugglingCase {
  name: string;
  raw: string;
  llhttp: Outcome;
  /** Where Portico's own HTTP/1.1 host (`http1: 'portico'`) differs from the node:http one; only ever stricter. */
  portico?: Outcome;
  nginx: Outcome;
}

const H = 'Host: t\r\n';
const SMUGGLED = `GET /smuggled HTTP/1.1\r\n${H}\r\n`;
/** A well-formed request pipelined behind a bad one: after a 400 that closes, it must not be run either. */
const BEHIND = `GET /behind HTTP/1.1\r\n${H}\r\n`;
const rejected: Outcome = { statuses: [400], calls: [] };
/** nginx: "501 Not Implemented" for a transfer coding it does not know. */
const notImplemented: Outcome = { statuses: [501], calls: [] };
const post: Outcome = { statuses: [200], calls: ['POST /'] };
const get: Outcome = { statuses: [200], calls: ['GET /'] };
const chunked = (body: string): string => `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n${body}`;

export const CORPUS: SmugglingCase[] = [
  // Framing: Content-Length against Transfer-Encoding.
  { name: 'CL.TE: Content-Length then Transfer-Encoding, a request behind the chunked end', raw: `POST / HTTP/1.1\r\n${H}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${SMUGGLED}`, llhttp: rejected, nginx: rejected },
  { name: 'TE.CL: Transfer-Encoding then Content-Length, a request inside the chunk', raw: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n2c\r\n${SMUGGLED}\r\n0\r\n\r\n`, llhttp: rejected, nginx: rejected },
  { name: 'two equal Content-Length headers', raw: `POST / HTTP/1.1\r\n${H}Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello`, llhttp: rejected, nginx: rejected },
  { name: 'two conflicting Content-Length headers', raw: `POST / HTTP/1.1\r\n${H}Content-Length: 5\r\nContent-Length: 44\r\n\r\nhello${SMUGGLED}`, llhttp: rejected, nginx: rejected },
  { name: 'a Content-Length list "5, 5" in one header', raw: `POST / HTTP/1.1\r\n${H}Content-Length: 5, 5\r\n\r\nhello`, llhttp: rejected, nginx: rejected },
  { name: 'a Content-Length with a sign', raw: `POST / HTTP/1.1\r\n${H}Content-Length: +5\r\n\r\nhello`, llhttp: rejected, nginx: rejected },
  { name: 'a Content-Length in hexadecimal', raw: `POST / HTTP/1.1\r\n${H}Content-Length: 0x5\r\n\r\nhello`, llhttp: rejected, nginx: rejected },
  { name: 'a Content-Length with a space inside', raw: `POST / HTTP/1.1\r\n${H}Content-Length: 1 0\r\n\r\nhello12345`, llhttp: rejected, nginx: rejected },
  { name: 'Transfer-Encoding: chunked, identity', raw: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n`, llhttp: rejected, nginx: notImplemented },
  // llhttp joins the two fields into "identity, chunked" and, chunked being last, reads it chunked (RFC 9112 6.1
  // says SHOULD answer 501 to a coding it does not know); nginx 400s. One reading only: nothing smuggled.
  { name: 'Transfer-Encoding: identity, then Transfer-Encoding: chunked in a second header', raw: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: identity\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, llhttp: post, nginx: rejected },
  { name: 'Transfer-Encoding: chunked twice, in two headers', raw: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, llhttp: rejected, nginx: rejected },
  { name: 'Transfer-Encoding: chunked, chunked in one header', raw: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n`, llhttp: rejected, nginx: notImplemented },
  { name: 'Transfer-Encoding: xchunked', raw: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n`, llhttp: rejected, nginx: notImplemented },
  { name: 'whitespace before the colon of Transfer-Encoding', raw: `POST / HTTP/1.1\r\n${H}Transfer-Encoding : chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n`, llhttp: rejected, nginx: rejected },
  // RFC 9112 6.1: an HTTP/1.0 message with Transfer-Encoding has faulty framing. llhttp reads it chunked and, with
  // keep-alive, went on to read the request behind it; the host now refuses it as nginx does.
  { name: 'Transfer-Encoding: chunked on an HTTP/1.0 request', raw: `POST / HTTP/1.0\r\n${H}Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, llhttp: rejected, nginx: rejected },
  { name: 'Transfer-Encoding: chunked on an HTTP/1.0 keep-alive request, a request behind', raw: `POST / HTTP/1.0\r\n${H}Connection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${SMUGGLED}`, llhttp: rejected, nginx: rejected },

  // Line structure.
  { name: 'obs-fold continuing a header value', raw: `GET / HTTP/1.1\r\n${H}X-Value: a\r\n b\r\n\r\n`, llhttp: rejected, nginx: rejected },
  { name: 'obs-fold continuing Transfer-Encoding', raw: `POST / HTTP/1.1\r\n${H}Content-Length: 5\r\nTransfer-Encoding: identity\r\n chunked\r\n\r\n0\r\n\r\n`, llhttp: rejected, nginx: rejected },
  // nginx accepts a bare LF as a line end (RFC 9112 2.2 allows a recipient to); llhttp strict does not.
  { name: 'a bare LF ending the request line', raw: `GET / HTTP/1.1\n${H}\r\n`, llhttp: rejected, nginx: get },
  { name: 'a bare LF ending a header line', raw: `GET / HTTP/1.1\r\nX-A: 1\n${H}\r\n`, llhttp: rejected, nginx: get },
  { name: 'a bare CR inside a header value', raw: `GET / HTTP/1.1\r\n${H}X-Value: a\rb\r\n\r\n`, llhttp: rejected, nginx: rejected },
  { name: 'a bare CR ending a header line', raw: `GET / HTTP/1.1\r\n${H}X-Value: a\rX-Other: b\r\n\r\n`, llhttp: rejected, nginx: rejected },

  // Chunk sizes and extensions.
  { name: 'a space before the chunk size', raw: chunked(' 5\r\nhello\r\n0\r\n\r\n'), llhttp: rejected, nginx: rejected },
  // nginx de-chunks the body itself and passes FastCGI a length-framed stdin, so its laxer chunk parsing
  // (trailing space, bare LF, any extension bytes) cannot desynchronise the app: it gets the one body.
  { name: 'a space after the chunk size', raw: chunked('5 \r\nhello\r\n0\r\n\r\n'), llhttp: rejected, nginx: post },
  { name: 'a chunk size with a 0x prefix', raw: chunked('0x5\r\nhello\r\n0\r\n\r\n'), llhttp: rejected, nginx: rejected },
  { name: 'a negative chunk size', raw: chunked('-5\r\nhello\r\n0\r\n\r\n'), llhttp: rejected, nginx: rejected },
  { name: 'a chunk size that overflows 64 bits', raw: chunked('10000000000000005\r\nhello\r\n0\r\n\r\n'), llhttp: rejected, nginx: rejected },
  { name: 'a chunk size line ended by a bare LF', raw: chunked('5\nhello\r\n0\r\n\r\n'), llhttp: rejected, nginx: post },
  // The head parsed, so the app is started before llhttp meets the bad bytes after the chunk: it sees the
  // head, then http.disconnect, never the body (see the report: the app is called for a request that gets 400).
  // Portico's host parses the whole packet before the app's microtask runs, so its app is never called.
  { name: 'chunk data longer than its size', raw: chunked('5\r\nhelloXX\r\n0\r\n\r\n'), llhttp: { statuses: [400], calls: ['POST /'] }, portico: rejected, nginx: rejected },
  { name: 'a chunk extension with a space in its value', raw: chunked('5;a=b c\r\nhello\r\n0\r\n\r\n'), llhttp: rejected, nginx: post },
  { name: 'a chunk extension with an unterminated quoted value', raw: chunked('5;a="b\r\nhello\r\n0\r\n\r\n'), llhttp: rejected, nginx: post },
  { name: 'a chunk extension with a NUL', raw: chunked('5;a\x00b\r\nhello\r\n0\r\n\r\n'), llhttp: rejected, nginx: post },
  { name: 'a valid chunk extension (control)', raw: chunked('5;name=value\r\nhello\r\n0\r\n\r\n'), llhttp: post, nginx: post },

  // Bytes in names, values and targets.
  { name: 'a NUL in a header name', raw: `GET / HTTP/1.1\r\n${H}X-A\x00B: 1\r\n\r\n`, llhttp: rejected, nginx: rejected },
  { name: 'a NUL in a header value', raw: `GET / HTTP/1.1\r\n${H}X-Value: a\x00b\r\n\r\n`, llhttp: rejected, nginx: rejected },
  { name: 'a control byte (0x01) in a header name', raw: `GET / HTTP/1.1\r\n${H}X-A\x01B: 1\r\n\r\n`, llhttp: rejected, nginx: rejected },
  // nginx passes control bytes and DEL in a value through to FastCGI (only NUL, CR and LF end it); llhttp refuses them.
  { name: 'a control byte (0x01) in a header value', raw: `GET / HTTP/1.1\r\n${H}X-Value: a\x01b\r\n\r\n`, llhttp: rejected, nginx: get },
  { name: 'DEL (0x7f) in a header value', raw: `GET / HTTP/1.1\r\n${H}X-Value: a\x7fb\r\n\r\n`, llhttp: rejected, nginx: get },
  { name: 'a space inside a header name', raw: `GET / HTTP/1.1\r\n${H}Bad Header: 1\r\n\r\n`, llhttp: rejected, nginx: rejected },
  { name: 'a NUL in the target', raw: `GET /a\x00b HTTP/1.1\r\n${H}\r\n`, llhttp: rejected, nginx: rejected },
  { name: 'a space inside the target', raw: `GET /a b HTTP/1.1\r\n${H}\r\n`, llhttp: rejected, nginx: rejected },

  // Sizes.
  { name: 'a request line of 20,000 bytes', raw: `GET /${'a'.repeat(20_000)} HTTP/1.1\r\n${H}\r\n`, llhttp: { statuses: [431], calls: [] }, nginx: { statuses: [414], calls: [] } },
  { name: 'a header line of 20,000 bytes', raw: `GET / HTTP/1.1\r\n${H}X-Long: ${'a'.repeat(20_000)}\r\n\r\n`, llhttp: { statuses: [431], calls: [] }, nginx: rejected },

  // Methods, targets, versions, Host.
  { name: 'a method with a bracket', raw: `G(T / HTTP/1.1\r\n${H}\r\n`, llhttp: rejected, nginx: rejected },
  { name: 'a lower-case method', raw: `get / HTTP/1.1\r\n${H}\r\n`, llhttp: rejected, nginx: rejected },
  // llhttp knows a fixed list of methods; nginx passes any upper-case token on.
  { name: 'an unknown upper-case method', raw: `FOO / HTTP/1.1\r\n${H}\r\n`, llhttp: rejected, nginx: { statuses: [200], calls: ['FOO /'] } },
  { name: 'a target without a leading slash', raw: `GET a HTTP/1.1\r\n${H}\r\n`, llhttp: rejected, nginx: rejected },
  { name: 'an absolute-form target (control)', raw: `GET http://t/ HTTP/1.1\r\n${H}\r\n`, llhttp: get, nginx: get },
  { name: 'an unknown HTTP version', raw: `GET / HTTP/9.9\r\n${H}\r\n`, llhttp: rejected, nginx: { statuses: [505], calls: [] } },
  // nginx serves HTTP/0.9: the app is asked for GET / and the body comes back without a head (-1 here).
  { name: 'a request line without a version (HTTP/0.9)', raw: `GET /\r\n${H}\r\n`, llhttp: rejected, nginx: { statuses: [-1], calls: ['GET /'] } },
  { name: 'an HTTP/1.1 request without Host', raw: 'GET / HTTP/1.1\r\n\r\n', llhttp: rejected, nginx: rejected },
  // The host's own refusals (no Host, two Hosts, a bad path) are answered after llhttp parsed what follows in the
  // same write: the request behind must not reach the app either.
  { name: 'an HTTP/1.1 request without Host, a request behind', raw: `GET / HTTP/1.1\r\n\r\n${BEHIND}`, llhttp: rejected, nginx: rejected },
  // nginx finds nothing wrong with the first; the FastCGI host refuses its path and nginx sends on the second.
  { name: 'an undecodable path, a request behind', raw: `GET /caf%E9 HTTP/1.1\r\n${H}\r\n${BEHIND}`, llhttp: rejected, nginx: { statuses: [400, 200], calls: ['GET /behind'] } },
  // RFC 9112 3.2: 400 for more than one Host. The host checks it itself (llhttp does not).
  { name: 'two Host headers', raw: `GET / HTTP/1.1\r\n${H}Host: u\r\n\r\n`, llhttp: rejected, nginx: rejected },

  // Pipelining.
  // The first request is answered, the bytes after it never read (llhttp reports HPE_CLOSED_CONNECTION; the host
  // used to answer that with a 400 in place of the app's 200).
  { name: 'a request pipelined after Connection: close in the same write', raw: `GET / HTTP/1.1\r\n${H}Connection: close\r\n\r\n${SMUGGLED}`, llhttp: get, nginx: get },
  { name: 'a GET whose Content-Length body looks like a request (control: one request)', raw: `GET / HTTP/1.1\r\n${H}Content-Length: ${SMUGGLED.length}\r\nConnection: close\r\n\r\n${SMUGGLED}`, llhttp: get, nginx: get },
];
