/**
 * Slow and vanishing clients: a reader far slower than the server, 500 clients that leave
 * halfway, and a slowloris crowd. Each server is a child process (support/server-process.ts),
 * so its memory, descriptors and handles are measured apart from the clients'.
 */
import { request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from '@jest/globals';
import { openSocket, openSockets, receive, settle } from './support/clients';
import { mib, report } from './support/figures';
import type { ServerStats } from './support/messages';
import { ServerProcess } from './support/server-process';

const KiB = 1024;
const MiB = 1024 * KiB;

let server: ServerProcess | undefined;
let sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets = [];
  await server?.stop();
  server = undefined;
});

/** A request that closes its connection, read whole: warms a route up without leaving a keep-alive socket. */
function fetchOnce(url: string, path: string, init: { method?: string; body?: Buffer; headers?: Record<string, string> } = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, { method: init.method ?? 'GET', agent: false, headers: { connection: 'close', ...init.headers } }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    });
    req.once('error', reject);
    req.end(init.body);
  });
}

/** Timers, sockets and other handles that keep the server's event loop alive, as `kind: count` pairs. */
function handles(stats: ServerStats): string {
  return Object.entries(stats.resources)
    .sort()
    .map(([kind, count]) => `${kind} ${count}`)
    .join(', ');
}

describe('a slow reader', () => {
  it('of a 50 MiB streamed response keeps the server RSS growth under 20 MiB', async () => {
    server = await ServerProcess.start('soak');
    expect(await fetchOnce(server.url, '/stream?mib=4')).toBe(200); // warm-up: the route and the write path
    const before = (await server.stats(true)).rss;
    server.resetPeak();

    // 1 KiB per millisecond (what timers allow; 1 byte/ms would take 14 hours for 50 MiB) for the first 5 MiB, then leave.
    const socket = await openSocket(server.url);
    sockets.push(socket);
    socket.pause();
    socket.write('GET /stream?mib=50 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const target = 5 * MiB;
    const started = Date.now();
    let read = 0;
    let peakSample = before;
    while (read < target && Date.now() - started < 30_000) {
      const chunk = socket.read(KiB) as Buffer | null;
      if (chunk !== null) read += chunk.length;
      if (read % (256 * KiB) < KiB) peakSample = Math.max(peakSample, server.rss());
      await sleep(1);
    }
    const seconds = (Date.now() - started) / 1000;
    const peak = Math.max(server.peakRss(), peakSample);
    socket.destroy();

    report('slow reader: 5 MiB of a 50 MiB stream, 1 KiB per timer tick', [
      ['read', `${mib(read)} in ${seconds.toFixed(1)} s (${(read / KiB / seconds).toFixed(0)} KiB/s)`],
      ['server RSS before', mib(before)],
      ['server peak RSS', mib(peak)],
      ['growth', mib(peak - before)],
    ]);
    expect(read).toBeGreaterThanOrEqual(target);
    expect(peak - before).toBeLessThan(20 * MiB);
  }, 60_000);
});

describe('500 clients that leave halfway', () => {
  it('leave no timers, sockets, file descriptors or temp files behind', async () => {
    server = await ServerProcess.start('soak', {}, { trackTimers: true });
    const { url } = server;
    const boundary = 'soak-boundary';
    const formHead = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
    const formBody = (size: number): Buffer => Buffer.concat([Buffer.from(formHead), Buffer.alloc(size, 0x62), Buffer.from(`\r\n--${boundary}--\r\n`)]);
    const formType = `multipart/form-data; boundary=${boundary}`;
    // Warm-up: every route once, whole, so that what loads lazily is in the baseline.
    expect(await fetchOnce(url, '/stream?mib=1')).toBe(200);
    expect(await fetchOnce(url, '/upload', { method: 'POST', body: Buffer.alloc(MiB) })).toBe(201);
    expect(await fetchOnce(url, '/form', { method: 'POST', body: formBody(64 * KiB), headers: { 'content-type': formType } })).toBe(200);
    const baselineProbe = await settle(() => server!.stats(), (stats) => stats.files === 1, 5_000); // the warm-up upload's file
    const baseline = baselineProbe.value;

    const declared = 4 * MiB;
    const half = 256 * KiB;
    const uploads = await openSockets(url, 125);
    const forms = await openSockets(url, 125);
    const readers = await openSockets(url, 250);
    sockets = [...uploads, ...forms, ...readers];
    for (const socket of uploads) {
      socket.write(`POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${declared}\r\n\r\n`);
      socket.write(Buffer.alloc(half, 0x61));
    }
    for (const socket of forms) {
      socket.write(`POST /form HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${formType}\r\nContent-Length: ${declared}\r\n\r\n${formHead}`);
      socket.write(Buffer.alloc(half, 0x62));
    }
    for (const socket of readers) socket.write('GET /stream?mib=50 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const midResponse = await Promise.all(readers.map((socket) => receive(socket, 128 * KiB)));
    // Half bodies in: every upload has its file, every form its spooled temp file.
    const during = await settle(() => server!.stats(), (stats) => stats.files >= baseline.files + 250, 10_000);

    // Leave: half with FIN, half with RST.
    sockets.forEach((socket, index) => (index % 2 === 0 ? socket.destroy() : socket.resetAndDestroy()));
    const back = (stats: ServerStats): boolean =>
      stats.fds <= baseline.fds && stats.files <= baseline.files && (stats.timers ?? 0) <= (baseline.timers ?? 0) && handles(stats) === handles(baseline);
    const after = await settle(() => server!.stats(), back, 15_000);

    report('500 clients leaving halfway (125 uploads, 125 multipart forms at 256 KiB of 4 MiB; 250 readers of a 50 MiB stream after 128 KiB)', [
      ['baseline', `${baseline.fds} fds, ${baseline.files} files (the warm-up upload), ${baseline.timers} timers; ${handles(baseline)}`],
      ['before leaving', `${during.value.fds} fds, ${during.value.files} files, ${during.value.timers} timers; ${handles(during.value)}`],
      ['after leaving', `${after.value.fds} fds, ${after.value.files} files, ${after.value.timers} timers; ${handles(after.value)}`],
      ['back to baseline in', `${after.ms} ms`],
    ]);
    expect(midResponse.every(Boolean)).toBe(true);
    expect(during.value.files).toBeGreaterThanOrEqual(baseline.files + 250);
    expect(during.value.fds).toBeGreaterThanOrEqual(baseline.fds + 500);
    expect(after.value.fds).toBe(baseline.fds);
    expect(after.value.files).toBe(baseline.files);
    // A timer of the server's own may come and go (the Date header's); a leak would be hundreds.
    expect(after.value.timers).toBeLessThanOrEqual(baseline.timers ?? 0);
    expect(after.value.resources).toEqual(baseline.resources);
  }, 90_000);
});

describe('a slowloris crowd of 500 connections', () => {
  const timeoutHeaders = 5;

  it('does not stop a normal client being served, and is closed by the headers timeout', async () => {
    server = await ServerProcess.start('soak', { timeoutHeaders });
    const { url } = server;
    expect(await fetchOnce(url, '/')).toBe(200);

    const slow = await openSockets(url, 500);
    sockets = slow;
    const opened = Date.now();
    const closedAfter: number[] = [];
    let answered408 = 0;
    for (const socket of slow) {
      socket.on('data', (chunk: Buffer) => void (chunk.toString('latin1').startsWith('HTTP/1.1 408') && answered408++));
      socket.once('close', () => closedAfter.push(Date.now() - opened));
      socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    }
    // One more header byte per connection every second, and a normal request every 250 ms, until
    // every slow connection is closed or twice the timeout passed.
    const latencies: number[] = [];
    const drip = setInterval(() => slow.forEach((socket) => socket.writable && socket.write('a')), 1000);
    try {
      while (closedAfter.length < slow.length && Date.now() - opened < 2 * timeoutHeaders * 1000) {
        const started = performance.now();
        expect(await fetchOnce(url, '/')).toBe(200);
        latencies.push(performance.now() - started);
        await sleep(250);
      }
    } finally {
      clearInterval(drip);
    }
    const stats = await server.stats();

    latencies.sort((a, b) => a - b);
    closedAfter.sort((a, b) => a - b);
    report(`slowloris: 500 connections, a header byte per second each, timeoutHeaders ${timeoutHeaders} s`, [
      ['normal requests meanwhile', `${latencies.length}, latency median ${latencies[latencies.length >> 1]!.toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`],
      ['slow connections closed', `${closedAfter.length} of 500 (${answered408} answered 408), after ${((closedAfter[0] ?? NaN) / 1000).toFixed(1)} to ${((closedAfter.at(-1) ?? NaN) / 1000).toFixed(1)} s`],
      ['server afterwards', `${stats.fds} fds; ${handles(stats)}`],
    ]);
    expect(latencies.at(-1)).toBeLessThan(2000);
    expect(closedAfter).toHaveLength(500);
    expect(closedAfter.at(-1)).toBeLessThan((timeoutHeaders + 3) * 1000);
  }, 60_000);
});
