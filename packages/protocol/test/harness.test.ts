import { describe, expect, it } from '@jest/globals';
import { AppHarness, HarnessTimeoutError, httpScope, type App, type HttpReceive, type HttpSend } from '@portico/protocol';

const echo: App = async (_scope, receive, send) => {
  const chunks: Uint8Array[] = [];
  for (;;) {
    const event = await (receive as HttpReceive)();
    if (event.type === 'http.disconnect') return;
    chunks.push(event.body);
    if (!event.moreBody) break;
  }
  await (send as HttpSend)({ type: 'http.response.start', status: 200 });
  await (send as HttpSend)({ type: 'http.response.body', body: Buffer.concat(chunks) });
};

describe('AppHarness', () => {
  it('feeds events to the app and reads what it sends, in order', async () => {
    const harness = new AppHarness(echo, httpScope({ method: 'POST' }));
    harness.sendInput({ type: 'http.request', body: Buffer.from('hel'), moreBody: true });
    expect(await harness.receiveNothing()).toBe(true);
    harness.sendInput({ type: 'http.request', body: Buffer.from('lo'), moreBody: false });
    expect(await harness.receiveOutput()).toEqual({ type: 'http.response.start', status: 200 });
    const body = await harness.receiveOutput();
    expect(body.type === 'http.response.body' && Buffer.from(body.body!).toString()).toBe('hello');
    await harness.wait();
    expect(harness.done).toBe(true);
  });

  it('throws HarnessTimeoutError when the app sends nothing in time', async () => {
    const harness = new AppHarness(echo, httpScope());
    await expect(harness.receiveOutput(20)).rejects.toBeInstanceOf(HarnessTimeoutError);
    await expect(harness.wait(20)).rejects.toThrow(/did not return within 20 ms/);
  });

  it('rethrows the error the app failed with', async () => {
    const failure = new Error('app failed');
    const harness = new AppHarness(async () => {
      throw failure;
    }, httpScope());
    await expect(harness.receiveOutput()).rejects.toBe(failure);
    await expect(harness.wait()).rejects.toBe(failure);
  });

  it('says so when the app returned without sending more', async () => {
    const harness = new AppHarness(async () => undefined, httpScope());
    await expect(harness.receiveOutput()).rejects.toThrow(/returned without sending/);
    expect(await harness.receiveNothing()).toBe(true);
  });

  it('lets the app see a disconnect', async () => {
    const harness = new AppHarness(echo, httpScope());
    harness.sendInput({ type: 'http.disconnect' });
    await harness.wait();
    expect(await harness.receiveNothing()).toBe(true);
  });

  it('does not lose output that arrives after receiveNothing gave up waiting', async () => {
    const harness = new AppHarness(echo, httpScope());
    expect(await harness.receiveNothing(10)).toBe(true);
    harness.sendInput({ type: 'http.request', body: new Uint8Array(), moreBody: false });
    expect((await harness.receiveOutput()).type).toBe('http.response.start');
    expect((await harness.receiveOutput()).type).toBe('http.response.body');
  });
});
