import {
  AsyncQueue,
  WebSocketCycleRules,
  type App as GatewayApp,
  type HeaderList,
  type SendEvent,
  type WebSocketScope,
  type WebSocketSendEvent,
  type WebSocketServerEvent,
} from '@portico/protocol';
import { Headers } from '../datastructures';
import { WebSocketDisconnect } from '../websockets';
import { TestResponse } from './test-response';

/** The app refused the handshake: `response` is what a real client would have seen (403 for a close before accept). */
export class WebSocketDenied extends Error {
  override readonly name = 'WebSocketDenied';

  constructor(readonly response: TestResponse) {
    super(`the WebSocket handshake was refused with ${response.status}${response.body.length > 0 ? `: ${response.text.slice(0, 200)}` : ''}`);
  }
}

type AppOutput = WebSocketSendEvent | { type: 'returned' } | { type: 'threw'; error: unknown };

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * One WebSocket conversation with an app in memory, as a host would hold it: the app's events are
 * checked with the protocol's WebSocketCycleRules, a close from the app is echoed back as the
 * peer's disconnect (as a real client does), and sends after the client left go nowhere.
 * Get one from `client.websocketConnect(path)`.
 */
export class WebSocketTestSession {
  /** The subprotocol the app accepted, or null. */
  readonly subprotocol: string | null;
  /** Extra headers the app sent with the accept. */
  readonly headers: Headers;
  readonly #input: AsyncQueue<WebSocketServerEvent>;
  readonly #output: AsyncQueue<AppOutput>;
  readonly #finished: Promise<AppOutput>;
  readonly #raise: boolean;
  #gone = false;
  /** The close the app sent (or the end standing for it), once seen. */
  #closed: { code: number; reason: string } | null = null;

  private constructor(accept: { subprotocol: string | null; headers: HeaderList }, channels: { input: AsyncQueue<WebSocketServerEvent>; output: AsyncQueue<AppOutput>; finished: Promise<AppOutput> }, raise: boolean) {
    this.subprotocol = accept.subprotocol;
    this.headers = new Headers(accept.headers);
    this.#input = channels.input;
    this.#output = channels.output;
    this.#finished = channels.finished;
    this.#raise = raise;
  }

  /**
   * Run `app` on `scope` up to its answer to the handshake. Rejects with WebSocketDenied when it
   * closed before accepting or sent a denial response, and with the app's error when it failed
   * (`raise`; otherwise WebSocketDenied with the host's 500).
   */
  static async open(app: GatewayApp, scope: WebSocketScope, url: string, raise: boolean): Promise<WebSocketTestSession> {
    const rules = new WebSocketCycleRules(scope.extensions);
    const input = new AsyncQueue<WebSocketServerEvent>();
    const output = new AsyncQueue<AppOutput>();
    const session: { current?: WebSocketTestSession } = {};
    const receive = async (): Promise<WebSocketServerEvent> => {
      const event = await input.shift();
      rules.received(event);
      return event;
    };
    const send = async (event: SendEvent): Promise<void> => {
      const current = session.current;
      if (current !== undefined && current.#gone) return; // the client left: nowhere to write
      output.push(rules.sent(event));
      // A real client answers the app's close with its own: the app's next receive is the disconnect.
      if (event.type === 'websocket.close' && current !== undefined) {
        current.#gone = true;
        input.push({ type: 'websocket.disconnect', code: event.code ?? 1000, reason: event.reason ?? '' });
      }
    };
    const finished = (async (): Promise<AppOutput> => {
      try {
        await app(scope, receive, send);
        rules.returned();
        return { type: 'returned' };
      } catch (error) {
        return { type: 'threw', error };
      }
    })();
    void finished.then((outcome) => output.push(outcome));
    input.push({ type: 'websocket.connect' });

    const first = await output.shift();
    if (first.type === 'websocket.accept') {
      session.current = new WebSocketTestSession({ subprotocol: first.subprotocol ?? null, headers: first.headers ?? [] }, { input, output, finished }, raise);
      return session.current;
    }
    if (first.type === 'threw' && raise) throw first.error;
    throw new WebSocketDenied(await denial(first, output, url));
  }

  /** Send a protocol event to the app (`websocket.receive` or `websocket.disconnect`). */
  send(event: WebSocketServerEvent): void {
    if (this.#gone) throw new WebSocketDisconnect(1000, 'this test session was closed: open a new one');
    if (event.type === 'websocket.disconnect') this.#gone = true;
    this.#input.push(event);
  }

  sendText(text: string): void {
    this.send({ type: 'websocket.receive', text });
  }

  sendBytes(bytes: Uint8Array): void {
    this.send({ type: 'websocket.receive', bytes });
  }

  sendJson(value: unknown, options: { binary?: boolean } = {}): void {
    const text = JSON.stringify(value);
    if (options.binary === true) this.sendBytes(Buffer.from(text));
    else this.sendText(text);
  }

  /**
   * The app's next event: `websocket.send` or `websocket.close` (an app that returned with the
   * connection open reads as a close with 1000, one that failed as 1011, as a host closes them).
   */
  async receive(): Promise<WebSocketSendEvent> {
    if (this.#closed !== null) return { type: 'websocket.close', ...this.#closed };
    const event = await this.#output.shift();
    if (event.type === 'websocket.send') return event;
    if (event.type === 'websocket.close') {
      this.#closed = { code: event.code ?? 1000, reason: event.reason ?? '' };
    } else if (event.type === 'threw') {
      if (this.#raise) throw event.error;
      this.#closed = { code: 1011, reason: '' };
    } else this.#closed = { code: 1000, reason: '' };
    return { type: 'websocket.close', ...this.#closed };
  }

  /** The next text message; throws WebSocketDisconnect when the app closed. */
  async receiveText(): Promise<string> {
    const message = await this.#message();
    if (message.text === undefined) throw new TypeError('expected a text message from the app, got bytes: use receiveBytes()');
    return message.text;
  }

  async receiveBytes(): Promise<Uint8Array> {
    const message = await this.#message();
    if (message.bytes === undefined) throw new TypeError('expected a bytes message from the app, got text: use receiveText()');
    return message.bytes;
  }

  async receiveJson<T = unknown>(): Promise<T> {
    const message = await this.#message();
    return JSON.parse(message.text ?? decoder.decode(message.bytes)) as T;
  }

  /**
   * Close from the client's side (the app receives `websocket.disconnect` with this code) and
   * wait for the app to finish; what it threw is re-thrown unless `raiseServerExceptions: false`.
   */
  async close(code = 1000, reason = ''): Promise<void> {
    if (!this.#gone) this.send({ type: 'websocket.disconnect', code, reason });
    const outcome = await this.#finished;
    if (outcome.type === 'threw' && this.#raise) throw outcome.error;
  }

  /** Vanish without a close handshake: the app receives `websocket.disconnect` with 1006. */
  drop(): void {
    if (!this.#gone) this.send({ type: 'websocket.disconnect', code: 1006, reason: '' });
  }

  async #message(): Promise<WebSocketSendEvent & { type: 'websocket.send' }> {
    const event = await this.receive();
    if (event.type !== 'websocket.send') {
      const close = event as { code?: number; reason?: string };
      throw new WebSocketDisconnect(close.code ?? 1000, close.reason ?? '');
    }
    return event;
  }
}

/** The HTTP response a real client would see for a handshake the app did not accept. */
async function denial(first: AppOutput, output: AsyncQueue<AppOutput>, url: string): Promise<TestResponse> {
  const plain = (status: number, text: string): TestResponse =>
    new TestResponse({ status, headers: [['content-type', 'text/plain; charset=utf-8']], body: Buffer.from(text), trailers: [], earlyHints: [], url });
  if (first.type === 'websocket.close') return plain(403, 'Forbidden');
  if (first.type !== 'websocket.http.response.start') return plain(500, 'Internal Server Error');
  const chunks: Uint8Array[] = [];
  for (;;) {
    const next = await output.shift();
    if (next.type !== 'websocket.http.response.body') return plain(500, 'Internal Server Error'); // failed midway
    if (next.body !== undefined) chunks.push(next.body);
    if (next.moreBody !== true) break;
  }
  return new TestResponse({ status: first.status, headers: first.headers ?? [], body: Buffer.concat(chunks), trailers: [], earlyHints: [], url });
}
