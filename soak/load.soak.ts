/**
 * Load: every route of examples/notes over 200 keep-alive connections, thousands of idle
 * connections and WebSockets held by examples/chat, and a large upload streamed to disk. Servers
 * run in child processes (support/server-process.ts); the clients run here.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { stat, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from '@jest/globals';
import { FormData, Pool, type Dispatcher } from 'undici';
import WebSocket from 'ws';
import { exchange, openSocket } from './support/clients';
import { kib, mib, report } from './support/figures';
import { ServerProcess } from './support/server-process';

const MiB = 1024 * 1024;

let server: ServerProcess | undefined;
let sockets: Socket[] = [];
let websockets: WebSocket[] = [];
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  for (const websocket of websockets) websocket.terminate();
  sockets = [];
  websockets = [];
  await server?.stop();
  server = undefined;
});

/** The soft limit on open files of process `pid` (Node raises its own to the hard limit at start). */
function openFilesLimit(pid: number | 'self'): number {
  const line = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'))?.[1];
  return line === undefined || line === 'unlimited' ? Infinity : Number(line);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;
}

describe('10,000 requests over 200 keep-alive connections', () => {
  it('across every route of examples/notes: 0 errors, 0 resets, no new connections', async () => {
    server = await ServerProcess.start('notes', { lifespan: 'on' });
    const connections = 200;
    const rounds = 5; // per connection; each round is 10 requests, one per route
    const pool = new Pool(server.url, { connections, pipelining: 1 });
    let connects = 0;
    let disconnects = 0;
    pool.on('connect', () => connects++);
    pool.on('disconnect', () => disconnects++);
    const latencies: number[] = [];
    const unexpected: string[] = [];
    const errors: Record<string, number> = {};
    const slowest: Record<string, number> = {};

    /** One request; its answer read whole; a status other than `expected` is recorded. */
    async function call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, expected: number, options: { json?: unknown; form?: FormData; cookie?: string } = {}) {
      const headers: Record<string, string> = {};
      if (options.json !== undefined) headers['content-type'] = 'application/json';
      if (options.cookie !== undefined) headers['cookie'] = options.cookie;
      const body = options.json !== undefined ? JSON.stringify(options.json) : (options.form ?? null);
      const started = performance.now();
      try {
        const answer: Dispatcher.ResponseData = await pool.request({ method, path, headers, body });
        const text = await answer.body.text();
        const took = performance.now() - started;
        latencies.push(took);
        const route = `${method} ${path.replace(/\/\d+/g, '/:id').replace(/\?.*/, '')}`;
        slowest[route] = Math.max(slowest[route] ?? 0, took);
        if (answer.statusCode !== expected) unexpected.push(`${method} ${path}: ${answer.statusCode} ${text.slice(0, 100)}`);
        return { status: answer.statusCode, headers: answer.headers, text };
      } catch (error) {
        const code = (error as { code?: string }).code ?? String(error);
        errors[code] = (errors[code] ?? 0) + 1;
        return undefined;
      }
    }

    async function visitor(index: number): Promise<void> {
      for (let round = 0; round < rounds; round++) {
        const created = await call('POST', '/notes', 201, { json: { title: `note ${index}.${round}`, body: 'soak', tags: ['soak'] } });
        const id = created === undefined ? 0 : (JSON.parse(created.text) as { id: number }).id;
        const viewed = await call('GET', `/notes/${id}`, 200);
        const cookie = String(viewed?.headers['set-cookie'] ?? '').split(';')[0] ?? '';
        await call('PATCH', `/notes/${id}`, 200, { json: { body: 'soaked' } });
        const form = new FormData();
        form.append('file', new Blob([randomBytes(2048)], { type: 'application/octet-stream' }), 'small.bin');
        await call('POST', `/notes/${id}/attachments`, 201, { form });
        await call('GET', `/notes/${id}/attachments/small.bin`, 200);
        await call('GET', '/notes?tag=soak', 200);
        await call('GET', '/recent', 200, { cookie });
        await call('GET', '/static/', 200);
        await call('GET', '/static/app.css', 200);
        await call('DELETE', `/notes/${id}`, 204);
      }
    }

    const cpuBefore = server.cpuSeconds();
    const started = performance.now();
    await Promise.all(Array.from({ length: connections }, (_, index) => visitor(index)));
    const seconds = (performance.now() - started) / 1000;
    const cpu = server.cpuSeconds() - cpuBefore;
    const stats = await server.stats();
    const closedEarly = disconnects;
    await pool.close();

    latencies.sort((a, b) => a - b);
    const total = latencies.length + Object.values(errors).reduce((sum, count) => sum + count, 0);
    report('10,000 requests, 200 keep-alive connections, every route of examples/notes', [
      ['requests', `${total} in ${seconds.toFixed(1)} s (${(total / seconds).toFixed(0)} req/s)`],
      ['latency', `p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${latencies.at(-1)?.toFixed(1)} ms`],
      ['slowest by route', Object.entries(slowest).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([route, ms]) => `${route} ${ms.toFixed(0)} ms`).join(', ')],
      ['server CPU', `${cpu.toFixed(1)} s (${((cpu / total) * 1e6).toFixed(0)} µs per request)`],
      ['errors', `${Object.keys(errors).length === 0 ? 0 : JSON.stringify(errors)}; unexpected statuses ${unexpected.length}`],
      ['connections opened', `${connects} (closed before the end: ${closedEarly})`],
      ['server at the end', `${stats.resources['TCPSocketWrap'] ?? 0} sockets, RSS ${mib(stats.rss)}`],
    ]);
    expect(unexpected.slice(0, 5)).toEqual([]);
    expect(errors).toEqual({});
    expect(total).toBe(connections * rounds * 10);
    expect(connects).toBe(connections);
    expect(closedEarly).toBe(0);
  }, 120_000);
});

describe('idle connections held', () => {
  it('5,000 keep-alive connections and 1,000 WebSockets on examples/chat, RSS per connection reported', async () => {
    // Each connection is a descriptor on both sides; 500 spare for the rest of each process.
    const limit = Math.min(openFilesLimit('self'), openFilesLimit(process.pid));
    const wanted = { idle: 5000, websockets: 1000 };
    const scale = Math.min(1, (limit - 500) / (wanted.idle + wanted.websockets));
    const idle = Math.floor(wanted.idle * scale);
    const websocketCount = Math.floor(wanted.websockets * scale);
    // Idle connections must outlive the test: the default keep-alive timeout (5 s) would close them.
    server = await ServerProcess.start('chat', { lifespan: 'on', timeoutKeepAlive: 300 });
    const serverLimit = openFilesLimit(server.pid);
    const request = 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
    const warm = await openSocket(server.url);
    await exchange(warm, request);
    warm.destroy();
    await sleep(200);
    const before = await server.stats(true);

    const opened = Date.now();
    for (let batch = 0; batch < idle; batch += 100) {
      const size = Math.min(100, idle - batch);
      const fresh = await Promise.all(Array.from({ length: size }, () => openSocket(server!.url)));
      sockets.push(...fresh);
      await Promise.all(fresh.map((socket) => exchange(socket, request)));
    }
    const openSeconds = (Date.now() - opened) / 1000;
    await sleep(500);
    const withIdle = await server.stats(true);

    // Half the WebSockets offer permessage-deflate (as browsers do), half do not: compression
    // state is most of what a WebSocket costs, so each half is measured on its own.
    const wsUrl = server.url.replace('http:', 'ws:');
    const openWebsockets = async (count: number, perMessageDeflate: boolean): Promise<number> => {
      const started = Date.now();
      for (let batch = 0; batch < count; batch += 100) {
        const fresh = Array.from({ length: Math.min(100, count - batch) }, (_, i) => {
          const n = websockets.length + i; // 10 members a room in the end
          return new WebSocket(`${wsUrl}/rooms/room-${n % 100}?name=user-${n}`, { perMessageDeflate });
        });
        websockets.push(...fresh);
        // Joined: the room's broadcast of its own arrival came back.
        await Promise.all(fresh.map(async (websocket) => void (await once(websocket, 'message'))));
      }
      const seconds = (Date.now() - started) / 1000;
      await sleep(500);
      return seconds;
    };
    const plain = Math.floor(websocketCount / 2);
    const plainSeconds = await openWebsockets(plain, false);
    const withPlain = await server.stats(true);
    const deflateSeconds = await openWebsockets(websocketCount - plain, true);
    const withDeflate = await server.stats(true);
    const stillOpen = sockets.filter((socket) => !socket.destroyed).length;
    const wsOpen = websockets.filter((websocket) => websocket.readyState === WebSocket.OPEN).length;

    const per = (after: { rss: number; heapUsed: number }, from: { rss: number; heapUsed: number }, count: number): string =>
      `${kib((after.rss - from.rss) / count)} per connection (heap ${kib((after.heapUsed - from.heapUsed) / count)})`;
    report(`idle connections on examples/chat (timeoutKeepAlive 300 s; open-files limit ${limit} here, ${serverLimit} in the server)`, [
      ['keep-alive connections', `${idle} (each answered GET / once), opened in ${openSeconds.toFixed(1)} s; ${stillOpen} still open at the end`],
      ['RSS', `${mib(before.rss)} before, ${mib(withIdle.rss)} with them: ${per(withIdle, before, idle)}`],
      ['WebSockets', `${websocketCount} in 100 rooms, ${wsOpen} still open at the end`],
      ['RSS, no compression', `${mib(withPlain.rss)} with ${plain} more (opened in ${plainSeconds.toFixed(1)} s): ${per(withPlain, withIdle, plain)}`],
      ['RSS, permessage-deflate', `${mib(withDeflate.rss)} with ${websocketCount - plain} more (opened in ${deflateSeconds.toFixed(1)} s): ${per(withDeflate, withPlain, websocketCount - plain)}`],
      ['server sockets', `${withDeflate.resources['TCPSocketWrap'] ?? 0}, ${withDeflate.fds} fds`],
    ]);
    if (scale < 1) process.stdout.write(`  scaled down to ${(scale * 100).toFixed(0)}%: the open-files limit is ${limit}\n`);
    expect(stillOpen).toBe(idle);
    expect(wsOpen).toBe(websocketCount);
    expect(withDeflate.resources['TCPSocketWrap']).toBe(idle + websocketCount);
  }, 120_000);
});

describe('a large upload streamed to disk', () => {
  /** POSTs `size` bytes to /upload in fresh 1 MiB chunks, honouring back-pressure; resolves with the answer. */
  function upload(url: string, size: number): Promise<{ status: number; path: string; size: number }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(`${url}/upload`, { method: 'POST', agent: false, headers: { 'content-length': String(size), 'content-type': 'application/octet-stream' } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.once('end', () => resolve({ status: res.statusCode ?? 0, ...(JSON.parse(text) as { path: string; size: number }) }));
      });
      req.once('error', reject);
      void (async () => {
        for (let sent = 0; sent < size; sent += MiB) {
          if (!req.write(Buffer.alloc(Math.min(MiB, size - sent), 0x75))) await once(req, 'drain');
        }
        req.end();
      })().catch(reject);
    });
  }

  it('keeps the server RSS flat (growth under 50 MiB)', async () => {
    server = await ServerProcess.start('soak');
    // Throughput first, with 128 MiB (which also warms the route up): the upload is sized to ~60 s.
    const probeSize = 128 * MiB;
    const probeStarted = performance.now();
    const probe = await upload(server.url, probeSize);
    const probeSeconds = (performance.now() - probeStarted) / 1000;
    await rm(probe.path);
    const throughput = probeSize / probeSeconds;
    const size = Math.min(1024 * MiB, Math.floor((throughput * 60) / MiB) * MiB);

    const before = (await server.stats(true)).rss;
    server.resetPeak();
    const started = performance.now();
    const answer = await upload(server.url, size);
    const seconds = (performance.now() - started) / 1000;
    const peak = server.peakRss();
    const onDisk = (await stat(answer.path)).size;
    await rm(answer.path);

    report(`large upload streamed to disk (POST /upload: request.stream() piped to a file)`, [
      ['probe', `${mib(probeSize)} in ${probeSeconds.toFixed(1)} s (${mib(throughput)}/s)`],
      ['upload', `${mib(size)} in ${seconds.toFixed(1)} s (${mib(size / seconds)}/s); ${mib(onDisk)} on disk`],
      ['server RSS', `${mib(before)} before, peak ${mib(peak)}: growth ${mib(peak - before)}`],
    ]);
    expect([answer.status, answer.size, onDisk]).toEqual([201, size, size]);
    expect(peak - before).toBeLessThan(50 * MiB);
  }, 150_000);
});
