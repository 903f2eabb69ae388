/** The cycle over a transport: what a host author relies on when writing one (failures, memory). */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from '@jest/globals';
import { httpScope, type HttpResponseStartEvent } from '@portico/protocol';
import { respond } from '@portico/protocol/conformance';
import { HttpCycle, Logger, type HttpTransport, type TransportListener } from '@portico/server';

/** A transport whose every head write throws, as Node's does on a response it cannot frame. */
class HeadlessTransport implements HttpTransport {
  readonly declaredBodyLength = 0;
  readonly parsedWhole = false;
  readonly expectsContinue = false;
  readonly bodyComplete = true;
  readonly clientGone = false;
  aborted = false;
  listen(_listener: TransportListener): void {}
  readBody(): Promise<Uint8Array | null> {
    return Promise.resolve(null);
  }
  sendContinue(): void {}
  sendEarlyHints(): Promise<void> {
    return Promise.resolve();
  }
  writeHead(): void {
    throw new TypeError('cannot write this head');
  }
  write(): Promise<void> {
    return Promise.resolve();
  }
  end(): void {}
  abort(): void {
    this.aborted = true;
  }
}

describe('a transport that cannot write the response head', () => {
  it('has its connection cut (no hang, no unhandled rejection), both errors logged', async () => {
    const lines: string[] = [];
    const logger = new Logger('info', { write: (line: string) => void lines.push(line) }, false);
    const transport = new HeadlessTransport();
    const cycle = new HttpCycle(httpScope({ path: '/x' }), transport, { logger, accessLog: null, maxBodySize: undefined, files: null });
    await cycle.run(async (_scope, _receive, send) => respond(send, 200, 'never written'));
    expect(transport.aborted).toBe(true);
    const log = lines.join('');
    expect(log).toMatch(/Exception in app while handling "GET \/x HTTP\/1\.1"[\s\S]*cannot write this head/);
    expect(log).toMatch(/Could not answer 500 to "GET \/x HTTP\/1\.1"/);
  });
});

/** A transport that takes whatever it is given. */
class AcceptingTransport extends HeadlessTransport {
  override writeHead(): void {}
}

describe('the response-start event', () => {
  it('is let go once its head is written, while the app still runs (no old-generation events under load)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const logger = new Logger('info', { write: () => undefined }, false);
    const cycle = new HttpCycle(httpScope(), new AcceptingTransport(), { logger, accessLog: null, maxBodySize: undefined, files: null });
    let start: WeakRef<object> | undefined;
    let heldWhileRunning: boolean | undefined;
    await cycle.run(async (_scope, _receive, send) => {
      // Made in a function of its own, so that nothing in this frame holds the event.
      const sendStart = (): Promise<void> => {
        const event: HttpResponseStartEvent = { type: 'http.response.start', status: 200, headers: [] };
        start = new WeakRef(event);
        return send(event);
      };
      await sendStart();
      await send({ type: 'http.response.body', body: new Uint8Array(1), moreBody: true });
      await new Promise((resolve) => setImmediate(resolve)); // a WeakRef holds its target until the job ends
      gc();
      heldWhileRunning = start?.deref() !== undefined;
      await send({ type: 'http.response.body' });
    });
    expect(start).toBeDefined();
    expect(heldWhileRunning).toBe(false);
  });
});
