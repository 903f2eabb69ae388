/**
 * A minimal Chrome DevTools Protocol client over one WebSocket (the `ws` package): commands
 * with ids, answers matched back, events by method. Pages are driven through flat sessions
 * (`Target.attachToTarget({ flatten: true })`), so one socket serves the browser and its tabs.
 */
import WebSocket from 'ws';

type Json = Record<string, unknown>;

/** A CDP command answered with an error. */
export class CdpError extends Error {
  override readonly name = 'CdpError';
}

interface Waiter {
  method: string;
  sessionId: string | undefined;
  accept: (params: Json) => boolean;
  resolve: (params: Json) => void;
}

export class CdpConnection {
  readonly #socket: WebSocket;
  readonly #pending = new Map<number, { resolve: (result: Json) => void; reject: (error: Error) => void; method: string }>();
  readonly #waiters = new Set<Waiter>();
  readonly #listeners = new Set<(method: string, params: Json, sessionId: string | undefined) => void>();
  #nextId = 1;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.on('message', (data: WebSocket.RawData) => this.#receive(JSON.parse(data.toString()) as Json));
    socket.on('close', () => {
      for (const { reject, method } of this.#pending.values()) reject(new CdpError(`the browser closed the connection before answering ${method}`));
      this.#pending.clear();
    });
  }

  /** Connect to the browser's `ws://127.0.0.1:PORT/devtools/browser/ID` endpoint. */
  static async connect(url: string): Promise<CdpConnection> {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    return new CdpConnection(socket);
  }

  /** Send a command (to a page when `sessionId` is given) and wait for its result. */
  send<T = Json>(method: string, params: Json = {}, sessionId?: string): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (result: Json) => void, reject, method });
      this.#socket.send(JSON.stringify({ id, method, params, ...(sessionId !== undefined && { sessionId }) }));
    });
  }

  /** The next event of that method (from that session) that `accept` takes. */
  waitForEvent(method: string, sessionId: string | undefined, accept: (params: Json) => boolean = () => true): Promise<Json> {
    return new Promise((resolve) => {
      const waiter: Waiter = {
        method,
        sessionId,
        accept,
        resolve: (params) => {
          this.#waiters.delete(waiter);
          resolve(params);
        },
      };
      this.#waiters.add(waiter);
    });
  }

  /** Every event, for logs. */
  onEvent(listener: (method: string, params: Json, sessionId: string | undefined) => void): void {
    this.#listeners.add(listener);
  }

  async close(): Promise<void> {
    if (this.#socket.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((resolve) => this.#socket.once('close', () => resolve()));
    this.#socket.close();
    await closed;
  }

  #receive(message: Json): void {
    if (typeof message['id'] === 'number') {
      const pending = this.#pending.get(message['id']);
      if (pending === undefined) return;
      this.#pending.delete(message['id']);
      const error = message['error'] as { message?: string } | undefined;
      if (error !== undefined) pending.reject(new CdpError(`${pending.method}: ${error.message ?? JSON.stringify(error)}`));
      else pending.resolve((message['result'] ?? {}) as Json);
      return;
    }
    const method = message['method'] as string;
    const params = (message['params'] ?? {}) as Json;
    const sessionId = message['sessionId'] as string | undefined;
    for (const listener of this.#listeners) listener(method, params, sessionId);
    for (const waiter of [...this.#waiters]) {
      if (waiter.method === method && waiter.sessionId === sessionId && waiter.accept(params)) waiter.resolve(params);
    }
  }
}
