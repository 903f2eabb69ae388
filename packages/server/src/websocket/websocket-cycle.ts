import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  ProtocolError,
  WebSocketCycleRules,
  type App,
  type HeaderList,
  type SendEvent,
  type WebSocketAcceptEvent,
  type WebSocketCloseEvent,
  type WebSocketDisconnectEvent,
  type WebSocketScope,
  type WebSocketServerEvent,
} from '@portico/protocol';
import type { RawData, WebSocket } from 'ws';
import type { Logger } from '../logger';
import { checkHeaders, writeHttpResponse } from './handshake';
import { keepAlive } from './heartbeat';
import { ReceiveQueue } from './receive-queue';

/** Completes the opening handshake of an accepted connection (ws's `handleUpgrade`); null when the client left first. */
export type Upgrader = (req: IncomingMessage, socket: Duplex, head: Buffer, accept: WebSocketAcceptEvent) => Promise<WebSocket | null>;

/** What every WebSocket cycle of one host shares. */
export interface WebSocketSettings {
  readonly logger: Logger;
  readonly accessLog: boolean;
  readonly upgrade: Upgrader;
  /** Received messages held for the app before the socket is paused. */
  readonly maxQueue: number;
  readonly pingIntervalMs: number;
  readonly pingTimeoutMs: number;
}

/** A denial response being collected: written whole once its body ends. */
interface DenialResponse {
  status: number;
  headers: HeaderList;
  chunks: Uint8Array[];
}

const CONNECT: WebSocketServerEvent = Object.freeze({ type: 'websocket.connect' });
const PLAIN_TEXT: HeaderList = [['content-type', 'text/plain; charset=utf-8']];
/** RFC 6455 7.4: the codes an endpoint may put in a close frame. */
const sendableCode = (code: number): boolean =>
  Number.isInteger(code) && ((code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999));

/** The close code ws sends for a peer's protocol error (RFC 6455 7.4.1). */
function closeCodeOf(error: NodeJS.ErrnoException): number {
  if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') return 1009;
  if (error.code === 'WS_ERR_INVALID_UTF8') return 1007;
  return 1002;
}

/**
 * One WebSocket connection between an app and a socket: `websocket.connect` first, the handshake
 * the app chooses (accept with a subprotocol and headers, close before accept → 403, or a denial
 * response), then messages both ways through `ws`, and `websocket.disconnect` with the peer's code.
 * The order rules are the protocol's `WebSocketCycleRules`. After the peer is gone, sends resolve
 * without writing. An app that fails before the handshake gets a 500, after it a close with 1011.
 */
export class WebSocketCycle {
  readonly scope: WebSocketScope;
  /** Resolves when the connection's socket has closed. */
  readonly closed: Promise<void>;
  readonly #req: IncomingMessage;
  readonly #socket: Duplex;
  readonly #head: Buffer;
  readonly #settings: WebSocketSettings;
  readonly #rules: WebSocketCycleRules;
  readonly #queue: ReceiveQueue;
  #ws: WebSocket | null = null;
  /** The disconnect event once the peer is gone (delivered again to a receive after it). */
  #disconnect: WebSocketDisconnectEvent | null = null;
  #denial: DenialResponse | null = null;

  constructor(scope: WebSocketScope, req: IncomingMessage, socket: Duplex, head: Buffer, settings: WebSocketSettings) {
    this.scope = scope;
    this.#req = req;
    this.#socket = socket;
    this.#head = head;
    this.#settings = settings;
    this.#rules = new WebSocketCycleRules(scope.extensions);
    this.#queue = new ReceiveQueue(settings.maxQueue);
    this.#queue.push(CONNECT);
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', (error: Error) => settings.logger.debug(`WebSocket connection error: ${error.message}`));
    // Before the upgrade completes, a closed socket is a client that left (ws reports it after).
    socket.once('close', () => {
      if (this.#ws === null) this.#peerGone(1006, '');
    });
  }

  /** Run the app on this connection; never rejects (failures are answered and logged). */
  async run(app: App): Promise<void> {
    try {
      await app(this.scope, this.#receive, this.#send);
      this.#rules.returned();
      // An app that returns with the connection open is done with it.
      if (this.#rules.phase === 'open') this.#ws?.close(1000);
    } catch (error) {
      this.#fail(error);
    }
  }

  /** Server shutdown: close an open connection with 1001 (Going Away); refuse a pending handshake with 503. */
  goAway(): void {
    if (this.#ws !== null) {
      this.#peerGone(1001, '');
      this.#ws.close(1001, 'server shutting down');
    } else if (this.#handshakePending()) {
      this.#peerGone(1001, '');
      writeHttpResponse(this.#socket, 503, PLAIN_TEXT, Buffer.from('Service Unavailable'));
    }
  }

  /** Cut the connection without a close handshake (the graceful shutdown ran out of time). */
  terminate(): void {
    if (this.#ws !== null) this.#ws.terminate();
    else this.#socket.destroy();
  }

  readonly #receive = async (): Promise<WebSocketServerEvent> => {
    if (this.#rules.disconnected && this.#disconnect !== null) return this.#disconnect;
    const event = await this.#queue.shift();
    this.#rules.received(event);
    return event;
  };

  readonly #send = async (sent: SendEvent): Promise<void> => {
    if (this.#disconnect !== null && this.#rules.phase !== 'denial') return; // the peer is gone: nowhere to write
    const event = this.#rules.sent(sent);
    switch (event.type) {
      case 'websocket.accept':
        return this.#accept(event);
      case 'websocket.send': {
        if ((event.text === undefined) === (event.bytes === undefined)) {
          throw new ProtocolError('event.shape', 'websocket.send needs exactly one of text and bytes');
        }
        const ws = this.#ws;
        if (ws === null || ws.readyState !== ws.OPEN) return;
        const data = event.text ?? event.bytes;
        // Resolves once ws handed the frame to the socket: a slow peer slows the app.
        return new Promise((resolve) => ws.send(data, { binary: event.text === undefined }, () => resolve()));
      }
      case 'websocket.close':
        return this.#close(event);
      case 'websocket.http.response.start':
        checkHeaders(event.headers ?? []);
        this.#denial = { status: event.status, headers: event.headers ?? [], chunks: [] };
        return;
      case 'websocket.http.response.body': {
        const denial = this.#denial as DenialResponse; // the rules checked the start came first
        if (event.body !== undefined && event.body.length > 0) denial.chunks.push(event.body);
        if (event.moreBody === true) return;
        this.#log(String(denial.status));
        writeHttpResponse(this.#socket, denial.status, denial.headers, Buffer.concat(denial.chunks));
        return;
      }
    }
  };

  async #accept(event: WebSocketAcceptEvent): Promise<void> {
    const chosen = event.subprotocol ?? null;
    if (chosen !== null && !this.scope.subprotocols.includes(chosen)) {
      throw new TypeError(`websocket.accept chose the subprotocol '${chosen}', which the client did not offer (it offered: ${this.scope.subprotocols.join(', ') || 'none'})`);
    }
    checkHeaders(event.headers ?? []);
    const ws = await this.#settings.upgrade(this.#req, this.#socket, this.#head, event);
    if (ws === null) {
      this.#peerGone(1006, '');
      return;
    }
    this.#ws = ws;
    this.#log('accepted');
    this.#queue.attach(ws);
    ws.on('message', (data: RawData, isBinary: boolean) => {
      const bytes = data as Buffer; // binaryType 'nodebuffer': fragments arrive joined
      this.#queue.push(isBinary ? { type: 'websocket.receive', bytes } : { type: 'websocket.receive', text: bytes.toString('utf8') });
    });
    // A peer breaking the protocol is closed by ws with the matching code; the app hears that code.
    let failed: number | null = null;
    ws.on('error', (error: NodeJS.ErrnoException) => {
      failed = closeCodeOf(error);
      this.#settings.logger.debug(`WebSocket protocol error from the peer: ${error.message}`);
    });
    // ws reports 1005 when the close frame had no code and 1006 when the connection dropped.
    ws.once('close', (code: number, reason: Buffer) => this.#peerGone(code === 1006 && failed !== null ? failed : code, reason.toString('utf8')));
    keepAlive(ws, this.#settings.pingIntervalMs, this.#settings.pingTimeoutMs);
  }

  #close(event: WebSocketCloseEvent): void {
    const code = event.code ?? 1000;
    const reason = event.reason ?? '';
    if (!sendableCode(code)) throw new TypeError(`websocket.close code ${code} may not be sent (RFC 6455 7.4): use 1000-1003, 1007-1014 or 3000-4999`);
    if (Buffer.byteLength(reason) > 123) throw new TypeError(`websocket.close reason is ${Buffer.byteLength(reason)} bytes; a close frame holds at most 123`);
    if (this.#ws === null) {
      // Closed before the accept: the handshake is refused (ASGI: HTTP 403).
      this.#log('403');
      writeHttpResponse(this.#socket, 403, PLAIN_TEXT, Buffer.from('Forbidden'));
      return;
    }
    this.#ws.close(code, reason);
  }

  #fail(error: unknown): void {
    const { logger } = this.#settings;
    const where = `"WebSocket ${this.scope.rootPath}${this.scope.rawPath}"`;
    if (this.#handshakePending()) {
      logger.error(`Exception in the app before the WebSocket handshake of ${where}; answered 500`, error);
      this.#log('500');
      writeHttpResponse(this.#socket, 500, PLAIN_TEXT, Buffer.from('Internal Server Error'));
    } else if (this.#rules.phase === 'open' && this.#disconnect === null) {
      logger.error(`Exception in the app on the WebSocket ${where}; closed with 1011`, error);
      this.#ws?.close(1011, 'internal error');
    } else {
      logger.error(`Exception in the app on the WebSocket ${where}`, error);
      if (this.#rules.phase === 'denial') this.#socket.destroy(); // a half-sent denial must not look complete
    }
  }

  /** Nothing answered the upgrade request yet: no 101, 403 or denial response went out. */
  #handshakePending(): boolean {
    return this.#ws === null && this.#rules.phase !== 'denial' && this.#socket.writable;
  }

  #peerGone(code: number, reason: string): void {
    if (this.#disconnect !== null) return;
    this.#disconnect = { type: 'websocket.disconnect', code, reason };
    this.#queue.push(this.#disconnect);
  }

  #log(outcome: string): void {
    if (!this.#settings.accessLog) return;
    const { client } = this.scope;
    const query = this.scope.queryString === '' ? '' : `?${this.scope.queryString}`;
    this.#settings.logger.info(`${client === null ? '-' : `${client.host}:${client.port}`} - "WebSocket ${this.scope.rootPath}${this.scope.rawPath}${query}" [${outcome}]`);
  }
}
