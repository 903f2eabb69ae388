import { ProtocolError } from '../errors';
import type { Extensions, HttpReceiveEvent, HttpSendEvent, SendEvent } from '../types';

/**
 * Where an HTTP response stands. `start`: nothing sent yet (early hints allowed); `body`: started,
 * body open; `trailers`: body ended, announced trailers still due; `done`: complete.
 */
export type HttpResponsePhase = 'start' | 'body' | 'trailers' | 'done';

/**
 * The order rules of one HTTP request cycle, as a small state machine. The guard runs it to
 * report broken rules; hosts run the same machine so they cannot drift from the spec.
 */
export class HttpCycleRules {
  phase: HttpResponsePhase = 'start';
  /** The request body has ended (`moreBody: false`) or the client left. */
  requestDone = false;
  #trailersAnnounced = false;

  constructor(private readonly extensions: Extensions) {}

  /** Check an event the host delivers through `receive`. */
  received(event: HttpReceiveEvent): void {
    if (event.type === 'http.disconnect') {
      this.requestDone = true;
      return;
    }
    if (event.type !== 'http.request') {
      throw new ProtocolError('event.unknown-type', `receive yielded '${(event as { type: string }).type}' in an http scope`);
    }
    if (this.requestDone) {
      throw new ProtocolError('http.request-after-end', 'receive yielded http.request after the request had ended');
    }
    if (!event.moreBody) this.requestDone = true;
  }

  /** Check an event the app passes to `send`; throws ProtocolError when it breaks a rule, else returns it typed. */
  sent(event: SendEvent): HttpSendEvent {
    switch (event.type) {
      case 'http.response.start':
        if (this.phase !== 'start') throw new ProtocolError('http.start-twice', 'http.response.start was sent twice');
        if (event.trailers === true) this.#requireExtension('http.response.trailers');
        this.#trailersAnnounced = event.trailers === true;
        this.phase = 'body';
        return event;
      case 'http.response.body':
        this.#requireBodyOpen('http.response.body');
        if (event.moreBody !== true) this.#endBody();
        return event;
      case 'http.response.pathsend':
        this.#requireExtension('http.response.pathsend');
        this.#requireBodyOpen('http.response.pathsend');
        this.#endBody();
        return event;
      case 'http.response.trailers':
        if (!this.#trailersAnnounced) {
          throw new ProtocolError('http.trailers-not-announced', 'http.response.trailers was sent but http.response.start did not set trailers: true');
        }
        if (this.phase === 'body' || this.phase === 'start') {
          throw new ProtocolError('http.trailers-before-body-end', 'http.response.trailers was sent while the body was still open');
        }
        if (this.phase === 'done') throw new ProtocolError('http.body-after-end', 'http.response.trailers was sent after the response ended');
        if (event.moreTrailers !== true) this.phase = 'done';
        return event;
      case 'http.response.early_hint':
        this.#requireExtension('http.response.early_hint');
        if (this.phase !== 'start') {
          throw new ProtocolError('http.early-hint-after-start', 'http.response.early_hint was sent after http.response.start');
        }
        return event;
      default:
        throw new ProtocolError('event.unknown-type', `send got '${event.type}' in an http scope`);
    }
  }

  /** Check that the app may return now: the response must be complete. */
  returned(): void {
    if (this.phase === 'start') {
      throw new ProtocolError('http.incomplete-response', 'the application returned without sending http.response.start');
    }
    if (this.phase !== 'done') {
      throw new ProtocolError(
        'http.incomplete-response',
        this.phase === 'body'
          ? 'the application returned while the body was open (the last http.response.body had moreBody: true)'
          : 'the application returned before sending the announced http.response.trailers',
      );
    }
  }

  #requireBodyOpen(type: string): void {
    if (this.phase === 'start') throw new ProtocolError('http.body-before-start', `${type} was sent before http.response.start`);
    if (this.phase !== 'body') throw new ProtocolError('http.body-after-end', `${type} was sent after the body ended (moreBody: false)`);
  }

  #endBody(): void {
    this.phase = this.#trailersAnnounced ? 'trailers' : 'done';
  }

  #requireExtension(name: keyof Extensions): void {
    if (this.extensions[name] === undefined) {
      throw new ProtocolError('http.extension-missing', `'${name}' was used but this host does not list it in scope.extensions`);
    }
  }
}
