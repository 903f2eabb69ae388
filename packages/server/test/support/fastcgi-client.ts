import { connect, type Socket } from 'node:net';
import {
  encodeNameValuePairs,
  encodeRecords,
  FLAG_KEEP_CONN,
  RecordParser,
  RecordType,
  Role,
  type FastCgiRecord,
} from '../../src/fastcgi/records';

/**
 * A raw FastCGI client, the web server's side of the wire, for record-level tests: write any
 * records (well-formed or not), and wait for what the application answers.
 */
export class FastCgiClient {
  readonly records: FastCgiRecord[] = [];
  readonly closed: Promise<void>;
  readonly #socket: Socket;
  readonly #parser = new RecordParser();
  #changed: Array<() => void> = [];

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      for (const record of this.#parser.push(chunk)) this.records.push({ ...record, content: Buffer.from(record.content) });
      this.#notify();
    });
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    void this.closed.then(() => this.#notify());
    socket.on('error', () => undefined);
  }

  static async connect(port: number): Promise<FastCgiClient> {
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new FastCgiClient(socket);
  }

  get isClosed(): boolean {
    return this.#socket.destroyed || this.#socket.readableEnded;
  }

  write(bytes: Buffer): void {
    this.#socket.write(bytes);
  }

  /** BEGIN_REQUEST (responder unless `role` says otherwise), PARAMS and their end. */
  begin(requestId: number, params: Array<[string, string]>, options: { keepConnection?: boolean; role?: number } = {}): void {
    const body = Buffer.alloc(8);
    body.writeUInt16BE(options.role ?? Role.Responder, 0);
    body[2] = options.keepConnection === false ? 0 : FLAG_KEEP_CONN;
    this.write(
      Buffer.concat([
        encodeRecords(RecordType.BeginRequest, requestId, body),
        encodeRecords(RecordType.Params, requestId, encodeNameValuePairs(params)),
        encodeRecords(RecordType.Params, requestId),
      ]),
    );
  }

  stdin(requestId: number, data: string | Buffer = ''): void {
    this.write(encodeRecords(RecordType.Stdin, requestId, typeof data === 'string' ? Buffer.from(data) : data));
  }

  /** Resolves once `done()` holds (checked on every record and on close); rejects if the connection closes first. */
  async until(done: () => boolean, what: string): Promise<void> {
    while (!done()) {
      if (this.isClosed) throw new Error(`the connection closed before ${what}; records: ${JSON.stringify(this.records.map((r) => [r.type, r.requestId]))}`);
      await new Promise<void>((resolve) => this.#changed.push(resolve));
    }
  }

  /** Everything on FCGI_STDOUT for `requestId` so far. */
  stdout(requestId: number): Buffer {
    return Buffer.concat(this.records.filter((r) => r.type === RecordType.Stdout && r.requestId === requestId).map((r) => r.content));
  }

  ended(requestId: number): FastCgiRecord | undefined {
    return this.records.find((r) => r.type === RecordType.EndRequest && r.requestId === requestId);
  }

  /** Wait for FCGI_END_REQUEST of `requestId`; returns the response (head and body), the app and protocol statuses. */
  async response(requestId: number): Promise<{ head: string; body: string; appStatus: number; protocolStatus: number }> {
    await this.until(() => this.ended(requestId) !== undefined, `request ${requestId} ended`);
    const output = this.stdout(requestId);
    const split = output.indexOf('\r\n\r\n');
    return {
      head: (split === -1 ? output : output.subarray(0, split)).toString('latin1'),
      body: split === -1 ? '' : output.subarray(split + 4).toString(),
      appStatus: (this.ended(requestId) as FastCgiRecord).content.readUInt32BE(0),
      protocolStatus: (this.ended(requestId) as FastCgiRecord).content[4] as number,
    };
  }

  close(): void {
    this.#socket.destroy();
  }

  #notify(): void {
    const waiting = this.#changed;
    this.#changed = [];
    for (const resolve of waiting) resolve();
  }
}

/** The params nginx sends for `GET <uri>`, trimmed to what a scope needs. */
export function requestParams(method: string, uri: string, extra: Array<[string, string]> = []): Array<[string, string]> {
  const query = uri.includes('?') ? uri.slice(uri.indexOf('?') + 1) : '';
  return [
    ['REQUEST_METHOD', method],
    ['REQUEST_URI', uri],
    ['QUERY_STRING', query],
    ['SERVER_PROTOCOL', 'HTTP/1.1'],
    ['REMOTE_ADDR', '127.0.0.1'],
    ['REMOTE_PORT', '40000'],
    ['SERVER_ADDR', '127.0.0.1'],
    ['SERVER_PORT', '80'],
    ...extra,
  ];
}
