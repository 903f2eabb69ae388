import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { clientErrorAnswer } from '../http1/client-errors';
import type { Logger } from '../logger';
import { peer, socketAddresses, type SocketAddresses } from '../socket-addresses';
import type { ConnectionClock, Timed } from './connection-clock';
import { RequestParseError, type RequestHead, type RequestParserEvents } from './parser/request-head';
import { RequestParser } from './parser/request-parser';
import { PorticoTransport, type PorticoTransportSettings, type TransportConnection } from './portico-transport';
import { CHUNKED_CODING } from './response-head';

/** How long each phase of a connection may take, in ticks of the host's `ConnectionClock`. */
export interface ConnectionTimeouts {
  /** From a request's first byte (or the connection's start) to the end of its head: 408 (slowloris). */
  readonly headers: number;
  /** From a request's first byte to the end of its body: 408. */
  readonly request: number;
  /** Idle between requests: closed. */
  readonly keepAlive: number;
}

/** What a connection asks of the host side that accepted it. */
export interface ConnectionHost {
  readonly logger: Logger;
  readonly transportSettings: PorticoTransportSettings;
  readonly maxHeaderSize: number;
  /** The host is shutting down: a connection ends once it has nothing left to answer. */
  readonly closing: boolean;
  readonly clock: ConnectionClock;
  readonly timeouts: ConnectionTimeouts;
  /** The Unix socket path the host listens on, or null. */
  readonly unixPath: string | null;
  /** Serve a parsed request: its checks, its scope, and the app through the host's admission. */
  serve(connection: PorticoConnection, head: RequestHead, transport: PorticoTransport): void;
  /** The request of an upgrade to WebSocket the host serves, or null: the upgrade is answered as a plain request. */
  websocketRequest(socket: Socket, head: RequestHead): IncomingMessage | null;
  /** Hand the socket to the WebSocket side; `rest`: the bytes that came after the head. */
  handOver(req: IncomingMessage, socket: Socket, rest: Buffer): void;
  /** The connection is no longer the host's to time or close (closed, or handed over). */
  forget(connection: PorticoConnection): void;
}

/** Reasons to stop reading the socket, as bits. */
const BODY_QUEUED = 1;
const PIPELINE_FULL = 2;
/** Pipelined requests served at once on one connection; past it, reading waits for the oldest to finish. */
const MAX_PIPELINED = 32;
const NO_BYTES = Buffer.alloc(0);
const REQUEST_TIMEOUT: NodeJS.ErrnoException = Object.assign(new Error('Request timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' });

/** Whether an HTTP/1.0 request said `TE: chunked`, as Node asks before chunking a response to it. */
function acceptsChunks(head: RequestHead): boolean {
  if (head.versionMinor === 1) return true;
  for (const [name, value] of head.headers) if (name === 'te' && CHUNKED_CODING.test(value)) return true;
  return false;
}

/**
 * One HTTP/1.1 connection on a raw socket: bytes go to the `RequestParser`, each request it reports
 * becomes a `PorticoTransport` served by the host, and responses go out in request order, oldest
 * first (pipelining: a later one holds its bytes until the ones before it are done). Reading stops
 * while the app is behind on a request body or too many requests are open. Timeouts are checked by
 * the host's `ConnectionClock`; parse errors and timeouts get the answers `clientErrorAnswer` gives
 * them on `node:http`. An upgrade to WebSocket hands the socket over once the responses before it
 * are out.
 *
 * @example
 * const connection = new PorticoConnection(socket, host);
 */
export class PorticoConnection implements RequestParserEvents, TransportConnection, Timed {
  readonly socket: Socket;
  /** Read once: Node's address getters are slow to call per request. */
  readonly addresses: SocketAddresses;
  readonly #host: ConnectionHost;
  readonly #parser: RequestParser;
  /** Requests whose responses are not out yet, oldest first; the first one writes. */
  readonly #open: PorticoTransport[] = [];
  /** The request whose body the parser is reading. */
  #reading: PorticoTransport | null = null;
  #pausedFor = 0;
  /** The clock's tick when the request being read began, or -1 between requests. */
  #messageStart: number;
  #headDone = false;
  /** The clock's tick since when nothing is read or answered, or -1. */
  #idleSince = -1;
  /** The last request said `Connection: close`, or was an upgrade: no head after it is served. */
  #lastRequest = false;
  /** Nothing more is parsed: a request was refused, or the connection is ending. */
  #stopped = false;
  #upgrade: IncomingMessage | null = null;
  #upgradeRest: Buffer = NO_BYTES;

  constructor(socket: Socket, host: ConnectionHost) {
    this.socket = socket;
    this.#host = host;
    this.addresses = socketAddresses(socket, host.unixPath);
    this.#parser = new RequestParser(this, { maxHeaderSize: host.maxHeaderSize });
    // As on node:http, a new connection is timed as a request head from its first moment.
    this.#messageStart = host.clock.now;
    socket.on('data', this.#onData);
    socket.on('end', this.#onEnd);
    socket.on('error', this.#onError);
    socket.on('close', this.#onClose);
    socket.on('drain', this.#onDrain);
  }

  // Parser events, in wire order, during `execute`.

  onHead(head: RequestHead): void {
    this.#headDone = true;
    if (this.#lastRequest) {
      this.#ignoreAfterClose();
      return;
    }
    if (!head.keepAlive) this.#lastRequest = true;
    if (head.upgrade) {
      this.#upgradeHead(head);
      return;
    }
    const transport = this.#openTransport(head, false, false);
    if (!transport.parsedWhole) this.#reading = transport;
    this.#host.serve(this, head, transport);
  }

  onBody(chunk: Buffer): void {
    this.#reading?.pushBody(chunk);
  }

  onMessageEnd(): void {
    const reading = this.#reading;
    this.#reading = null;
    reading?.endBody();
    this.#messageStart = -1;
    this.#headDone = false;
  }

  /** The host refused the request just parsed (it answers 400): nothing after it is read. */
  refuse(): void {
    this.#stopped = true;
    this.#lastRequest = true;
    this.#reading = null;
  }

  // What the transports ask.

  responseDone(transport: PorticoTransport): void {
    if (transport === this.#open[0]) this.#advance();
  }

  bodyFull(): void {
    this.#pause(BODY_QUEUED);
  }

  bodyRead(): void {
    this.#resume(BODY_QUEUED);
  }

  /** Called by the host's clock. */
  check(now: number): void {
    // A stopped connection is closing on its own.
    if (this.#stopped) return;
    const timeouts = this.#host.timeouts;
    if (this.#messageStart >= 0) {
      if (now - this.#messageStart >= (this.#headDone ? timeouts.request : timeouts.headers)) this.#clientError(REQUEST_TIMEOUT);
    } else if (this.#idleSince >= 0 && now - this.#idleSince >= timeouts.keepAlive) {
      this.socket.destroy();
    }
  }

  /**
   * The host is shutting down: a connection that never sent a byte or has nothing left to answer
   * closes now (nothing on it can be lost); the others end once their responses are out.
   */
  shutdown(): void {
    if (this.socket.bytesRead === 0 || (this.#open.length === 0 && this.#parser.idle && this.#upgrade === null)) this.socket.destroy();
  }

  readonly #onData = (data: Buffer): void => {
    if (this.#stopped) return;
    if (this.#messageStart < 0) {
      this.#messageStart = this.#host.clock.now;
      this.#idleSince = -1;
    }
    let consumed: number;
    try {
      consumed = this.#parser.execute(data);
    } catch (error) {
      if (!(error instanceof RequestParseError)) throw error;
      if (!this.#stopped) this.#parseError(error);
      return;
    }
    if (this.#upgrade !== null) {
      this.#upgradeRest = data.subarray(consumed);
      if (this.#open.length === 0) this.#handOver();
    } else if (!this.#parser.idle) {
      // A request began after the last one ended, within these bytes.
      if (this.#messageStart < 0) this.#messageStart = this.#host.clock.now;
    } else if (this.#open.length === 0 && this.#idleSince < 0 && !this.#stopped) {
      // A body read on after its response went out has ended: the connection is idle now.
      this.#idleSince = this.#host.clock.now;
    }
  };

  /** The client ended its side. As on node:http, the requests in flight are dropped and ours ends too. */
  readonly #onEnd = (): void => {
    if (!this.#stopped) {
      try {
        this.#parser.finish();
      } catch (error) {
        if (!(error instanceof RequestParseError)) throw error;
        this.#parseError(error);
        return;
      }
    }
    this.#leaveAll();
    if (this.socket.writable) this.socket.end();
  };

  readonly #onError = (error: NodeJS.ErrnoException): void => {
    // Resets and broken pipes are the client's business.
    this.#host.logger.debug(`Connection from ${peer(this.socket)} closed: ${error.message} (${error.code ?? 'no code'})`);
    this.socket.destroy();
  };

  readonly #onClose = (): void => {
    this.#host.forget(this);
    this.#upgrade = null;
    this.#leaveAll();
  };

  readonly #onDrain = (): void => {
    this.#open[0]?.drained();
  };

  #openTransport(head: RequestHead, bodyless: boolean, close: boolean): PorticoTransport {
    const transport = new PorticoTransport(this, this.#host.transportSettings, head, acceptsChunks(head), bodyless, close);
    const open = this.#open;
    open.push(transport);
    this.#idleSince = -1;
    if (open.length === 1) transport.startWriting();
    else if (open.length > MAX_PIPELINED) this.#pause(PIPELINE_FULL);
    return transport;
  }

  /** The oldest response ended or was cut: drop the finished ones and let the next write. */
  #advance(): void {
    const open = this.#open;
    for (;;) {
      const front = open[0];
      if (front === undefined) return this.#idle();
      if (front.aborted) return this.#end();
      if (!front.finished) return;
      open.shift();
      if (front === this.#reading) {
        // As Node's req._dump(): the rest of a body the app did not read is read and dropped.
        front.discardBody();
        this.#resume(BODY_QUEUED);
      }
      if (front.closes) return this.#end();
      if (open.length <= MAX_PIPELINED) this.#resume(PIPELINE_FULL);
      open[0]?.startWriting();
    }
  }

  /** Every response is out. */
  #idle(): void {
    if (this.#upgrade !== null) return this.#handOver();
    if (this.#host.closing) return this.#end();
    if (this.#parser.idle && this.#reading === null) this.#idleSince = this.#host.clock.now;
  }

  /** Close once the bytes written are out; whatever else comes is not read. */
  #end(): void {
    this.#stopped = true;
    this.socket.destroySoon();
  }

  #upgradeHead(head: RequestHead): void {
    // The parser stopped after this head: what follows is another protocol's, or nothing we read.
    this.#messageStart = -1;
    this.#stopped = true;
    if (head.method === 'CONNECT') {
      // As node:http with no 'connect' listener: closed unanswered.
      this.#host.logger.debug(`CONNECT from ${peer(this.socket)} closed: this server is no proxy`);
      this.socket.destroy();
      return;
    }
    const req = this.#host.websocketRequest(this.socket, head);
    if (req !== null) {
      this.#upgrade = req;
      this.#stopReading();
      return;
    }
    // Another protocol (h2c, ...) is not offered: answer the plain HTTP request it also is, then close.
    this.#host.serve(this, head, this.#openTransport(head, true, true));
  }

  /** Leave the bytes to come in the socket, neither read nor flowing, for the next 'data' listener (ws's): Node's own hand-over. */
  #stopReading(): void {
    this.socket.off('data', this.#onData);
    (this.socket as { readableFlowing: boolean | null }).readableFlowing = null;
  }

  #handOver(): void {
    const req = this.#upgrade as IncomingMessage;
    this.#upgrade = null;
    const socket = this.socket;
    this.#host.forget(this);
    socket.off('end', this.#onEnd);
    socket.off('close', this.#onClose);
    socket.off('drain', this.#onDrain);
    this.#host.handOver(req, socket, this.#upgradeRest);
  }

  /**
   * Bytes after a request that said `Connection: close` (RFC 9112 9.6): that request is still
   * answered, then the connection ends; the rest is never read, so nothing is smuggled.
   */
  #ignoreAfterClose(): void {
    this.#host.logger.debug(`Ignored data after 'Connection: close' from ${peer(this.socket)}`);
    this.#stopped = true;
    this.#reading = null;
    if (this.#open.length === 0) this.socket.destroy();
  }

  #parseError(error: RequestParseError): void {
    if (error.code === 'HPE_CLOSED_CONNECTION') this.#ignoreAfterClose();
    else this.#clientError(error);
  }

  /** A request the parser refused, or one too slow: answer as node:http does (when nothing else is on the wire), and close. */
  #clientError(error: NodeJS.ErrnoException): void {
    this.#stopped = true;
    const socket = this.socket;
    const { response, warn } = clientErrorAnswer(error);
    const logger = this.#host.logger;
    if (warn) logger.warning(`Invalid HTTP request received from ${peer(socket)}: ${error.message} (${error.code})`);
    else logger.debug(`Connection from ${peer(socket)} closed: ${error.message} (${error.code ?? 'no code'})`);
    const last = this.#open.at(-1);
    // Answer only when no bytes of an earlier response are on the wire, or held to go out.
    const answerable = last === undefined || last.answerable;
    last?.leave();
    if (response !== null && socket.writable && answerable) socket.write(response);
    socket.destroy();
  }

  #leaveAll(): void {
    this.#reading = null;
    for (const transport of this.#open.splice(0)) transport.leave();
  }

  #pause(reason: number): void {
    if (this.#pausedFor === 0) this.socket.pause();
    this.#pausedFor |= reason;
  }

  #resume(reason: number): void {
    if ((this.#pausedFor & reason) === 0) return;
    this.#pausedFor &= ~reason;
    if (this.#pausedFor === 0 && !this.#stopped) this.socket.resume();
  }
}
