/** What a user runs: `portico serve examples/chat/app.ts`, two browsers' worth of WebSocket clients talking. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from '@jest/globals';
import WebSocket from 'ws';

const REPO = join(__dirname, '..', '..', '..');
/** The CLI from its TypeScript sources (compiled on the fly as in the server's CLI tests), so it is never a stale build. */
const CLI = ['-r', join(REPO, 'packages', 'server', 'test', 'support', 'swc-register.js'), join(REPO, 'packages', 'server', 'src', 'cli', 'bin.ts')];

/** A client that queues what it receives, parsed as JSON. */
async function member(origin: string, name: string): Promise<{ ws: WebSocket; next: () => Promise<unknown> }> {
  const ws = new WebSocket(`${origin.replace('http', 'ws')}/rooms/lobby?name=${name}`);
  const inbox: unknown[] = [];
  const waiting: Array<(value: unknown) => void> = [];
  ws.on('message', (data) => {
    const value: unknown = JSON.parse(String(data));
    const waiter = waiting.shift();
    if (waiter) waiter(value);
    else inbox.push(value);
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const next = (): Promise<unknown> => (inbox.length > 0 ? Promise.resolve(inbox.shift()) : new Promise((resolve) => waiting.push(resolve)));
  return { ws, next };
}

it('serves the page and lets two WebSocket clients talk through the room, then stops cleanly on SIGTERM', async () => {
  const cli = spawn(process.execPath, [...CLI, 'serve', 'examples/chat/app.ts', '--port', '0'], {
    cwd: REPO,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => cli.once('close', resolve));
  let stopping = false;
  try {
    const origin = await new Promise<string>((resolve, reject) => {
      let log = '';
      cli.stderr.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        const match = /running on (http:\/\/\S+)/.exec(log);
        if (match) resolve(match[1]!);
      });
      void exited.then((code) => reject(new Error(`portico exited with ${code}:\n${log}`)));
    });
    const page = await fetch(origin);
    expect(await page.text()).toContain('<title>Portico chat</title>');

    const ada = await member(origin, 'ada');
    expect(await ada.next()).toEqual({ type: 'joined', who: 'ada', members: 1 });
    const bob = await member(origin, 'bob');
    expect(await bob.next()).toEqual({ type: 'joined', who: 'bob', members: 2 });
    expect(await ada.next()).toEqual({ type: 'joined', who: 'bob', members: 2 });

    ada.ws.send('hi bob');
    expect(await bob.next()).toEqual({ type: 'message', from: 'ada', text: 'hi bob' });
    bob.ws.send('hi ada');
    expect(await ada.next()).toEqual({ type: 'message', from: 'ada', text: 'hi bob' });
    expect(await ada.next()).toEqual({ type: 'message', from: 'bob', text: 'hi ada' });

    // Shutdown closes the open sockets with 1001 (Going Away) instead of waiting for them.
    const closes = [ada, bob].map(({ ws }) => new Promise<number>((resolve) => ws.once('close', resolve)));
    stopping = true;
    cli.kill('SIGTERM');
    expect(await Promise.all(closes)).toEqual([1001, 1001]);
  } finally {
    // A second signal would force the exit: send one only if the test failed before its own.
    if (!stopping) cli.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
}, 60_000);
