// @ts-check
/**
 * The scenarios: what is requested, how hard, and what a correct answer looks like.
 * Every contender's answer is checked once before it is measured, so a contender that
 * answers 404 fast can never win.
 */

/**
 * @typedef {{ status: number, headers: import('node:http').IncomingHttpHeaders, body: Buffer }} Answer
 * @typedef {{
 *   name: string,
 *   title: string,
 *   kind: 'load',
 *   method: 'GET' | 'POST',
 *   path: string,
 *   bodyBytes: number,
 *   routes: number,
 *   check: (answer: Answer) => string | null,
 * }} LoadScenario
 * @typedef {{ name: string, title: string, kind: 'idle', connections: number }} IdleScenario
 * @typedef {LoadScenario | IdleScenario} Scenario
 */

const HELLO = 'Hello, World!';
const MIB = 1024 * 1024;

/** The `/echo` request body: 64 KiB of a known pattern, so an echo can be compared byte for byte. */
export const ECHO_BODY = Buffer.alloc(64 * 1024, 'portico ');

/** @param {Answer} answer @param {string} type */
function wrongStatusOrType(answer, type) {
  if (answer.status !== 200) return `status ${answer.status}, expected 200`;
  const contentType = answer.headers['content-type'] ?? '';
  return contentType.startsWith(type) ? null : `content-type "${contentType}", expected ${type}`;
}

/** @param {string} type @param {(body: Buffer) => boolean} bodyIsRight @param {string} expected */
function expect(type, bodyIsRight, expected) {
  return /** @param {Answer} answer */ (answer) => {
    const wrong = wrongStatusOrType(answer, type);
    if (wrong) return wrong;
    if (bodyIsRight(answer.body)) return null;
    const shown = answer.body.length > 80 ? `${answer.body.length} bytes` : JSON.stringify(answer.body.toString());
    return `body ${shown}, expected ${expected}`;
  };
}

/** @param {unknown} expected */
function jsonEquals(expected) {
  return /** @param {Buffer} body */ (body) => {
    try {
      return JSON.stringify(JSON.parse(body.toString())) === JSON.stringify(expected);
    } catch {
      return false;
    }
  };
}

/** @param {Buffer} body */
function isStreamBody(body) {
  return body.length === MIB && body.every((byte) => byte === 0x61);
}

const checkUser = expect('application/json', jsonEquals({ id: '42' }), '{"id":"42"}');

/**
 * @param {number} routes
 * @returns {LoadScenario}
 */
function routingScale(routes) {
  return {
    name: `routes-${routes}`,
    title: `GET /users/:id with ${routes} routes registered`,
    kind: 'load',
    method: 'GET',
    path: '/users/42',
    bodyBytes: 0,
    routes,
    check: checkUser,
  };
}

/** @type {readonly Scenario[]} */
export const SCENARIOS = [
  {
    name: 'plaintext',
    title: 'GET / plain text',
    kind: 'load',
    method: 'GET',
    path: '/',
    bodyBytes: 0,
    routes: 0,
    check: expect('text/plain', (body) => body.toString() === HELLO, JSON.stringify(HELLO)),
  },
  {
    name: 'json',
    title: 'GET /json small JSON',
    kind: 'load',
    method: 'GET',
    path: '/json',
    bodyBytes: 0,
    routes: 0,
    check: expect('application/json', jsonEquals({ message: HELLO }), `{"message":"${HELLO}"}`),
  },
  {
    name: 'users',
    title: 'GET /users/:id path parameter',
    kind: 'load',
    method: 'GET',
    path: '/users/42',
    bodyBytes: 0,
    routes: 0,
    check: checkUser,
  },
  {
    name: 'echo',
    title: 'POST /echo 64 KiB body, streamed back',
    kind: 'load',
    method: 'POST',
    path: '/echo',
    bodyBytes: ECHO_BODY.length,
    routes: 0,
    check: expect('application/octet-stream', (body) => body.equals(ECHO_BODY), 'the 64 KiB request body'),
  },
  {
    name: 'stream',
    title: 'GET /stream 1 MiB streamed response',
    kind: 'load',
    method: 'GET',
    path: '/stream',
    bodyBytes: 0,
    routes: 0,
    check: expect('application/octet-stream', isStreamBody, '1 MiB of "a"'),
  },
  routingScale(10),
  routingScale(100),
  routingScale(1000),
  { name: 'idle', title: '1,000 idle keep-alive connections', kind: 'idle', connections: 1000 },
];

/**
 * The load scenario called `name`, for the tools that load one contender at a time
 * (profile.mjs, instructions.mjs); throws for an unknown or idle scenario.
 *
 * @param {string} name
 * @returns {LoadScenario}
 */
export function loadScenario(name) {
  const scenario = SCENARIOS.find((entry) => entry.name === name);
  if (scenario === undefined || scenario.kind !== 'load') throw new Error(`--scenario: '${name}' is not a load scenario (see npm run bench -- --list)`);
  return scenario;
}

/** The scenario whose req/s the routing-scale scenarios are divided by. */
export const ROUTING_BASE = 'routes-10';
