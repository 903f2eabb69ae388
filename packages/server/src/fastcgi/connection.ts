import type { Socket } from 'node:net';
import { writeDrained, type BodyFlow } from '../cgi/cgi-transport';
import { environmentFromPairs } from '../cgi/environment';
import type { Logger } from '../logger';
import { peer } from '../socket-addresses';
import type { FastCgiTransport, RecordSink } from './fastcgi-transport';
import {
  decodeBeginRequest,
  decodeNameValuePairs,
  encodeEndRequest,
  encodeNameValuePairs,
  encodeRecords,
  encodeUnknownType,
  FastCgiProtocolError,
  FCGI_NULL_REQUEST_ID,
  ProtocolStatus,
  RecordType,
  Role,
  type FastCgiRecord,
} from './records';

/** What a connection needs from its host. */
export interface ConnectionOwner {
  readonly logger: Logger;
  /** The host is shutting down: end connections once they are idle. */
  readonly closing: boolean;
  /** The answers to FCGI_GET_VALUES (FCGI_MAX_CONNS, FCGI_MAX_REQS, FCGI_MPXS_CONNS). */
  readonly values: ReadonlyMap<string, string>;
  /** Most FCGI_PARAMS bytes one request may send (its head); over it the request gets 431. */
  readonly maxParamsSize: number;
  /**
   * The params are complete: serve the request, and return the transport its FCGI_STDIN feeds.
   * `env` is `null` when the params went over `maxParamsSize`.
   */
  serve(requestId: number, env: Map<string, string> | null, connection: FastCgiConnection, flow: BodyFlow): FastCgiTransport;
  connectionClosed(connection: FastCgiConnection): void;
}

interface Request {
  keepConnection: boolean;
  params: Buffer[];
  paramsSize: number;
  transport: FastCgiTransport | null;
}

/** The appStatus of a request whose response was cut (a CGI script's exit status on failure). */
const APP_FAILED = 1;
/** Records only an application sends; a web server sending one is not speaking FastCGI to us. */
const APPLICATION_RECORDS = new Set<number>([RecordType.EndRequest, RecordType.Stdout, RecordType.Stderr, RecordType.GetValuesResult, RecordType.UnknownType]);
const NAMES: Record<number, string> = {
  [RecordType.EndRequest]: 'FCGI_END_REQUEST',
  [RecordType.Stdout]: 'FCGI_STDOUT',
  [RecordType.Stderr]: 'FCGI_STDERR',
  [RecordType.GetValuesResult]: 'FCGI_GET_VALUES_RESULT',
  [RecordType.UnknownType]: 'FCGI_UNKNOWN_TYPE',
};

/**
 * One connection from the web server: cuts the byte stream into records, keeps the state of each
 * request id (several at once when the server multiplexes), answers management records, and writes
 * responses with the socket's back-pressure. Bytes that are not FastCGI close the connection.
 */
export class FastCgiConnection implements RecordSink {
  readonly #socket: Socket;
  readonly #owner: ConnectionOwner;
  readonly #requests = new Map<number, Request>();
  /** Requests whose body queue is full; the socket is paused while any is. */
  readonly #pausedBy = new Set<number>();
  #parse: ((chunk: Buffer) => Iterable<FastCgiRecord>) | null;

  constructor(socket: Socket, owner: ConnectionOwner, parse: (chunk: Buffer) => Iterable<FastCgiRecord>) {
    this.#socket = socket;
    this.#owner = owner;
    this.#parse = parse;
    socket.on('data', this.#onData);
    socket.on('error', (error: NodeJS.ErrnoException) => owner.logger.debug(`FastCGI connection error: ${error.message}`));
    socket.once('close', this.#onClose);
  }

  get idle(): boolean {
    return this.#requests.size === 0;
  }

  /** End the connection once the requests on it are answered (now, if there are none). */
  endWhenIdle(): void {
    if (this.idle) this.#socket.end();
  }

  destroy(): void {
    this.#socket.destroy();
  }

  writeRecords(type: number, requestId: number, content: Uint8Array): Promise<void> {
    return writeDrained(this.#socket, encodeRecords(type, requestId, content));
  }

  finishRequest(requestId: number): void {
    if (!this.#socket.destroyed) this.#socket.write(Buffer.concat([encodeRecords(RecordType.Stdout, requestId), encodeEndRequest(requestId, 0, ProtocolStatus.RequestComplete)]));
    this.#release(requestId);
  }

  /**
   * The response of `requestId` cannot be completed, and must not look complete. Beside other active
   * requests only this one ends: FCGI_END_REQUEST with appStatus 1 and its FCGI_STDOUT never closed.
   * Alone, the connection closes once its bytes are out: FCGI_END_REQUEST is all a web server such
   * as nginx reads as the end of a response, so only a close without it makes nginx cut its client.
   */
  abortRequest(requestId: number): void {
    if (!this.#requests.has(requestId) || this.#socket.destroyed) return;
    if (this.#requests.size > 1) {
      this.#socket.write(encodeEndRequest(requestId, APP_FAILED, ProtocolStatus.RequestComplete));
      this.#release(requestId);
      return;
    }
    this.#requests.delete(requestId);
    this.#resume(requestId);
    // After the flush, not now: a destroy would drop the head and body bytes still queued.
    this.#socket.destroySoon();
  }

  /**
   * The app is done with this transport. If its response never ended (the request was aborted,
   * or the server left), the request id is released with an FCGI_END_REQUEST of its own.
   */
  requestDone(transport: FastCgiTransport): void {
    const request = this.#requests.get(transport.requestId);
    if (request?.transport !== transport) return;
    if (!this.#socket.destroyed) this.#socket.write(encodeEndRequest(transport.requestId, 0, ProtocolStatus.RequestComplete));
    this.#release(transport.requestId);
  }

  #release(requestId: number): void {
    const request = this.#requests.get(requestId);
    this.#requests.delete(requestId);
    this.#resume(requestId);
    if (request !== undefined && (!request.keepConnection || this.#owner.closing)) this.endWhenIdle();
  }

  readonly #onData = (chunk: Buffer): void => {
    if (this.#parse === null) return;
    try {
      for (const record of this.#parse(chunk)) this.#record(record);
    } catch (error) {
      if (!(error instanceof FastCgiProtocolError)) throw error;
      this.#parse = null;
      this.#owner.logger.error(`Malformed FastCGI from ${peer(this.#socket)}, closing the connection: ${error.message}`);
      this.#socket.destroy();
    }
  };

  readonly #onClose = (): void => {
    for (const request of this.#requests.values()) request.transport?.leave();
    this.#requests.clear();
    this.#owner.connectionClosed(this);
  };

  #record({ type, requestId, content }: FastCgiRecord): void {
    if (requestId === FCGI_NULL_REQUEST_ID) {
      if (type === RecordType.GetValues) this.#getValues(content);
      else this.#socket.write(encodeUnknownType(type));
      return;
    }
    if (APPLICATION_RECORDS.has(type)) throw new FastCgiProtocolError(`the web server sent ${NAMES[type]}, a record only an application sends`);
    const request = this.#requests.get(requestId);
    switch (type) {
      case RecordType.BeginRequest:
        return this.#begin(requestId, content, request);
      case RecordType.Params:
        return this.#params(requestId, content, request);
      case RecordType.Stdin:
        if (request === undefined) return; // a request we ended already: its late records are ignored (spec 3.3)
        if (request.transport === null) throw new FastCgiProtocolError(`FCGI_STDIN for request ${requestId} before its FCGI_PARAMS ended`);
        if (content.length === 0) request.transport.endBody();
        else request.transport.pushBody(content);
        return;
      case RecordType.AbortRequest:
        if (request === undefined) return;
        if (request.transport === null) this.#abortBeforeStart(requestId);
        else request.transport.leave();
        return;
      case RecordType.Data:
        return; // the filter role's second stream: a responder has none
      default:
        this.#socket.write(encodeUnknownType(type));
    }
  }

  #begin(requestId: number, content: Buffer, request: Request | undefined): void {
    if (request !== undefined) throw new FastCgiProtocolError(`FCGI_BEGIN_REQUEST for request ${requestId}, which is already active`);
    const begin = decodeBeginRequest(content);
    if (begin.role !== Role.Responder) {
      this.#owner.logger.warning(`FastCGI request ${requestId} asked for role ${begin.role}; Portico is a responder (role 1) only`);
      this.#socket.write(encodeEndRequest(requestId, 0, ProtocolStatus.UnknownRole));
      if (!begin.keepConnection) this.endWhenIdle();
      return;
    }
    this.#requests.set(requestId, { keepConnection: begin.keepConnection, params: [], paramsSize: 0, transport: null });
  }

  #params(requestId: number, content: Buffer, request: Request | undefined): void {
    if (request === undefined) return;
    if (request.transport !== null) throw new FastCgiProtocolError(`FCGI_PARAMS for request ${requestId} after its params ended`);
    if (content.length > 0) {
      request.paramsSize += content.length;
      // Past the limit the bytes are dropped, not kept: the request gets 431 once the params end.
      if (request.paramsSize <= this.#owner.maxParamsSize) request.params.push(Buffer.from(content));
      return;
    }
    const flow = { pause: () => this.#pause(requestId), resume: () => this.#resume(requestId) };
    const env = request.paramsSize > this.#owner.maxParamsSize ? null : environmentFromPairs(decodeNameValuePairs(Buffer.concat(request.params)));
    request.params = [];
    request.transport = this.#owner.serve(requestId, env, this, flow);
  }

  /** An abort before the params ended: nothing was started, so the request simply ends. */
  #abortBeforeStart(requestId: number): void {
    this.#socket.write(encodeEndRequest(requestId, 0, ProtocolStatus.RequestComplete));
    this.#release(requestId);
  }

  #getValues(content: Buffer): void {
    const asked = decodeNameValuePairs(content);
    const known = asked.flatMap(([name]): Array<[string, string]> => {
      const value = this.#owner.values.get(name);
      return value === undefined ? [] : [[name, value]];
    });
    this.#socket.write(encodeRecords(RecordType.GetValuesResult, FCGI_NULL_REQUEST_ID, encodeNameValuePairs(known)));
  }

  #pause(requestId: number): void {
    this.#pausedBy.add(requestId);
    this.#socket.pause();
  }

  #resume(requestId: number): void {
    if (this.#pausedBy.delete(requestId) && this.#pausedBy.size === 0) this.#socket.resume();
  }
}
