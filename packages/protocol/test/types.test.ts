import { expect, it } from '@jest/globals';
import type { HttpReceiveEvent, HttpSendEvent, LifespanSendEvent, WebSocketSendEvent } from '@portico/protocol';

/** Handlers that switch on `type`: the compiler proves each switch exhaustive (`never`). */
function describeSend(event: HttpSendEvent): string {
  switch (event.type) {
    case 'http.response.start':
      return `start ${event.status}`;
    case 'http.response.body':
      return `body ${event.body?.length ?? 0}`;
    case 'http.response.trailers':
      return 'trailers';
    case 'http.response.pathsend':
      return `file ${event.path}`;
    case 'http.response.early_hint':
      return `hints ${event.links.length}`;
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

function describeReceive(event: HttpReceiveEvent): string {
  switch (event.type) {
    case 'http.request':
      return `request ${event.body.length} more=${event.moreBody}`;
    case 'http.disconnect':
      return 'disconnect';
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

function describeWebSocket(event: WebSocketSendEvent | LifespanSendEvent): string {
  switch (event.type) {
    case 'websocket.send':
      return event.text ?? `${event.bytes.length} bytes`;
    case 'websocket.accept':
    case 'websocket.close':
    case 'websocket.http.response.start':
    case 'websocket.http.response.body':
    case 'lifespan.startup.complete':
    case 'lifespan.shutdown.complete':
      return event.type;
    case 'lifespan.startup.failed':
    case 'lifespan.shutdown.failed':
      return event.message;
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

it('narrows every event union by its type (exhaustiveness is checked by tsc)', () => {
  expect(describeSend({ type: 'http.response.start', status: 204 })).toBe('start 204');
  expect(describeReceive({ type: 'http.request', body: new Uint8Array(3), moreBody: true })).toBe('request 3 more=true');
  expect(describeWebSocket({ type: 'websocket.send', bytes: new Uint8Array(2) })).toBe('2 bytes');
  expect(describeWebSocket({ type: 'lifespan.startup.failed', message: 'no db' })).toBe('no db');
});
