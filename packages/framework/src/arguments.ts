/**
 * How public constructors check what they are given: once, when built, so a wrong argument is a
 * TypeError at startup saying what was given and what is accepted, not a 500 on every request.
 */
import { ProtocolApp } from './protocol-app';

/**
 * A received value in a few words, for the "got ..." half of an error message.
 *
 * @example
 * describeValue({ routes: [] }); // 'an object with keys routes'
 * describeValue('GET');          // 'string "GET"'
 * describeValue(new Route('/', home)); // 'a Route'
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'string':
      return `string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
    case 'number':
    case 'boolean':
      return `${typeof value} ${String(value)}`;
    case 'bigint':
      return `bigint ${value}n`;
    case 'symbol':
      return `symbol ${String(value)}`;
    case 'function':
      return describeFunction(value);
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : `an array of ${value.length}`;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype === null || prototype === Object.prototype) {
    const keys = Object.keys(value as object);
    if (keys.length === 0) return 'an empty object';
    return `an object with keys ${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', ...' : ''}`;
  }
  return withArticle((value as object).constructor?.name || 'object without a class');
}

function describeFunction(fn: { readonly name: string }): string {
  // App, Router and every Response are callable instances: name their class.
  if (fn instanceof ProtocolApp) return withArticle(fn.constructor.name);
  const name = fn.name || 'anonymous';
  if (isClass(fn)) return `a class (${name})`;
  const kind = fn.constructor.name;
  if (kind === 'GeneratorFunction') return `a generator function (${name})`;
  if (kind === 'AsyncGeneratorFunction') return `an async generator function (${name})`;
  return `a function (${name})`;
}

/** Whether a function is a class (calling it without `new` throws). */
export function isClass(fn: unknown): boolean {
  return typeof fn === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(fn));
}

function withArticle(noun: string): string {
  return `${/^[AEIOUaeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;
}

/** Whether a value is a plain options object: not null, an array or a function. */
export function isOptionsObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Check an options object: `undefined` is `{}`; anything but an object, or a key `known` does not
 * list (a typo would otherwise be ignored in silence), is a TypeError. `known` lists every option
 * of `T`, so the compiler keeps it in step with the interface.
 *
 * @example
 * const { name } = checkOptions<MountOptions>(options, "new Mount('/api', app, options)", { name: true });
 */
export function checkOptions<T extends object>(options: T | undefined, where: string, known: Record<keyof T, true>): T {
  if (options === undefined) return {} as T;
  const names = Object.keys(known);
  if (!isOptionsObject(options)) throw new TypeError(`${where} takes an options object { ${names.join(', ')} }, got ${describeValue(options)}`);
  for (const key of Object.keys(options)) {
    if (!(key in known)) throw new TypeError(`${where} has no option '${key}'; it takes ${names.join(', ')}`);
  }
  return options;
}

/** An optional option that must be `true` or `false`. */
export function checkBoolean(value: unknown, where: string): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw new TypeError(`${where} takes true or false, got ${describeValue(value)}`);
}

/** An optional option that must be a string. */
export function checkString(value: unknown, where: string): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  throw new TypeError(`${where} takes a string, got ${describeValue(value)}`);
}

/** An optional option that must be a function. */
export function checkFunction(value: unknown, where: string, what = 'a function'): void {
  if (value !== undefined && typeof value !== 'function') throw new TypeError(`${where} takes ${what}, got ${describeValue(value)}`);
}

/** An optional option that must be an array of strings (a lone string is refused, not read as its characters). */
export function checkStrings(value: unknown, where: string): readonly string[] | undefined {
  if (value === undefined || (Array.isArray(value) && value.every((item) => typeof item === 'string'))) return value;
  const hint = typeof value === 'string' ? ` (write [${JSON.stringify(value)}])` : '';
  throw new TypeError(`${where} takes an array of strings, got ${describeValue(value)}${hint}`);
}
