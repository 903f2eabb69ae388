/**
 * A real headless Chromium (Debian's `chromium`), started with a throwaway profile and driven
 * over the DevTools protocol. `close()` ends the browser (its process group if it will not go),
 * closes the socket and removes the profile.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { SystemProgramSpec } from '@portico/protocol/testing';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CdpConnection } from './cdp';

/** Debian's `chromium`; `CHROMIUM` names another executable. */
export const chromiumSpec: SystemProgramSpec = { name: 'chromium', aliases: ['chromium-browser'] };

/** What the page reported that a test may want to fail on. */
export interface PageProblems {
  /** `securitypolicyviolation` events: `directive blocked-uri`. */
  readonly csp: string[];
  /** Uncaught exceptions and console errors. */
  readonly errors: string[];
}

export class BrowserPage {
  readonly problems: PageProblems = { csp: [], errors: [] };
  readonly #cdp: CdpConnection;
  readonly #session: string;

  constructor(cdp: CdpConnection, session: string) {
    this.#cdp = cdp;
    this.#session = session;
    cdp.onEvent((method, params, sessionId) => {
      if (sessionId !== session) return;
      if (method === 'Runtime.exceptionThrown') {
        const details = params['exceptionDetails'] as { text?: string; exception?: { description?: string } };
        this.problems.errors.push(details.exception?.description ?? details.text ?? 'exception');
      }
      if (method === 'Runtime.consoleAPICalled' && params['type'] === 'error') {
        const args = params['args'] as Array<{ value?: unknown; description?: string }>;
        this.problems.errors.push(args.map((arg) => String(arg.value ?? arg.description ?? '')).join(' '));
      }
      if (method === 'Runtime.bindingCalled' && params['name'] === 'porticoCsp') this.problems.csp.push(String(params['payload']));
    });
  }

  /** Enable the domains the helpers use and report CSP violations back through a binding. */
  async init(): Promise<void> {
    await this.#send('Page.enable');
    await this.#send('Runtime.enable');
    await this.#send('Runtime.addBinding', { name: 'porticoCsp' });
    await this.#send('Page.addScriptToEvaluateOnNewDocument', {
      source: "document.addEventListener('securitypolicyviolation', (e) => porticoCsp(e.violatedDirective + ' ' + e.blockedURI));",
    });
    await this.#send('Emulation.setDeviceMetricsOverride', { width: 1280, height: 1400, deviceScaleFactor: 1, mobile: false });
  }

  async goto(url: string): Promise<void> {
    const loaded = this.#cdp.waitForEvent('Page.loadEventFired', this.#session);
    const result = await this.#send<{ errorText?: string }>('Page.navigate', { url });
    if (result.errorText !== undefined) throw new Error(`navigating to ${url} failed: ${result.errorText}`);
    await loaded;
  }

  /** The value of a JavaScript expression in the page (awaited when it is a promise). */
  async evaluate<T>(expression: string): Promise<T> {
    const { result, exceptionDetails } = await this.#send<{ result: { value?: unknown }; exceptionDetails?: { text: string; exception?: { description?: string } } }>(
      'Runtime.evaluate',
      { expression, returnByValue: true, awaitPromise: true },
    );
    if (exceptionDetails !== undefined) throw new Error(`${expression} threw: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
    return result.value as T;
  }

  /** Poll until the expression is truthy; the error says what was awaited and what the page shows. */
  async waitFor<T>(expression: string, what: string, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await this.evaluate<T>(expression);
      if (value) return value;
      if (Date.now() > deadline) {
        const text = await this.evaluate<string>('document.body ? document.body.innerText.slice(0, 500) : ""');
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; the page shows: ${text}; problems: ${JSON.stringify(this.problems)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Type into the element the expression finds, as a user would (React sees the input events). */
  async type(elementExpression: string, text: string): Promise<void> {
    await this.evaluate(`(${elementExpression}).focus()`);
    await this.#send('Input.insertText', { text });
  }

  async screenshot(file: string): Promise<void> {
    const { data } = await this.#send<{ data: string }>('Page.captureScreenshot', { format: 'png', captureBeyondViewport: false });
    writeFileSync(file, Buffer.from(data, 'base64'));
  }

  #send<T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    return this.#cdp.send<T>(method, params, this.#session);
  }
}

export class Browser {
  readonly #child: ChildProcess;
  readonly #cdp: CdpConnection;
  readonly #profile: string;
  readonly #exited: Promise<void>;

  private constructor(child: ChildProcess, cdp: CdpConnection, profile: string, exited: Promise<void>) {
    this.#child = child;
    this.#cdp = cdp;
    this.#profile = profile;
    this.#exited = exited;
  }

  /**
   * Start headless Chromium on a free DevTools port with a fresh profile.
   *
   * @example
   * const browser = await Browser.launch('/usr/bin/chromium');
   * const page = await browser.newPage();
   * await page.goto('http://127.0.0.1:8000/docs');
   * await browser.close();
   */
  static async launch(binary: string): Promise<Browser> {
    const profile = mkdtempSync(join(tmpdir(), 'portico-chromium-'));
    const args = ['--headless', '--remote-debugging-port=0', `--user-data-dir=${profile}`, '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--no-default-browser-check', '--disable-extensions', '--disable-background-networking', '--disable-component-update', 'about:blank'];
    // Its own process group: if it will not close, the renderers go with it.
    const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let log = '';
    try {
      const endpoint = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`chromium did not print its DevTools endpoint within 30 s:\n${log}`)), 30_000);
        child.once('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`chromium exited (code ${String(code)}) before it listened:\n${log}`));
        });
        child.stderr!.on('data', (chunk: Buffer) => {
          // Keep draining (a full pipe would stall the browser), but keep only the start for errors.
          if (log.length < 20_000) log += chunk.toString();
          const found = /DevTools listening on (ws:\/\/\S+)/.exec(log);
          if (found) {
            clearTimeout(timer);
            resolve(found[1]!);
          }
        });
      });
      return new Browser(child, await CdpConnection.connect(endpoint), profile, exited);
    } catch (error) {
      await stop(child, exited);
      rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
      throw error;
    }
  }

  async newPage(): Promise<BrowserPage> {
    const { targetId } = await this.#cdp.send<{ targetId: string }>('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await this.#cdp.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
    const page = new BrowserPage(this.#cdp, sessionId);
    await page.init();
    return page;
  }

  async close(): Promise<void> {
    // Asked politely first; the answer may never come, since the browser goes.
    await Promise.race([this.#cdp.send('Browser.close').catch(() => undefined), this.#exited]);
    await stop(this.#child, this.#exited);
    await this.#cdp.close();
    rmSync(this.#profile, { recursive: true, force: true, maxRetries: 3 });
  }
}

/** Wait up to 5 s for the process to exit, then kill its group. */
async function stop(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(resolve, 5_000, 'timeout').unref());
    if ((await Promise.race([exited, timeout])) === 'timeout' && child.pid !== undefined) {
      process.kill(-child.pid, 'SIGKILL');
      await exited;
    }
  }
  child.stderr?.destroy();
}
