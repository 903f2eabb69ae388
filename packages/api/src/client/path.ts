/**
 * Fill a path in the framework's syntax (`/items/:id<int>`, `/files/*rest`, `/reports{/:year}`)
 * with values. No imports: the client loads it in browsers.
 */

const PARAM = /([:*])([A-Za-z_$][\w$]*)(?:<\w+>)?/g;

function fill(template: string, params: Readonly<Record<string, unknown>>, optional: boolean): string | undefined {
  let missing = false;
  const filled = template.replace(PARAM, (_match, sigil: string, name: string) => {
    const value = params[name];
    if (value === undefined || value === null) {
      missing = true;
      return '';
    }
    const text = String(value);
    return sigil === '*' ? text.split('/').map(encodeURIComponent).join('/') : encodeURIComponent(text);
  });
  if (missing) {
    if (optional) return undefined;
    const names = [...template.matchAll(PARAM)].map((found) => found[2]).filter((name) => params[name!] === undefined);
    throw new TypeError(`the path ${template} needs the parameters ${names.join(', ')}: pass them as { params: { ${names.map((name) => `${name}: ...`).join(', ')} } }`);
  }
  return filled;
}

/** The path with its parameters filled in; an optional group is left out when its parameters are. */
export function formatPath(template: string, params: Readonly<Record<string, unknown>> = {}): string {
  let out = '';
  let rest = template;
  for (let open = rest.indexOf('{'); open !== -1; open = rest.indexOf('{')) {
    const close = rest.indexOf('}', open);
    if (close === -1) break;
    out += fill(rest.slice(0, open), params, false);
    out += fill(rest.slice(open + 1, close), params, true) ?? '';
    rest = rest.slice(close + 1);
  }
  return out + fill(rest, params, false);
}
