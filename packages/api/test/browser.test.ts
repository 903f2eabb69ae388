/**
 * The docs pages in a real browser: an Api served over HTTP, headless Chromium loads Swagger UI,
 * runs "Try it out" / "Execute" against the server and sees its answer; ReDoc renders the
 * operations. Screenshots go to test/output/. Without chromium the suite is skipped with one
 * line, unless PORTICO_REQUIRE_SYSTEM_SERVERS=1 (CI), where that is a failure.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { Server } from '@portico/server';
import { Api } from '../src';
import { findSystemProgram, programPath, withSystemPrograms } from '@portico/protocol/testing';
import { Browser, chromiumSpec, type BrowserPage } from './support/browser';

const chromium = findSystemProgram(chromiumSpec);
const OUTPUT = join(__dirname, 'output');
const Item = z.object({ id: z.number(), name: z.string() }).meta({ id: 'Item' });

withSystemPrograms([chromium], () => describe('the docs pages in Chromium', () => {
  let server: Server;
  let browser: Browser | undefined;
  let page: BrowserPage;
  let origin: string;

  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    const api = new Api({ title: 'Browser Shop', version: '1.0.0' })
      .get('/items/:id<int>', { responses: { 200: Item }, summary: 'Read an item', tags: ['items'] }, ({ params }) => ({ id: params.id, name: `Hammer #${params.id}` }))
      .post('/items', { body: Item, status: 201, responses: { 201: Item }, summary: 'Create an item', tags: ['items'] }, ({ body }) => body);
    server = new Server(api, { host: '127.0.0.1', port: 0, logLevel: 'warning', accessLog: false });
    await server.start();
    origin = server.url;
    browser = await Browser.launch(programPath(chromium));
    page = await browser.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, 30_000);

  it('Swagger UI lists the operations and runs one against the server', async () => {
    await page.goto(`${origin}/docs`);
    await page.waitFor<number>("document.querySelectorAll('.opblock').length", 'the operations to be listed');
    expect(await page.evaluate<string[]>("[...document.querySelectorAll('.opblock-summary-path')].map((e) => e.innerText.trim())")).toEqual(['/items/{id}', '/items']);
    expect(await page.evaluate<string>("document.querySelector('.info .title').innerText")).toContain('Browser Shop');

    await page.evaluate("document.querySelector('.opblock-get .opblock-summary-control').click()");
    await page.waitFor("!!document.querySelector('.opblock-get .try-out__btn')", 'the "Try it out" button');
    await page.evaluate("document.querySelector('.opblock-get .try-out__btn').click()");
    await page.waitFor("!!document.querySelector('.opblock-get .parameters input')", 'the id field');
    await page.type("document.querySelector('.opblock-get .parameters input')", '7');
    // Swagger UI's parameter fields debounce their input (300 ms) before the value reaches its state.
    await new Promise((resolve) => setTimeout(resolve, 600));
    await page.evaluate("document.querySelector('.opblock-get .execute').click()");
    const answer = await page.waitFor<string>(
      "(document.querySelector('.opblock-get .live-responses-table tbody .response-col_description') || {}).innerText",
      'the response panel to show the answer',
    );
    expect(answer).toContain('"name": "Hammer #7"');
    expect(await page.evaluate<string>("document.querySelector('.opblock-get .live-responses-table tbody .response-col_status').innerText")).toContain('200');
    expect(await page.evaluate<string>("document.querySelector('.opblock-get .request-url pre').innerText")).toBe(`${origin}/items/7`);
    await page.screenshot(join(OUTPUT, 'swagger-ui.png'));
    expect(page.problems).toEqual({ csp: [], errors: [] });
  }, 60_000);

  it('ReDoc renders the operations', async () => {
    await page.goto(`${origin}/redoc`);
    await page.waitFor("document.body.innerText.includes('Read an item') && document.body.innerText.includes('Create an item')", 'ReDoc to render the operation titles', 30_000);
    expect(await page.evaluate<string[]>("[...document.querySelectorAll('h2')].map((e) => e.innerText.trim())")).toEqual(expect.arrayContaining(['Read an item', 'Create an item']));
    expect(await page.evaluate<string>("document.querySelector('h1').innerText")).toContain('Browser Shop');
    await page.screenshot(join(OUTPUT, 'redoc.png'));
    expect(page.problems).toEqual({ csp: [], errors: [] });
  }, 60_000);
}));
