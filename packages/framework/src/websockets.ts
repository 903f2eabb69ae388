import type { HeaderList, Send, WebSocketReceive, WebSocketScope, WebSocketSend, WebSocketSendEvent, WebSocketServerEvent } from '@portico/protocol';
import { HTTPConnection, type ConnectionScope } from './connection';
import { headerList, type HeadersInit } from './exceptions';
import type { Response } from './responses/response';
import type { PathParamsRecord } from './routing/path-pattern';

/** Where one side of the connection stands. */
export type WebSocketState = 'connecting' | 'connected' | 'disconnected';

/**
 * The peer closed the connection (or it dropped: code 1006). `receiveText()` and friends throw
 * it; a handler may let it escape (the route treats it as the normal end) or catch it to clean up.
 */
export class WebSocketDisconnect extends Error {
  override readonly name = 'WebSocketDisconnect';

  constructor(
    readonly code: number = 1000,
    readonly reason: string = '',
  ) {
    super(`the WebSocket closed with code ${code}${reason === '' ? '' : ` (${reason})`}`);
  }
}

/**
 * Throw it in a WebSocket handler to close the connection with this code and reason (RFC 6455
 * 7.4: 1008 policy violation, 1003 unsupported data, 4000-4999 your own).
 *
 * @example
 * if (!room) throw new WebSocketException(4404, 'no such room');
 */
export class WebSocketException extends Error {
  override readonly name = 'WebSocketException';

  constructor(
    readonly code: number,
    readonly reason: string = '',
  ) {
    super(`WebSocket closed by the app with code ${code}${reason === '' ? '' : ` (${reason})`}`);
  }
}

/** The WebSocket was used in a way its state does not allow (send before accept, receive after close). */
export class WebSocketStateError extends Error {
  override readonly name = 'WebSocketStateError';
}

export interface AcceptOptions {
  /** One of `websocket.subprotocols` (what the client offered); undefined: none. */
  subprotocol?: string | undefined;
  /** Extra headers for the handshake response. */
  headers?: HeadersInit;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * A WebSocket connection: the same URL, headers, query, path parameters, cookies, session and
 * state as a Request (they share HTTPConnection), and the messages both ways. `accept()` first
 * (it takes `websocket.connect` itself), then `receiveText()`/`sendText()` and their bytes and JSON
 * siblings, or the `iterText()` loops that end when the peer leaves.
 *
 * @example
 * new WebSocketRoute('/echo', async (websocket) => {
 *   await websocket.accept();
 *   for await (const text of websocket.iterText()) await websocket.sendText(`echo: ${text}`);
 * });
 */
export class WebSocket<Params extends object = PathParamsRecord> extends HTTPConnection<Params> {
  declare readonly scope: WebSocketScope & ConnectionScope;
  /** The peer's side: connecting until `websocket.connect` was received, disconnected after `websocket.disconnect`. */
  clientState: WebSocketState = 'connecting';
  /** The app's side: connecting until accepted, disconnected after close (or a denial response). */
  applicationState: WebSocketState = 'connecting';
  readonly #receive: WebSocketReceive;
  readonly #send: WebSocketSend;

  constructor(scope: ConnectionScope, receive: WebSocketReceive, send: WebSocketSend) {
    super(scope);
    if (scope.type !== 'websocket') throw new TypeError(`a WebSocket needs a websocket scope, got '${scope.type}'`);
    this.#receive = receive;
    this.#send = send;
  }

  /** The subprotocols the client offered, in its order of preference. */
  get subprotocols(): readonly string[] {
    return this.scope.subprotocols;
  }

  /** The next protocol event (connect, a message, or the disconnect). */
  async receive(): Promise<WebSocketServerEvent> {
    if (this.clientState === 'disconnected') throw new WebSocketStateError('receive() after the peer disconnected: stop reading once WebSocketDisconnect was thrown');
    const event = await this.#receive();
    if (event.type === 'websocket.connect') this.clientState = 'connected';
    else if (event.type === 'websocket.disconnect') this.clientState = 'disconnected';
    return event;
  }

  /** Send one protocol event; after the peer left, sends resolve without writing (the host's rule). */
  async send(event: WebSocketSendEvent): Promise<void> {
    if (this.applicationState === 'disconnected') throw new WebSocketStateError(`${event.type} after the WebSocket was closed`);
    if (event.type === 'websocket.accept') this.applicationState = 'connected';
    else if (event.type === 'websocket.close') this.applicationState = 'disconnected';
    else if (event.type === 'websocket.http.response.body' && event.moreBody !== true) this.applicationState = 'disconnected';
    await this.#send(event);
  }

  /** Complete the handshake, with a subprotocol and extra headers if given. */
  async accept(options: AcceptOptions = {}): Promise<void> {
    if (this.clientState === 'connecting') await this.#expect('websocket.connect');
    if (this.applicationState !== 'connecting') throw new WebSocketStateError('accept() twice, or after close()');
    const headers: HeaderList = headerList(options.headers);
    await this.send({ type: 'websocket.accept', ...(options.subprotocol !== undefined && { subprotocol: options.subprotocol }), ...(headers.length > 0 && { headers }) });
  }

  /** Close the connection (before `accept()`: the handshake is refused with 403). */
  async close(code = 1000, reason = ''): Promise<void> {
    if (this.clientState === 'connecting') await this.#expect('websocket.connect');
    await this.send({ type: 'websocket.close', code, ...(reason !== '' && { reason }) });
  }

  /**
   * Refuse the handshake with an HTTP response (a 401 with a body, a redirect). Needs a host with
   * the `websocket.http.response` extension; without it the connection is closed before it opens.
   */
  async sendDenialResponse(response: Response): Promise<void> {
    if (this.clientState === 'connecting') await this.#expect('websocket.connect');
    if (!('websocket.http.response' in this.scope.extensions)) {
      await this.close(1008);
      return;
    }
    // A response answers a websocket scope with the denial events; anything else would be its bug.
    const deny: Send = (event) =>
      event.type === 'websocket.http.response.start' || event.type === 'websocket.http.response.body'
        ? this.send(event)
        : Promise.reject(new TypeError(`a denial response sent '${event.type}'; it may send only websocket.http.response events`));
    await response.handle(this.scope, this.#receive, deny);
  }

  /** The next text message; throws WebSocketDisconnect when the peer left, TypeError for a bytes message. */
  async receiveText(): Promise<string> {
    const message = await this.#message();
    if (message.text === undefined) throw new TypeError('expected a text WebSocket message, got bytes: use receiveBytes()');
    return message.text;
  }

  /** The next bytes message; throws WebSocketDisconnect when the peer left, TypeError for a text message. */
  async receiveBytes(): Promise<Uint8Array> {
    const message = await this.#message();
    if (message.bytes === undefined) throw new TypeError('expected a bytes WebSocket message, got text: use receiveText()');
    return message.bytes;
  }

  /** The next message (text, or bytes as UTF-8) parsed as JSON; a SyntaxError when it is not JSON. */
  async receiveJson<T = unknown>(): Promise<T> {
    const message = await this.#message();
    return JSON.parse(message.text ?? decoder.decode(message.bytes)) as T;
  }

  sendText(text: string): Promise<void> {
    return this.send({ type: 'websocket.send', text });
  }

  sendBytes(bytes: Uint8Array): Promise<void> {
    return this.send({ type: 'websocket.send', bytes });
  }

  /** Send a value as a JSON text message (`binary: true`: as UTF-8 bytes). */
  sendJson(value: unknown, options: { binary?: boolean } = {}): Promise<void> {
    const text = JSON.stringify(value);
    return options.binary === true ? this.sendBytes(Buffer.from(text)) : this.sendText(text);
  }

  /** Text messages until the peer leaves (the loop ends instead of throwing WebSocketDisconnect). */
  iterText(): AsyncGenerator<string> {
    return this.#iterate(() => this.receiveText());
  }

  iterBytes(): AsyncGenerator<Uint8Array> {
    return this.#iterate(() => this.receiveBytes());
  }

  iterJson<T = unknown>(): AsyncGenerator<T> {
    return this.#iterate(() => this.receiveJson<T>());
  }

  async *#iterate<T>(next: () => Promise<T>): AsyncGenerator<T> {
    for (;;) {
      try {
        yield await next();
      } catch (error) {
        if (error instanceof WebSocketDisconnect) return;
        throw error;
      }
    }
  }

  async #message(): Promise<WebSocketServerEvent & { type: 'websocket.receive' }> {
    if (this.applicationState !== 'connected') throw new WebSocketStateError('receive a message only after accept(): call `await websocket.accept()` first');
    const event = await this.receive();
    if (event.type === 'websocket.disconnect') throw new WebSocketDisconnect(event.code, event.reason);
    if (event.type !== 'websocket.receive') throw new WebSocketStateError(`expected a message, got ${event.type}`);
    return event;
  }

  async #expect(type: 'websocket.connect'): Promise<void> {
    const event = await this.receive();
    if (event.type === 'websocket.disconnect') throw new WebSocketDisconnect(event.code, event.reason);
    if (event.type !== type) throw new WebSocketStateError(`expected ${type}, got ${event.type}`);
  }
}
