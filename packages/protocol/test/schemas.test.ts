import { describe, expect, it } from '@jest/globals';
import type { z } from 'zod';
import {
  type HttpReceiveEventSchema,
  HttpScopeSchema,
  HttpSendEventSchema,
  httpScope,
  type LifespanReceiveEventSchema,
  LifespanScopeSchema,
  lifespanScope,
  type LifespanSendEventSchema,
  WebSocketScopeSchema,
  websocketScope,
  WebSocketSendEventSchema,
  type WebSocketServerEventSchema,
  type HttpReceiveEvent,
  type HttpScope,
  type HttpSendEvent,
  type LifespanReceiveEvent,
  type LifespanScope,
  type LifespanSendEvent,
  type WebSocketScope,
  type WebSocketSendEvent,
  type WebSocketServerEvent,
} from '@portico/protocol';

/** True only when A and B are the same type (not merely assignable one way). */
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Agrees<Schema extends z.ZodType, T> = Equals<z.infer<Schema>, T>;

// The schemas and the hand-written types are one source of truth: this fails to compile if
// either drifts (npm run typecheck covers the tests).
const agreement: Array<true> = [
  true satisfies Agrees<typeof HttpScopeSchema, HttpScope>,
  true satisfies Agrees<typeof WebSocketScopeSchema, WebSocketScope>,
  true satisfies Agrees<typeof LifespanScopeSchema, LifespanScope>,
  true satisfies Agrees<typeof HttpReceiveEventSchema, HttpReceiveEvent>,
  true satisfies Agrees<typeof HttpSendEventSchema, HttpSendEvent>,
  true satisfies Agrees<typeof WebSocketServerEventSchema, WebSocketServerEvent>,
  true satisfies Agrees<typeof WebSocketSendEventSchema, WebSocketSendEvent>,
  true satisfies Agrees<typeof LifespanReceiveEventSchema, LifespanReceiveEvent>,
  true satisfies Agrees<typeof LifespanSendEventSchema, LifespanSendEvent>,
];

describe('schemas', () => {
  it('agree with the TypeScript types (checked at compile time)', () => {
    expect(agreement).toHaveLength(9);
  });

  it('accept the scopes the builders make', () => {
    expect(HttpScopeSchema.safeParse(httpScope({ method: 'POST', path: '/a b' })).success).toBe(true);
    expect(WebSocketScopeSchema.safeParse(websocketScope({ subprotocols: ['chat'] })).success).toBe(true);
    expect(LifespanScopeSchema.safeParse(lifespanScope({ db: 'x' })).success).toBe(true);
  });

  it('reject lower-case methods, unknown schemes and non-latin1 header values', () => {
    expect(HttpScopeSchema.safeParse(httpScope({ method: 'get' })).success).toBe(false);
    expect(HttpScopeSchema.safeParse({ ...httpScope(), scheme: 'ftp' }).success).toBe(false);
    expect(HttpScopeSchema.safeParse(httpScope({ headers: [['x-name', 'caf\u0113']] })).success).toBe(false);
  });

  it('require exactly one of text and bytes in websocket messages', () => {
    expect(WebSocketSendEventSchema.safeParse({ type: 'websocket.send', text: 'hi' }).success).toBe(true);
    expect(WebSocketSendEventSchema.safeParse({ type: 'websocket.send', bytes: new Uint8Array([1]) }).success).toBe(true);
    expect(WebSocketSendEventSchema.safeParse({ type: 'websocket.send' }).success).toBe(false);
    expect(WebSocketSendEventSchema.safeParse({ type: 'websocket.send', text: 'a', bytes: new Uint8Array() }).success).toBe(false);
  });

  it('reject close codes that may not be sent (RFC 6455 7.4)', () => {
    expect(WebSocketSendEventSchema.safeParse({ type: 'websocket.close', code: 4000 }).success).toBe(true);
    for (const code of [999, 1005, 1006, 2000, 5000]) {
      expect(WebSocketSendEventSchema.safeParse({ type: 'websocket.close', code }).success).toBe(false);
    }
  });

  it('accept a Buffer as bytes and reject strings', () => {
    expect(HttpSendEventSchema.safeParse({ type: 'http.response.body', body: Buffer.from('x') }).success).toBe(true);
    expect(HttpSendEventSchema.safeParse({ type: 'http.response.body', body: 'x' }).success).toBe(false);
  });
});
