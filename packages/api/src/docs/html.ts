/**
 * The docs pages as HTML text. Every value put into a page is escaped; configuration for the
 * page's script travels in a JSON data block (not executed, so a strict CSP needs no exception).
 */

/** Text safe inside an element or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** JSON safe inside a `<script type="application/json">` block (no `</script>`, no `<!--`). */
export function jsonDataBlock(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export interface SwaggerPageParts {
  readonly title: string;
  readonly cssUrl: string;
  readonly faviconUrl: string;
  readonly bundleUrl: string;
  readonly initUrl: string;
  /** What the init script hands SwaggerUIBundle (plus its presets). */
  readonly config: Readonly<Record<string, unknown>>;
}

/** The Swagger UI page: the bundle, then Portico's init script, both served as files. */
export function swaggerPage(parts: SwaggerPageParts): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(parts.title)}</title>
<link rel="stylesheet" href="${escapeHtml(parts.cssUrl)}">
<link rel="icon" type="image/png" href="${escapeHtml(parts.faviconUrl)}">
</head>
<body>
<div id="swagger-ui"></div>
<script id="swagger-ui-config" type="application/json">${jsonDataBlock(parts.config)}</script>
<script src="${escapeHtml(parts.bundleUrl)}"></script>
<script src="${escapeHtml(parts.initUrl)}"></script>
</body>
</html>
`;
}

/** The page an OAuth2 provider sends the browser back to; Swagger UI's own script reads the answer. */
export function oauth2RedirectPage(scriptUrl: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Swagger UI: OAuth2 Redirect</title></head>
<body>
<script src="${escapeHtml(scriptUrl)}"></script>
</body>
</html>
`;
}

/** The ReDoc page: the standalone bundle finds the `<redoc spec-url>` element and renders into it. */
export function redocPage(parts: { readonly title: string; readonly specUrl: string; readonly bundleUrl: string; readonly faviconUrl: string | undefined }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(parts.title)}</title>
${parts.faviconUrl === undefined ? '' : `<link rel="icon" type="image/png" href="${escapeHtml(parts.faviconUrl)}">\n`}</head>
<body>
<redoc spec-url="${escapeHtml(parts.specUrl)}"></redoc>
<script src="${escapeHtml(parts.bundleUrl)}"></script>
</body>
</html>
`;
}

/** What /redoc answers when no ReDoc bundle can be found: where it looked and how to get one. */
export function redocMissingPage(parts: { readonly title: string; readonly looked: readonly string[]; readonly specUrl: string; readonly docsUrl: string | undefined }): string {
  const places = parts.looked.map((place) => `<li><code>${escapeHtml(place)}</code></li>`).join('\n');
  const swagger = parts.docsUrl === undefined ? '' : ` or <a href="${escapeHtml(parts.docsUrl)}">Swagger UI</a>`;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(parts.title)}: ReDoc is not installed</title></head>
<body>
<h1>ReDoc is not installed</h1>
<p>The ReDoc page needs ReDoc's standalone bundle, which was not found. It ships inside the published
<code>@portico/api</code> package (in <code>vendor/redoc</code>); in a source checkout, install it with
<code>npm install --save-dev redoc</code>, or pass <code>redocBundle: '/path/to/redoc.standalone.js'</code>.</p>
<p>Looked in:</p>
<ul>
${places}
</ul>
<p>Meanwhile, read <a href="${escapeHtml(parts.specUrl)}">the OpenAPI document</a>${swagger}.</p>
</body>
</html>
`;
}
