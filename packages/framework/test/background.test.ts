import { describe, expect, it } from '@jest/globals';
import type { App as GatewayApp } from '@portico/protocol';
import { App, BackgroundTask, BackgroundTaskError, BackgroundTasks, JSONResponse, PlainTextResponse, Route, TestClient, type Background } from '@portico/framework';

/** An app whose only route answers with `background`, logging what it sends next to what the tasks do. */
function logged(background: (log: string[]) => Background): { app: GatewayApp; log: string[] } {
  const log: string[] = [];
  const app = new App({ routes: [new Route('/', () => new PlainTextResponse('sent', { background: background(log) }))] });
  return { log, app: (scope, receive, send) => app(scope, receive, (event) => (log.push(event.type), send(event))) };
}

describe('background tasks', () => {
  it('runs a BackgroundTask with its arguments after the body is sent', async () => {
    const { app, log } = logged((log) => new BackgroundTask((to: string, times: number) => void log.push(`email ${to} x${times}`), 'ada@example.com', 2));
    expect((await new TestClient(app).get('/')).text).toBe('sent');
    expect(log).toEqual(['http.response.start', 'http.response.body', 'email ada@example.com x2']);
  });

  it('runs BackgroundTasks one after the other, in the order they were added', async () => {
    const { app, log } = logged((log) => {
      const tasks = new BackgroundTasks();
      tasks.add(async (name: string) => {
        await new Promise((resolve) => setImmediate(resolve)); // a slow first task still finishes first
        log.push(`first ${name}`);
      }, 'a');
      tasks.add((name: string) => void log.push(`second ${name}`), 'b');
      return tasks.add(() => void log.push('third'));
    });
    await new TestClient(app).get('/');
    expect(log).toEqual(['http.response.start', 'http.response.body', 'first a', 'second b', 'third']);
  });

  it('does not touch the response when a task fails, runs the tasks after it, and hands the error to the host', async () => {
    const failingFirst = (log: string[]): BackgroundTasks =>
      new BackgroundTasks()
        .add(function sendEmail() {
          throw new Error('smtp down');
        })
        .add(() => void log.push('audit written'));
    const quiet = logged(failingFirst);
    const response = await new TestClient(quiet.app, { raiseServerExceptions: false }).get('/');
    expect([response.status, response.text]).toEqual([200, 'sent']);
    expect(quiet.log).toEqual(['http.response.start', 'http.response.body', 'audit written']);

    const strict = logged(failingFirst);
    const error = await new TestClient(strict.app).get('/').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BackgroundTaskError);
    expect((error as BackgroundTaskError).message).toBe('a background task failed after the response was sent (sendEmail: smtp down)');
    expect((error as BackgroundTaskError).failures.map(({ task }) => task)).toEqual(['sendEmail']);
  });

  it('reports every failed task in one error', async () => {
    const tasks = new BackgroundTasks([new BackgroundTask(() => Promise.reject(new Error('one'))), new BackgroundTask(function two() {
      throw new Error('two');
    })]);
    await expect(tasks.run()).rejects.toThrow('2 background tasks failed after the response was sent (anonymous task: one; two: two)');
  });

  it('accepts a plain function as background work', async () => {
    let ran = false;
    const app = new App({ routes: [new Route('/', () => new JSONResponse({ ok: true }, { background: () => (ran = true) }))] });
    await new TestClient(app).get('/');
    expect(ran).toBe(true);
  });
});
