/**
 * Random bytes after a valid WebSocket upgrade: the server (the ws library does the framing)
 * closes with a protocol code or keeps the connection, never crashes, and serves the next client.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Server } from '@portico/server';
import fc from 'fast-check';
import { RawClient } from '../support/raw-http';
import { withTestHttp1 } from '../support/servers';
import { HANDSHAKE, closeOf, opened, websocketApp } from '../support/websockets';
import { checkProperty } from '../../../framework/test/reliability/fuzz-settings';

const MAX_SIZE = 1024;

const echoApp = websocketApp(async (_scope, receive, send) => {
  await receive();
  await send({ type: 'websocket.accept' });
  for (;;) {
    const event = await receive();
    if (event.type !== 'websocket.receive') return;
    await send(event.text !== undefined ? { type: 'websocket.send', text: event.text } : { type: 'websocket.send', bytes: event.bytes as Uint8Array });
  }
});

/** A client frame: masked unless `masked` is false. */
function frame(opcode: number, payload: Uint8Array, options: { fin?: boolean; rsv?: number; masked?: boolean } = {}): Buffer {
  const { fin = true, rsv = 0, masked = true } = options;
  const length = payload.length;
  const header = [((fin ? 0x80 : 0) | (rsv << 4) | opcode) & 0xff];
  const lengthBytes = length < 126 ? [length] : length < 65536 ? [126, length >> 8, length & 0xff] : [127, 0, 0, 0, 0, (length >>> 24) & 0xff, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff];
  lengthBytes[0] = (lengthBytes[0] as number) | (masked ? 0x80 : 0);
  const key = [0x12, 0x34, 0x56, 0x78];
  const body = Buffer.from(payload.map((byte, i) => (masked ? byte ^ (key[i % 4] as number) : byte)));
  return Buffer.concat([Buffer.from([...header, ...lengthBytes, ...(masked ? key : [])]), body]);
}

/** The close code in the server's frames, if it sent a close frame (1005 for a close without a code, as RFC 6455 7.1.5 names it). */
function closeCode(bytes: Buffer): number | undefined {
  let at = 0;
  while (at + 2 <= bytes.length) {
    const opcode = (bytes[at] as number) & 0x0f;
    let length = (bytes[at + 1] as number) & 0x7f;
    let start = at + 2;
    if (length === 126) [length, start] = [bytes.readUInt16BE(at + 2), at + 4];
    else if (length === 127) [length, start] = [Number(bytes.readBigUInt64BE(at + 2)), at + 10];
    if (opcode === 8) return length >= 2 ? bytes.readUInt16BE(start) : 1005;
    at = start + length;
  }
  return undefined;
}

describe('WebSocket frames at the raw level', () => {
  let server: Server;
  let url: string;
  let port: number;
  beforeAll(async () => {
    server = new Server(echoApp, withTestHttp1({ port: 0, logLevel: 'critical', useColors: false, wsMaxSize: MAX_SIZE, wsPerMessageDeflate: false, wsPingInterval: 0 }));
    await server.start();
    url = server.url;
    port = server.address.kind === 'tcp' ? server.address.port : 0;
  });
  afterAll(() => server.close());

  /** Upgrade, send `bytes`, wait for the close or for quiet; returns the close code the server sent. */
  async function afterUpgrade(bytes: Uint8Array, waitMs = 60): Promise<number | undefined> {
    const client = await RawClient.connect({ port });
    try {
      client.write(HANDSHAKE('/'));
      const upgrade = await client.readResponse({ noBody: true });
      expect(upgrade.status).toBe(101);
      client.write(bytes);
      const deadline = Date.now() + waitMs;
      while (closeCode(client.pending) === undefined && !client.ended && Date.now() < deadline) {
        await Promise.race([client.untilReceived(client.pending.length + 1), new Promise((resolve) => setTimeout(resolve, 20))]);
      }
      return closeCode(client.pending);
    } finally {
      client.close();
    }
  }

  async function expectServing(): Promise<void> {
    const ws = await opened(url);
    const echoed = new Promise<string>((resolve) => ws.once('message', (data: Buffer) => resolve(data.toString())));
    ws.send('still here');
    expect(await echoed).toBe('still here');
    ws.close();
    await closeOf(ws);
  }

  it.each([
    ['an unmasked frame', frame(1, Buffer.from('hi'), { masked: false }), 1002],
    ['RSV1 set without a negotiated extension', frame(1, Buffer.from('hi'), { rsv: 4 }), 1002],
    ['a reserved opcode (3)', frame(3, Buffer.from('hi')), 1002],
    ['a fragmented ping', frame(9, Buffer.from('hi'), { fin: false }), 1002],
    ['a continuation with nothing to continue', frame(0, Buffer.from('hi')), 1002],
    ['text that is not UTF-8', frame(1, Buffer.from([0xc3, 0x28])), 1007],
    ['a message over wsMaxSize', frame(2, Buffer.alloc(MAX_SIZE + 1)), 1009],
    ['a close frame with a one-byte payload', frame(8, Buffer.from([3])), 1002],
    ['a close frame with a reserved code (1004)', frame(8, Buffer.from([0x03, 0xec])), 1002],
  ])('%s is closed with its protocol code', async (_name, bytes, code) => {
    expect(await afterUpgrade(bytes, 3000)).toBe(code);
    await expectServing();
  });

  it('random frames and bytes: a close with a valid code, or the connection kept; the server serves on', async () => {
    const randomFrame = fc
      .record({ opcode: fc.nat(15), payload: fc.uint8Array({ maxLength: 40 }), fin: fc.boolean(), rsv: fc.nat(7), masked: fc.boolean() })
      .map(({ opcode, payload, ...options }) => frame(opcode, payload, options));
    const stream = fc.array(fc.oneof(randomFrame, fc.uint8Array({ minLength: 1, maxLength: 24 }).map((bytes) => Buffer.from(bytes))), { minLength: 1, maxLength: 4 });
    await checkProperty(
      fc.asyncProperty(stream, async (parts) => {
        const code = await afterUpgrade(Buffer.concat(parts));
        // An empty close is answered with an empty one (1005); any other code must be one a peer may send.
        if (code !== undefined) expect((code >= 1000 && code <= 1014 && ![1004, 1006].includes(code)) || (code >= 3000 && code <= 4999)).toBe(true);
      }),
      60,
    );
    await expectServing();
  });
});
