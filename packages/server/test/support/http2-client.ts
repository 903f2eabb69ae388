import { connect, constants, type ClientHttp2Session, type IncomingHttpHeaders, type OutgoingHttpHeaders, type SecureClientSessionOptions } from 'node:http2';
import type { HeaderList } from '@portico/protocol';
import { IncompleteResponseError, type ConformanceRequest, type ConformanceResponse } from '@portico/protocol/conformance';

/** Open an HTTP/2 session (h2c with prior knowledge for `http:`, ALPN h2 for `https:`) and wait until it is up. */
export function connectHttp2(origin: string, options: SecureClientSessionOptions = {}): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session = connect(origin, options);
    session.once('connect', () => {
      session.off('error', reject);
      session.on('error', () => undefined); // a failed session fails its streams, which the tests look at
      resolve(session);
    });
    session.once('error', reject);
  });
}

/**
 * Node's HTTP/2 client takes headers as an object, so repeats of one name would be grouped. Its
 * header mapper lower-cases names, so a repeat is given a differently cased key: the fields go out
 * in the order given, repeats and all.
 */
function orderedHeaders(headers: HeaderList): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of headers) {
    let key = name.toLowerCase();
    for (let variant = 1; key in out; variant++) key = caseVariant(name.toLowerCase(), variant);
    out[key] = value;
  }
  return out;
}

/** The `variant`-th spelling of `name`: letters upper-cased where the bits of `variant` say. */
function caseVariant(name: string, variant: number): string {
  let bit = 0;
  return name.replace(/[a-z]/g, (letter) => ((variant >> bit++) & 1 ? letter.toUpperCase() : letter));
}

/** The fields as received (Node passes them raw, `[name, value, ...]`, after the object), pseudo-headers left out. */
function headerListOf(raw: readonly string[]): HeaderList {
  const list: HeaderList = [];
  for (let i = 0; i < raw.length; i += 2) if (!raw[i]!.startsWith(':')) list.push([raw[i]!, raw[i + 1]!]);
  return list;
}

/** Send one conformance request as an HTTP/2 stream on `session`. */
export function requestOverHttp2(session: ClientHttp2Session, request: ConformanceRequest): Promise<ConformanceResponse> {
  const chunks = request.body ?? [];
  return new Promise((resolve, reject) => {
    const stream = session.request(
      { ':method': request.method, ':path': request.target, ...orderedHeaders(request.headers ?? []) },
      { endStream: chunks.length === 0 },
    );
    let status = 0;
    let headers: HeaderList = [];
    let trailers: HeaderList = [];
    const body: Buffer[] = [];
    stream.on('response', (head: IncomingHttpHeaders, _flags: number, raw: string[]) => {
      status = Number(head[':status']);
      headers = headerListOf(raw);
    });
    stream.on('trailers', (_fields: IncomingHttpHeaders, _flags: number, raw: string[]) => (trailers = headerListOf(raw)));
    stream.on('data', (chunk: Buffer) => body.push(chunk));
    let failure: Error | null = null;
    stream.on('error', (error: Error) => (failure ??= error));
    stream.on('close', () => {
      const received = { status, headers, body: Buffer.concat(body), trailers };
      if (stream.rstCode === constants.NGHTTP2_NO_ERROR && stream.readableEnded && failure === null) resolve(received);
      // RFC 9113 8.1: a stream reset after the response head leaves the response incomplete.
      else if (status !== 0) reject(new IncompleteResponseError(received, `the stream was reset (code ${stream.rstCode})`));
      else reject(failure ?? new Error(`the stream was reset (code ${stream.rstCode})`));
    });
    request.signal?.addEventListener('abort', () => stream.close(constants.NGHTTP2_CANCEL));
    void (async () => {
      for (const chunk of chunks) {
        if (!stream.write(chunk)) await new Promise((resolveDrain) => stream.once('drain', resolveDrain));
        await new Promise((resolveTick) => setImmediate(resolveTick));
      }
      if (chunks.length > 0) stream.end();
    })();
  });
}
