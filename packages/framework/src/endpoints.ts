import type { WebSocketServerEvent } from '@portico/protocol';
import type { PathParamsRecord } from './routing/path-pattern';
import type { WebSocket } from './websockets';

/** How a WebSocketEndpoint decodes messages before `onReceive`: as text, as bytes, or as JSON (from either). */
export type WebSocketEncoding = 'text' | 'bytes' | 'json';

/** RFC 6455 7.4.1: the peer sent a kind of data this endpoint does not take. */
const UNSUPPORTED_DATA = 1003;

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * A WebSocket conversation as a class: `onConnect` (accepts by default), `onReceive` for each
 * message decoded by `encoding`, and `onDisconnect` with the close code once it ends. A message
 * of the wrong kind (bytes for `'text'`, bad JSON for `'json'`) closes the connection with 1003.
 * Give the class itself to a WebSocketRoute.
 *
 * @example
 * class Echo extends WebSocketEndpoint {
 *   override encoding = 'json' as const;
 *   override async onReceive(websocket: WebSocket, data: unknown) {
 *     await websocket.sendJson({ echo: data });
 *   }
 * }
 * new WebSocketRoute('/echo', Echo);
 */
export class WebSocketEndpoint<Params extends object = PathParamsRecord> {
  /** Tells a WebSocketRoute this is an endpoint class, not a handler function. */
  static readonly isWebSocketEndpoint = true as const;
  /** Undefined: `onReceive` gets the text or the bytes as they came. */
  encoding: WebSocketEncoding | undefined = undefined;
  readonly websocket: WebSocket<Params>;

  constructor(websocket: WebSocket<Params>) {
    this.websocket = websocket;
  }

  /** Run the conversation; the route calls it. */
  async dispatch(): Promise<void> {
    const websocket = this.websocket;
    await this.onConnect(websocket);
    if (websocket.applicationState !== 'connected') return; // onConnect refused or closed it
    let closeCode = 1000;
    try {
      for (;;) {
        const event = await websocket.receive();
        if (event.type === 'websocket.disconnect') {
          closeCode = event.code;
          break;
        }
        if (event.type !== 'websocket.receive') continue;
        const decoded = this.#decode(event);
        if ('unsupported' in decoded) {
          closeCode = UNSUPPORTED_DATA;
          await websocket.close(UNSUPPORTED_DATA, decoded.unsupported);
          break;
        }
        await this.onReceive(websocket, decoded.value);
      }
    } catch (error) {
      closeCode = 1011;
      throw error;
    } finally {
      await this.onDisconnect(websocket, closeCode);
    }
  }

  /** Called first; accept (the default) or close the connection. */
  async onConnect(websocket: WebSocket<Params>): Promise<void> {
    await websocket.accept();
  }

  /** Called for each message, decoded by `encoding`. */
  async onReceive(_websocket: WebSocket<Params>, _data: unknown): Promise<void> {}

  /** Called once the conversation ended, with the close code (the peer's, 1003, or 1011 when a hook threw). */
  async onDisconnect(_websocket: WebSocket<Params>, _closeCode: number): Promise<void> {}

  #decode(event: WebSocketServerEvent & { type: 'websocket.receive' }): { value: unknown } | { unsupported: string } {
    switch (this.encoding) {
      case 'text':
        return event.text !== undefined ? { value: event.text } : { unsupported: 'expected text messages' };
      case 'bytes':
        return event.bytes !== undefined ? { value: event.bytes } : { unsupported: 'expected bytes messages' };
      case 'json':
        try {
          return { value: JSON.parse(event.text ?? decoder.decode(event.bytes)) };
        } catch {
          return { unsupported: 'malformed JSON' };
        }
      default:
        return { value: event.text ?? event.bytes };
    }
  }
}
