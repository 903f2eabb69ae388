/** Signals to `portico serve`: the first stops gracefully, a second one forces the exit. */
import { connect } from 'node:net';
import { beforeEach, expect, it } from '@jest/globals';
import { usePortico, type PorticoProcess } from './support/cli';
import { RawClient } from './support/raw-http';

const portico = usePortico();

let cli: PorticoProcess;
let upload: RawClient;

/** A server with one upload in flight: the request is in, half of its body is not. */
beforeEach(async () => {
  cli = portico(['serve', 'packages/server/test/fixtures/upload-app.js', '--port', '0']);
  const port = Number(new URL(await cli.origin()).port);
  upload = await RawClient.connect({ port });
  upload.write('POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\nhello');
  await cli.waitFor(/upload-app: receiving \/upload/);
});

function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('connect', () => resolve(false)).on('error', () => resolve(true));
  });
}

it('SIGTERM stops taking connections, lets the request in flight finish, then exits 0', async () => {
  cli.child.kill('SIGTERM');
  await cli.waitFor(/Received SIGTERM: finishing in-flight requests(.|\n)*Shutting down/);
  expect(await connectionRefused(upload.socket.remotePort as number)).toBe(true);
  upload.write(' world');
  const response = await upload.readResponse();
  expect([response.status, response.body.toString(), response.header('connection')]).toEqual([200, 'hello world', 'close']);
  expect(await cli.exited).toEqual({ code: 0, signal: null });
  expect(cli.output()).toMatch(/Shutting down\n(.|\n)*Finished server process \[\d+\]\n$/);
});

it('a second signal forces the exit without waiting for the request', async () => {
  cli.child.kill('SIGTERM');
  await cli.waitFor(/Received SIGTERM/);
  cli.child.kill('SIGINT');
  expect(await cli.exited).toEqual({ code: 1, signal: null });
  expect(cli.output()).toContain('WARNING:  Received SIGINT again: forced exit');
  expect((await upload.untilClosed()).length).toBe(0); // cut, never answered
});
