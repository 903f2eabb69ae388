/**
 * Dependencies: functions an endpoint (or a router, or the Api) declares by name and receives,
 * resolved, as `deps`. Each is resolved once per request (cached by function identity), its own
 * dependencies first. A dependency that needs cleanup is a generator function: it `yield`s its
 * value once, and the code after `yield` runs after the response is sent (when the request
 * failed, the error is thrown in at the `yield`, so `try/catch/finally` work as in FastAPI).
 * `scope: 'lifespan'` ones are created once at startup and cleaned up at shutdown.
 */
import type { Request } from '@portico/framework';
import type { State } from '@portico/protocol';
import type { DependencyDeclaration, SecurityRequirement } from './definition';
import { DependencyError } from './exceptions';
import { describeValue } from './validation';

/** What a dependency may return: its value, a promise of it, or a generator yielding it once (cleanup after the yield). */
export type DependencyResult<T> = T | Promise<T> | AsyncGenerator<T, unknown, unknown> | Generator<T, unknown, unknown>;

/** What a request dependency receives: the request and its own resolved dependencies. */
export interface DependencyContext<D = Record<string, never>> {
  readonly request: Request;
  readonly deps: D;
}

/** What a lifespan dependency receives: its own resolved (lifespan) dependencies and the lifespan state. */
export interface LifespanDependencyContext<D = Record<string, never>> {
  readonly deps: D;
  readonly state: State;
}

export type DependencyScope = 'request' | 'lifespan';

/** Any dependency function, as overrides and the resolver see it. */
export type AnyDependencyFunction = (context: never) => unknown;

/** Named dependencies, as the `dependencies` options take them. */
export type DependenciesOption = Readonly<Record<string, Dependency<unknown>>>;

/** The resolved values of named dependencies: `{ user: depends(getUser) }` gives `{ user: User }`. */
export type DepsOf<D> = { readonly [K in keyof D]: D[K] extends Dependency<infer T> ? T : never };

/**
 * A declared dependency: its function, its own dependencies, its scope, and (for security
 * schemes) the requirement the OpenAPI document lists. Build one with `depends()`.
 */
export class Dependency<T = unknown> implements DependencyDeclaration {
  readonly fn: AnyDependencyFunction;
  readonly dependencies: Readonly<Record<string, Dependency<unknown>>>;
  readonly scope: DependencyScope;
  readonly security?: SecurityRequirement;
  /** Type only: the resolved value. */
  declare readonly '~value': T;

  constructor(fn: AnyDependencyFunction, options: { dependencies?: DependenciesOption; scope?: DependencyScope; security?: SecurityRequirement } = {}) {
    if (typeof fn !== 'function') throw new TypeError(`depends(fn) takes a function, got ${describeValue(fn)}`);
    const scope = options.scope ?? 'request';
    if (scope !== 'request' && scope !== 'lifespan') throw new TypeError(`depends(fn, { scope }) takes 'request' or 'lifespan', got ${describeValue(scope)}`);
    this.fn = fn;
    this.scope = scope;
    this.dependencies = checkDependencies(options.dependencies ?? {}, `the dependencies of ${fn.name || 'a dependency'}`);
    if (options.security !== undefined) this.security = options.security;
    if (scope === 'lifespan') {
      for (const [name, dependency] of Object.entries(this.dependencies)) {
        if (dependency.scope !== 'lifespan') {
          throw new TypeError(`the lifespan dependency ${fn.name || '(anonymous)'} depends on '${name}', a request dependency: a lifespan dependency exists before any request, so it can only use lifespan dependencies`);
        }
      }
    }
  }
}

/** Checks a `dependencies` option: every value a Dependency. */
export function checkDependencies(option: unknown, where: string): Readonly<Record<string, Dependency<unknown>>> {
  if (typeof option !== 'object' || option === null || Array.isArray(option)) throw new TypeError(`${where}: dependencies takes an object of depends(...) values, got ${describeValue(option)}`);
  for (const [name, value] of Object.entries(option)) {
    if (!(value instanceof Dependency)) {
      const hint = typeof value === 'function' ? ` (wrap the function: { ${name}: depends(${value.name || 'fn'}) })` : '';
      throw new TypeError(`${where}: dependency '${name}' is ${describeValue(value)}, not a depends(...) value${hint}`);
    }
  }
  return option as Readonly<Record<string, Dependency<unknown>>>;
}

/**
 * Declare a dependency. Request dependencies (the default) get `{ request, deps }`; lifespan ones
 * `{ deps, state }` and live from startup to shutdown. A generator function yields its value once;
 * the code after `yield` is its cleanup.
 *
 * @example
 * const db = depends(async function* () {
 *   const connection = await pool.connect();
 *   try { yield connection; } finally { connection.release(); } // after the response is sent
 * });
 * const currentUser = depends(({ deps }) => findUser(deps.token), { dependencies: { token: new OAuth2PasswordBearer({ tokenUrl: '/token' }) } });
 * const pool = depends(async () => createPool(), { scope: 'lifespan' });
 * api.get('/me', { dependencies: { user: currentUser } }, ({ deps }) => deps.user);
 */
export function depends<T, D extends DependenciesOption = Record<string, never>>(
  fn: (context: DependencyContext<DepsOf<D>>) => DependencyResult<T>,
  options?: { dependencies?: D; scope?: 'request' },
): Dependency<T>;
export function depends<T, D extends DependenciesOption = Record<string, never>>(
  fn: (context: LifespanDependencyContext<DepsOf<D>>) => DependencyResult<T>,
  options: { dependencies?: D; scope: 'lifespan' },
): Dependency<T>;
export function depends(fn: AnyDependencyFunction, options?: { dependencies?: DependenciesOption; scope?: DependencyScope }): Dependency {
  return new Dependency(fn, options);
}

/**
 * Test doubles for dependencies, keyed by the original function or Dependency: a function (it
 * gets the same context and the original's dependencies) or another Dependency.
 */
export type DependencyOverrides = Map<AnyDependencyFunction | Dependency<unknown>, AnyDependencyFunction | Dependency<unknown>>;

type Cleanup = (error: unknown) => Promise<void>;

const NO_ERROR = Symbol('no error');

/** Call a dependency function; a generator's first yield is its value and the rest its cleanup. */
async function run(fn: AnyDependencyFunction, context: unknown, cleanups: Cleanup[]): Promise<unknown> {
  const result = (fn as (context: unknown) => unknown)(context);
  if (isGenerator(result)) {
    const first = await result.next();
    if (first.done) throw new DependencyError(`the dependency generator ${fn.name || '(anonymous)'} returned without yielding a value: yield the value once, then clean up`);
    cleanups.push(async (error) => {
      if (error === NO_ERROR) {
        await result.next();
        return;
      }
      try {
        await result.throw(error);
      } catch (thrown) {
        if (thrown !== error) throw thrown;
      }
    });
    return first.value;
  }
  return result;
}

function isGenerator(value: unknown): value is AsyncGenerator<unknown> | Generator<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { next?: unknown; throw?: unknown; [Symbol.asyncIterator]?: unknown; [Symbol.iterator]?: unknown };
  return typeof candidate.next === 'function' && typeof candidate.throw === 'function' && (typeof candidate[Symbol.asyncIterator] === 'function' || typeof candidate[Symbol.iterator] === 'function');
}

/** Which function and nested dependencies stand for a dependency, overrides applied. */
function effective(dependency: Dependency<unknown>, overrides: DependencyOverrides): { fn: AnyDependencyFunction; dependencies: Readonly<Record<string, Dependency<unknown>>> } {
  const override = overrides.get(dependency) ?? overrides.get(dependency.fn);
  if (override === undefined) return dependency;
  return override instanceof Dependency ? override : { fn: override, dependencies: dependency.dependencies };
}

/** Run cleanups last-in first-out; every one runs, the first failure is thrown afterwards. */
async function runCleanups(cleanups: Cleanup[], error: unknown): Promise<void> {
  let failure: { error: unknown } | undefined;
  while (cleanups.length > 0) {
    try {
      await cleanups.pop()!(error);
    } catch (thrown) {
      failure ??= { error: thrown };
    }
  }
  if (failure) throw failure.error;
}

/** The lifespan dependencies of an Api: created at startup, cleaned up at shutdown. */
export class LifespanDependencies {
  readonly #values = new Map<AnyDependencyFunction, Promise<unknown>>();
  readonly #cleanups: Cleanup[] = [];
  #started = false;

  get started(): boolean {
    return this.#started;
  }

  /** Create every lifespan dependency reachable from `roots`, each once. */
  async start(roots: Iterable<Dependency<unknown>>, state: State, overrides: DependencyOverrides): Promise<void> {
    this.#started = true;
    for (const root of roots) await this.#visit(root, state, overrides);
  }

  async #visit(dependency: Dependency<unknown>, state: State, overrides: DependencyOverrides): Promise<void> {
    for (const nested of Object.values(dependency.dependencies)) await this.#visit(nested, state, overrides);
    if (dependency.scope === 'lifespan') await this.#resolve(dependency, state, overrides);
  }

  #resolve(dependency: Dependency<unknown>, state: State, overrides: DependencyOverrides): Promise<unknown> {
    let value = this.#values.get(dependency.fn);
    if (value === undefined) {
      const { fn, dependencies } = effective(dependency, overrides);
      value = (async () => {
        const deps: Record<string, unknown> = {};
        for (const [name, nested] of Object.entries(dependencies)) deps[name] = await this.#resolve(nested, state, overrides);
        return run(fn, { deps, state }, this.#cleanups);
      })();
      this.#values.set(dependency.fn, value);
    }
    return value;
  }

  /** The value created at startup. */
  get(dependency: Dependency<unknown>): Promise<unknown> {
    const value = this.#values.get(dependency.fn);
    if (value === undefined) {
      throw new DependencyError(
        `the lifespan dependency ${dependency.fn.name || '(anonymous)'} was used before the app's lifespan started: ` +
          'the server runs it at startup; with a TestClient, call `await client.start()` first',
      );
    }
    return value;
  }

  /** Clean up in reverse order of creation. */
  async stop(): Promise<void> {
    this.#values.clear();
    this.#started = false;
    await runCleanups(this.#cleanups, NO_ERROR);
  }
}

/** The dependencies of one request: resolved once each, cleaned up after the response. */
export class RequestDependencies {
  readonly #request: Request;
  readonly #overrides: DependencyOverrides;
  readonly #lifespan: LifespanDependencies;
  readonly #values = new Map<AnyDependencyFunction, Promise<unknown>>();
  readonly #cleanups: Cleanup[] = [];

  constructor(request: Request, overrides: DependencyOverrides, lifespan: LifespanDependencies) {
    this.#request = request;
    this.#overrides = overrides;
    this.#lifespan = lifespan;
  }

  /** Resolve named dependencies in declaration order. */
  async resolveAll(dependencies: Readonly<Record<string, Dependency<unknown>>>, into: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    for (const [name, dependency] of Object.entries(dependencies)) into[name] = await this.resolve(dependency);
    return into;
  }

  resolve(dependency: Dependency<unknown>): Promise<unknown> {
    if (dependency.scope === 'lifespan') return this.#lifespan.get(dependency);
    let value = this.#values.get(dependency.fn);
    if (value === undefined) {
      const { fn, dependencies } = effective(dependency, this.#overrides);
      value = this.resolveAll(dependencies).then((deps) => run(fn, { request: this.#request, deps }, this.#cleanups));
      this.#values.set(dependency.fn, value);
    }
    return value;
  }

  /** Run the cleanups, last first: after the response, or with the error the request failed with. */
  close(failure?: { error: unknown }): Promise<void> {
    if (this.#cleanups.length === 0) return Promise.resolve();
    return runCleanups(this.#cleanups, failure === undefined ? NO_ERROR : failure.error);
  }
}
