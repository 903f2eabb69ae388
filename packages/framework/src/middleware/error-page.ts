import type { HttpScope } from '@portico/protocol';
import { Headers } from '../datastructures';
import { HTMLResponse, PlainTextResponse } from '../responses/text';
import type { Response } from '../responses/response';

/**
 * The 500 for an error nobody handled: a bare "Internal Server Error", or with `debug` the
 * error and its stack, as HTML for a browser and as plain text otherwise.
 */
export function serverErrorResponse(scope: HttpScope, error: unknown, debug: boolean): Response {
  if (!debug) return new PlainTextResponse('Internal Server Error', { status: 500 });
  const trace = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : `thrown value: ${String(error)}`;
  const accept = new Headers(scope.headers).get('accept') ?? '';
  if (!accept.includes('text/html')) return new PlainTextResponse(trace, { status: 500 });
  const title = error instanceof Error ? `${error.name}: ${error.message}` : 'Internal Server Error';
  return new HTMLResponse(
    `<!doctype html><html><head><meta charset="utf-8"><title>500 ${escapeHtml(title)}</title>` +
      '<style>body{font-family:system-ui,sans-serif;margin:2rem}pre{background:#f6f6f6;padding:1rem;overflow:auto}</style></head>' +
      `<body><h1>500 Internal Server Error</h1><h2>${escapeHtml(title)}</h2><p>${escapeHtml(scope.method)} ${escapeHtml(scope.rootPath + scope.path)}</p>` +
      `<pre>${escapeHtml(trace)}</pre><p>Shown because the app runs with <code>debug: true</code>.</p></body></html>`,
    { status: 500 },
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
