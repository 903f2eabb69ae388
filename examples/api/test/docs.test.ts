/**
 * The tasks API's OpenAPI document is valid, and its Swagger UI works in a real browser: headless
 * Chromium lists the operations, authorizes with a bearer token, runs "Try it out" on
 * `GET /tasks` and shows the server's answer. Screenshots go to test/output/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { findSystemProgram, programPath, withSystemPrograms } from '@portico/protocol/testing';
import { Server } from '@portico/server';
import { Browser, chromiumSpec, type BrowserPage } from '../../../packages/api/test/support/browser';
import { schemaErrors, specErrors } from '../../../packages/api/test/support/openapi-check';
import type { OpenApiDocument } from '@portico/api';
import { app } from '../app';

const OUTPUT = join(__dirname, 'output');

let server: Server;
beforeAll(async () => {
  server = new Server(app, { host: '127.0.0.1', port: 0, lifespan: 'on', logLevel: 'warning' });
  await server.start();
});
afterAll(() => server.close());

describe('the OpenAPI document', () => {
  it('passes the OpenAPI 3.1 validator, and every schema in it compiles as JSON Schema 2020-12', async () => {
    const document = (await (await fetch(`${server.url}/openapi.json`)).json()) as OpenApiDocument;
    expect(await specErrors(document)).toBe('');
    expect(schemaErrors(document)).toEqual([]);
  });
});

withSystemPrograms([findSystemProgram(chromiumSpec)], () => {
  describe('Swagger UI in Chromium', () => {
    let browser: Browser;
    let page: BrowserPage;
    beforeAll(async () => {
      mkdirSync(OUTPUT, { recursive: true });
      browser = await Browser.launch(programPath(findSystemProgram(chromiumSpec)));
      page = await browser.newPage();
    }, 60_000);
    afterAll(() => browser?.close(), 30_000);

    it('authorizes with a bearer token and runs "Try it out" on GET /tasks', async () => {
      await fetch(`${server.url}/tasks`, { method: 'POST', headers: { authorization: 'Bearer ada-token', 'content-type': 'application/json' }, body: '{"title":"Seen in the browser"}' });
      await page.goto(`${server.url}/docs`);
      await page.waitFor<number>("document.querySelectorAll('.opblock').length >= 8", 'the operations to be listed');
      expect(await page.evaluate<string>("document.querySelector('.info .title').innerText")).toContain('Tasks');

      await page.evaluate("document.querySelector('.auth-wrapper .authorize').click()");
      await page.waitFor("!!document.querySelector('.modal-ux input')", 'the authorize dialog');
      await page.type("document.querySelector('.modal-ux input')", 'ada-token');
      await page.evaluate("document.querySelector('.modal-ux .auth-btn-wrapper .authorize').click()");
      await page.waitFor("!!document.querySelector('.modal-ux .auth-btn-wrapper .btn-done')", 'the token to be taken');
      await page.evaluate("document.querySelector('.modal-ux .btn-done').click()");

      const listTasks = "[...document.querySelectorAll('.opblock-get')].find((block) => block.querySelector('.opblock-summary-path').innerText.trim() === '/tasks')";
      await page.evaluate(`${listTasks}.querySelector('.opblock-summary-control').click()`);
      await page.waitFor(`!!${listTasks}.querySelector('.try-out__btn')`, 'the "Try it out" button');
      await page.evaluate(`${listTasks}.querySelector('.try-out__btn').click()`);
      await page.waitFor(`!!${listTasks}.querySelector('.execute')`, 'the Execute button');
      await page.evaluate(`${listTasks}.querySelector('.execute').click()`);
      const answer = await page.waitFor<string>(`(${listTasks}.querySelector('.live-responses-table tbody .response-col_description') || {}).innerText`, 'the answer');
      expect(answer).toContain('"title": "Seen in the browser"');
      expect(await page.evaluate<string>(`${listTasks}.querySelector('.live-responses-table tbody .response-col_status').innerText`)).toContain('200');
      await page.screenshot(join(OUTPUT, 'tasks-swagger-ui.png'));
      expect(page.problems).toEqual({ csp: [], errors: [] });
    }, 60_000);
  });
});
