import type { Socket } from 'node:net';
import type { Http1Transport } from './http1-transport';

/**
 * One HTTP/1.1 connection: the responses open on it, oldest first, so that a parse error can
 * interrupt the newest, shutdown can end the connection after the last, and the socket's one
 * 'close' listener can tell the unfinished ones that the client left (a listener per response
 * costs more). Finished responses are dropped from the front as requests arrive (they finish in
 * order). An array, not a Set: V8 shrinks and rehashes a Set emptied and refilled per request.
 *
 * @example
 * const connection = Http1Connection.of(req.socket);
 * connection.opened(transport);
 */
export class Http1Connection {
  readonly socket: Socket;
  readonly #open: Http1Transport[] = [];

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.once('close', this.#onClose);
  }

  /** The connection of `socket`, made on first use; kept beside the socket, whose shape stays Node's. */
  static of(socket: Socket): Http1Connection {
    let connection = connections.get(socket);
    if (connection === undefined) connections.set(socket, (connection = new Http1Connection(socket)));
    return connection;
  }

  /** A request arrived on this connection. */
  opened(transport: Http1Transport): void {
    this.#prune();
    this.#open.push(transport);
  }

  /** The newest request whose response has not finished yet, or null: the one a parse error interrupts. */
  get last(): Http1Transport | null {
    this.#prune();
    return this.#open.at(-1) ?? null;
  }

  /** Call `then` once the responses open now have closed (finished or cut); never when none is open. */
  afterOpenResponses(then: () => void): void {
    this.last?.onClose(then);
  }

  #prune(): void {
    const open = this.#open;
    while (open.length > 0 && (open[0] as Http1Transport).finished) open.shift();
  }

  readonly #onClose = (): void => {
    connections.delete(this.socket);
    for (const transport of this.#open.splice(0)) if (!transport.finished) transport.leave();
  };
}

const connections = new WeakMap<Socket, Http1Connection>();
