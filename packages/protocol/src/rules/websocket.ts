import { ProtocolError } from '../errors';
import type { Extensions, SendEvent, WebSocketSendEvent, WebSocketServerEvent } from '../types';

/**
 * Where a WebSocket connection stands for the app. `handshake`: neither accepted nor refused;
 * `open`: accepted; `denial`: answering the upgrade with an HTTP response; `closed`: the app
 * closed it or finished the denial response.
 */
export type WebSocketPhase = 'handshake' | 'open' | 'denial' | 'closed';

/** The order rules of one WebSocket connection; shared by the guard and the hosts. */
export class WebSocketCycleRules {
  phase: WebSocketPhase = 'handshake';
  /** websocket.connect was delivered. */
  connected = false;
  /** The peer is gone: websocket.disconnect was delivered. */
  disconnected = false;

  constructor(private readonly extensions: Extensions) {}

  received(event: WebSocketServerEvent): void {
    const type = (event as { type: string }).type;
    if (type !== 'websocket.connect' && type !== 'websocket.receive' && type !== 'websocket.disconnect') {
      throw new ProtocolError('event.unknown-type', `receive yielded '${type}' in a websocket scope`);
    }
    if (this.disconnected) throw new ProtocolError('websocket.event-after-disconnect', `receive yielded '${type}' after websocket.disconnect`);
    if (!this.connected && type !== 'websocket.connect') {
      throw new ProtocolError('websocket.connect-first', `receive yielded '${type}' before websocket.connect`);
    }
    if (type === 'websocket.connect') this.connected = true;
    if (type === 'websocket.disconnect') this.disconnected = true;
  }

  /** Check an event the app passes to `send`; returns it as a WebSocket event. */
  sent(event: SendEvent): WebSocketSendEvent {
    const { type } = event;
    if (this.phase === 'closed') throw new ProtocolError('websocket.send-after-close', `${type} was sent after the connection was closed`);
    switch (type) {
      case 'websocket.accept':
        if (this.phase === 'open') throw new ProtocolError('websocket.accept-twice', 'websocket.accept was sent twice');
        this.#requireNoDenial(type);
        this.phase = 'open';
        return event;
      case 'websocket.send':
        this.#requireNoDenial(type);
        if (this.phase !== 'open') throw new ProtocolError('websocket.send-before-accept', 'websocket.send was sent before websocket.accept');
        return event;
      case 'websocket.close':
        this.#requireNoDenial(type);
        this.phase = 'closed';
        return event;
      case 'websocket.http.response.start':
        if (this.extensions['websocket.http.response'] === undefined) {
          throw new ProtocolError('http.extension-missing', "'websocket.http.response' was used but this host does not list it in scope.extensions");
        }
        if (this.phase === 'open') throw new ProtocolError('websocket.denial-after-accept', 'a denial response was started after websocket.accept');
        this.#requireNoDenial(type);
        this.phase = 'denial';
        return event;
      case 'websocket.http.response.body':
        if (this.phase !== 'denial') {
          throw new ProtocolError('websocket.denial-in-progress', 'websocket.http.response.body was sent without websocket.http.response.start');
        }
        if (event.moreBody !== true) this.phase = 'closed';
        return event;
      default:
        throw new ProtocolError('event.unknown-type', `send got '${type}' in a websocket scope`);
    }
  }

  returned(): void {
    if (this.phase === 'handshake' && !this.disconnected) {
      throw new ProtocolError('websocket.no-handshake', 'the application returned without accepting, closing or denying the connection');
    }
    if (this.phase === 'denial') {
      throw new ProtocolError('websocket.no-handshake', 'the application returned before the denial response body ended');
    }
  }

  #requireNoDenial(type: string): void {
    if (this.phase === 'denial') {
      throw new ProtocolError('websocket.denial-in-progress', `${type} was sent during a denial response`);
    }
  }
}
