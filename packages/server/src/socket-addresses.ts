import type { Socket } from 'node:net';
import type { Address } from '@portico/protocol';

/** Where a connection runs, as its scopes name it. */
export interface SocketAddresses {
  /** Null on a Unix socket. */
  readonly client: Address | null;
  readonly server: Address | null;
}

/** Read a socket's addresses; `unixPath` names the server of a host listening on a Unix socket. */
export function socketAddresses(socket: Socket, unixPath: string | null | undefined): SocketAddresses {
  const remote = socket.remoteAddress;
  const local = socket.localAddress;
  return {
    client: remote === undefined ? null : { host: remote, port: socket.remotePort ?? 0 },
    server: unixPath !== undefined && unixPath !== null ? { host: unixPath, port: 0 } : local === undefined ? null : { host: local, port: socket.localPort ?? 0 },
  };
}

const read = new WeakMap<Socket, SocketAddresses>();

/** `socketAddresses`, read once per connection: Node's address getters are slow to call per request. */
export function connectionAddresses(socket: Socket, unixPath: string | null | undefined): SocketAddresses {
  let addresses = read.get(socket);
  if (addresses === undefined) read.set(socket, (addresses = socketAddresses(socket, unixPath)));
  return addresses;
}

/** The client of a connection, for log lines: `host:port`, or a Unix socket peer. */
export function peer(socket: Socket): string {
  return socket.remoteAddress === undefined ? 'a unix socket peer' : `${socket.remoteAddress}:${socket.remotePort}`;
}
