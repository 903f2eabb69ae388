import { CgiTransport, type BodyFlow } from '../cgi/cgi-transport';
import { RecordType } from './records';

/** The part of a FastCGI connection one request's transport writes through. */
export interface RecordSink {
  /** Write records of `type` for `requestId`; resolves when the socket drained or closed. */
  writeRecords(type: number, requestId: number, content: Uint8Array): Promise<void>;
  /** FCGI_STDOUT is complete: end the stream and send FCGI_END_REQUEST. */
  finishRequest(requestId: number): void;
  /** The response of `requestId` cannot complete: end it so that it does not look complete. */
  abortRequest(requestId: number): void;
}

/**
 * One FastCGI request as an `HttpTransport`: FCGI_STDIN records feed the body (see `CgiTransport`),
 * and the CGI head and body leave as FCGI_STDOUT records (split at 65535 bytes by the encoder).
 */
export class FastCgiTransport extends CgiTransport {
  readonly requestId: number;
  readonly #sink: RecordSink;

  constructor(requestId: number, sink: RecordSink, declaredBodyLength: number | null, flow: BodyFlow) {
    super(declaredBodyLength, flow);
    this.requestId = requestId;
    this.#sink = sink;
  }

  protected output(chunk: Uint8Array): Promise<void> {
    return this.#sink.writeRecords(RecordType.Stdout, this.requestId, chunk);
  }

  protected finish(): void {
    this.#sink.finishRequest(this.requestId);
  }

  /** Ends this request only; the others multiplexed on the connection go on (see `abortRequest`). */
  abort(): void {
    this.#sink.abortRequest(this.requestId);
  }
}
