/**
 * Readable default operationIds, from the method and the path: `GET /items` → `listItems`,
 * `GET /items/:id` → `getItem`, `POST /items` → `createItem`, `PUT` → `replaceItem`, `PATCH` →
 * `updateItem`, `DELETE` → `deleteItem`; nested resources read outer first
 * (`GET /users/:id/orders` → `listUserOrders`); `api` and version segments (`v1`) are left out.
 * Collisions fall back to the full path.
 */
import type { Method } from './definition';

interface Segment {
  word: string;
  param: boolean;
}

function segments(path: string): Segment[] {
  const found: Segment[] = [];
  for (const raw of path.replace(/[{}]/g, '/').split('/')) {
    if (raw === '') continue;
    const param = raw.startsWith(':') || raw.startsWith('*');
    const word = (param ? raw.slice(1) : raw).replace(/<[^>]*>/g, '');
    const clean = pascal(word);
    if (clean !== '') found.push({ word: clean, param });
  }
  return found;
}

function pascal(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

/** English plural to singular, for the usual resource names. */
export function singular(word: string): string {
  if (/ies$/.test(word) && word.length > 3) return `${word.slice(0, -3)}y`;
  if (/(ss|x|ch|sh|zz)es$/.test(word)) return word.slice(0, -2);
  if (/[^s]s$/.test(word)) return word.slice(0, -1);
  return word;
}

const VERBS: Record<Method, string> = { GET: 'get', POST: 'create', PUT: 'replace', PATCH: 'update', DELETE: 'delete', HEAD: 'head', OPTIONS: 'options' };

/** The readable id for an endpoint. */
export function defaultOperationId(method: Method, path: string): string {
  const parts = segments(path);
  const endsWithParam = parts.at(-1)?.param ?? false;
  const statics = parts.map((part, i) => ({ ...part, beforeParam: parts[i + 1]?.param ?? false })).filter((part) => !part.param && !/^(Api|V\d+)$/.test(part.word));
  const last = statics.at(-1);
  let verb = VERBS[method];
  if (method === 'GET' && !endsWithParam && last && singular(last.word) !== last.word) verb = 'list';
  const words = statics.map((part, i) => {
    const isLast = i === statics.length - 1;
    if (part.beforeParam || (isLast && method === 'POST')) return singular(part.word);
    return part.word;
  });
  return verb + (words.length === 0 ? 'Root' : words.join(''));
}

/** The id used when the readable one is taken: every segment, parameters as `By<Name>`. */
export function fallbackOperationId(method: Method, path: string): string {
  const words = segments(path).map((part) => (part.param ? `By${part.word}` : part.word));
  return method.toLowerCase() + (words.length === 0 ? 'Root' : words.join(''));
}
