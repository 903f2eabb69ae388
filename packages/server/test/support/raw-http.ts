import { connect, type Socket } from 'node:net';

/** A response as it came off the wire. Header names are lower-cased; order and repeats kept. */
export interface RawResponse {
  status: number;
  headers: Array<[string, string]>;
  body: Buffer;
  trailers: Array<[string, string]>;
  framing: 'content-length' | 'chunked' | 'close' | 'none';
  /** The first value of a header, or undefined. */
  header(name: string): string | undefined;
}

type Parsed = { response: RawResponse; consumed: number } | null;

const HEAD_END = Buffer.from('\r\n\r\n');

function parseFields(lines: string[]): Array<[string, string]> {
  return lines.map((line) => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
  });
}

function build(status: number, headers: Array<[string, string]>, body: Buffer, trailers: Array<[string, string]>, framing: RawResponse['framing']): RawResponse {
  return { status, headers, body, trailers, framing, header: (name) => headers.find(([n]) => n === name)?.[1] };
}

/** Parse one response from the front of `data`; `null` when more bytes are needed. */
function parseResponse(data: Buffer, noBody: boolean, ended: boolean): Parsed {
  const headEnd = data.indexOf(HEAD_END);
  if (headEnd === -1) return null;
  const [statusLine = '', ...headerLines] = data.subarray(0, headEnd).toString('latin1').split('\r\n');
  const status = Number(statusLine.split(' ')[1]);
  const headers = parseFields(headerLines);
  const get = (name: string): string | undefined => headers.find(([n]) => n === name)?.[1];
  const bodyStart = headEnd + 4;
  if (noBody || status < 200 || status === 204 || status === 304) {
    return { response: build(status, headers, Buffer.alloc(0), [], 'none'), consumed: bodyStart };
  }
  if (get('transfer-encoding')?.toLowerCase() === 'chunked') {
    const chunks: Buffer[] = [];
    let at = bodyStart;
    for (;;) {
      const lineEnd = data.indexOf('\r\n', at);
      if (lineEnd === -1) return null;
      const size = parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
      if (size === 0) {
        const trailerEnd = data.indexOf('\r\n\r\n', lineEnd);
        if (data.subarray(lineEnd, lineEnd + 4).equals(HEAD_END)) {
          return { response: build(status, headers, Buffer.concat(chunks), [], 'chunked'), consumed: lineEnd + 4 };
        }
        if (trailerEnd === -1) return null;
        const trailers = parseFields(data.subarray(lineEnd + 2, trailerEnd).toString('latin1').split('\r\n'));
        return { response: build(status, headers, Buffer.concat(chunks), trailers, 'chunked'), consumed: trailerEnd + 4 };
      }
      if (data.length < lineEnd + 2 + size + 2) return null;
      chunks.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
  }
  const length = get('content-length');
  if (length !== undefined) {
    const end = bodyStart + Number(length);
    if (data.length < end) return null;
    return { response: build(status, headers, data.subarray(bodyStart, end), [], 'content-length'), consumed: end };
  }
  if (!ended) return null;
  return { response: build(status, headers, data.subarray(bodyStart), [], 'close'), consumed: data.length };
}

/**
 * A raw TCP (or Unix socket) HTTP client for the behaviours a client library hides: pipelining,
 * interim responses, malformed requests, half-sent heads, exact framing.
 *
 * @example
 * const client = await RawClient.connect({ port });
 * client.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
 * const response = await client.readResponse();
 */
export class RawClient {
  readonly socket: Socket;
  #data = Buffer.alloc(0);
  #ended = false;
  #notify: (() => void) | null = null;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#data = Buffer.concat([this.#data, chunk]);
      this.#wake();
    });
    socket.on('error', () => undefined); // a reset is an outcome the tests look at, not a crash
    socket.on('close', () => {
      this.#ended = true;
      this.#wake();
    });
  }

  static connect(target: { port: number; host?: string } | { path: string }): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = 'path' in target ? connect(target.path) : connect(target.port, target.host ?? '127.0.0.1');
      socket.once('connect', () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  write(data: string | Uint8Array): void {
    this.socket.write(data);
  }

  /** The server closed the connection (and every byte it sent has been read into the buffer). */
  get ended(): boolean {
    return this.#ended;
  }

  /** Bytes received and not yet consumed by `readResponse`. */
  get pending(): Buffer {
    return this.#data;
  }

  /** The next response (interim 1xx ones included). Rejects if the connection closes mid-response. */
  async readResponse(options: { noBody?: boolean } = {}): Promise<RawResponse> {
    for (;;) {
      const parsed = parseResponse(this.#data, options.noBody === true, this.#ended);
      if (parsed !== null) {
        this.#data = this.#data.subarray(parsed.consumed);
        return parsed.response;
      }
      if (this.#ended) throw new Error(`the connection closed before a complete response (got ${JSON.stringify(this.#data.toString('latin1'))})`);
      await this.#change();
    }
  }

  /** Wait until the server closes the connection; resolves with the bytes not yet consumed. */
  async untilClosed(): Promise<Buffer> {
    while (!this.#ended) await this.#change();
    return this.#data;
  }

  /** Wait until at least `count` unconsumed bytes arrived (or the connection closed). */
  async untilReceived(count: number): Promise<void> {
    while (this.#data.length < count && !this.#ended) await this.#change();
  }

  close(): void {
    this.socket.destroy();
  }

  #change(): Promise<void> {
    return new Promise((resolve) => (this.#notify = resolve));
  }

  #wake(): void {
    const notify = this.#notify;
    this.#notify = null;
    notify?.();
  }
}

/** Send one raw request on a fresh connection and read one response. */
export async function rawRequest(port: number, request: string, options: { noBody?: boolean } = {}): Promise<RawResponse> {
  const client = await RawClient.connect({ port });
  try {
    client.write(request);
    return await client.readResponse(options);
  } finally {
    client.close();
  }
}

/**
 * Send `raw` (latin1) in one write on a fresh connection and collect every byte the server sends
 * until it closes the connection or stays quiet for `quietMs`.
 */
export async function exchangeBytes(port: number, raw: string, quietMs = 150): Promise<{ bytes: Buffer; closed: boolean }> {
  const client = await RawClient.connect({ port });
  try {
    client.write(Buffer.from(raw, 'latin1'));
    for (;;) {
      const seen = client.pending.length;
      let timer: NodeJS.Timeout | undefined;
      const quiet = new Promise<'quiet'>((resolve) => (timer = setTimeout(resolve, quietMs, 'quiet')));
      const outcome = await Promise.race([client.untilReceived(seen + 1).then(() => 'more' as const), quiet]);
      clearTimeout(timer);
      if (client.ended) return { bytes: client.pending, closed: true };
      if (outcome === 'quiet') return { bytes: client.pending, closed: false };
    }
  } finally {
    client.close();
  }
}
