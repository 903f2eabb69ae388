/**
 * The method table: the tokens llhttp knows, walked as a trie one byte at a time so that a request
 * split anywhere in its method is judged as llhttp judges it, and an unknown token fails at its
 * first impossible byte. A method string is interned: reading one allocates nothing.
 */

/** Node's `http.METHODS`: what llhttp accepts on an `HTTP/1.x` request line. */
export const HTTP_METHODS = [
  'ACL', 'BIND', 'CHECKOUT', 'CONNECT', 'COPY', 'DELETE', 'GET', 'HEAD', 'LINK', 'LOCK', 'M-SEARCH', 'MERGE',
  'MKACTIVITY', 'MKCALENDAR', 'MKCOL', 'MOVE', 'NOTIFY', 'OPTIONS', 'PATCH', 'POST', 'PROPFIND', 'PROPPATCH',
  'PURGE', 'PUT', 'QUERY', 'REBIND', 'REPORT', 'SEARCH', 'SOURCE', 'SUBSCRIBE', 'TRACE', 'UNBIND', 'UNLINK',
  'UNLOCK', 'UNSUBSCRIBE',
] as const;

/** Methods llhttp reads before it knows the protocol, refused later on an HTTP line (RTSP's, and HTTP/2's preface). */
const OTHER_METHODS = ['PRI', 'DESCRIBE', 'ANNOUNCE', 'SETUP', 'PLAY', 'PAUSE', 'TEARDOWN', 'GET_PARAMETER', 'SET_PARAMETER', 'REDIRECT', 'RECORD', 'FLUSH'];

/** llhttp's RTSP methods, which it also accepts with an `RTSP/x.x` version (Portico refuses that protocol). */
const RTSP_METHODS = new Set(['OPTIONS', 'DESCRIBE', 'ANNOUNCE', 'SETUP', 'PLAY', 'PAUSE', 'TEARDOWN', 'GET_PARAMETER', 'SET_PARAMETER', 'REDIRECT', 'RECORD', 'GET', 'POST', 'FLUSH']);

/** Every method llhttp reads, by index. */
export const METHOD_NAMES: readonly string[] = [...HTTP_METHODS, ...OTHER_METHODS];

export const CONNECT = METHOD_NAMES.indexOf('CONNECT');
export const PRI = METHOD_NAMES.indexOf('PRI');

/** Whether llhttp takes method `index` with the protocol `HTTP`, `RTSP` or `ICE`. */
export function methodAllowed(index: number, protocol: string): boolean {
  const name = METHOD_NAMES[index] as string;
  if (protocol === 'HTTP') return index < HTTP_METHODS.length || index === PRI;
  if (protocol === 'RTSP') return RTSP_METHODS.has(name);
  return name === 'SOURCE';
}

/** Method bytes are upper-case letters, `-` and `_`: 28 symbols. */
const SYMBOLS = 28;
const SYMBOL = new Int8Array(256).fill(-1);
for (let letter = 0; letter < 26; letter++) SYMBOL[0x41 + letter] = letter;
SYMBOL[0x2d] = 26;
SYMBOL[0x5f] = 27;

/** The trie: node 0 is the root; `EDGES[node * SYMBOLS + symbol]` is the child (0: none). */
const capacity = METHOD_NAMES.reduce((sum, name) => sum + name.length, 1);
const EDGES = new Int16Array(SYMBOLS * capacity);
const TERMINAL = new Int16Array(capacity).fill(-1);
let nodes = 1;
METHOD_NAMES.forEach((name, index) => {
  let node = 0;
  for (let i = 0; i < name.length; i++) {
    const edge = node * SYMBOLS + (SYMBOL[name.charCodeAt(i)] as number);
    if (EDGES[edge] === 0) EDGES[edge] = nodes++;
    node = EDGES[edge] as number;
  }
  TERMINAL[node] = index;
});

/** The trie node after `byte` from `node`, or 0 when no method continues that way. */
export function methodStep(node: number, byte: number): number {
  const symbol = SYMBOL[byte] as number;
  return symbol < 0 ? 0 : (EDGES[node * SYMBOLS + symbol] as number);
}

/** The method index that ends at trie `node`, or -1. */
export function methodAt(node: number): number {
  return TERMINAL[node] as number;
}
