/**
 * A route path compiled once: path-to-regexp 8 syntax (`/users/:id`, `/files/*rest`,
 * `{/:optional}`) plus typed parameters written `:id<int>`, `:price<float>`, `:key<uuid>` or
 * `*rest<path>`. path-to-regexp has no custom regex groups, so the converter is stripped before
 * compiling and checked after matching: a value that does not convert means "no match", and the
 * router tries the next route (Starlette's convertors do the same).
 */
import { compile, parse, pathToRegexp, type Token } from 'path-to-regexp';

/** A converted path parameter. */
export type PathParamValue = string | number;
export type PathParamsRecord = Record<string, PathParamValue>;

interface Converter {
  /** The converted value, or undefined when the text does not fit. */
  parse(text: string): PathParamValue | undefined;
  format(value: PathParamValue): string;
}

const asString = (value: PathParamValue): string => String(value);

const CONVERTERS = {
  str: { parse: (text: string) => text, format: asString },
  path: { parse: (text: string) => text, format: asString },
  int: {
    parse: (text: string) => (/^[0-9]+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : undefined),
    format: (value: PathParamValue) => {
      if (!Number.isSafeInteger(Number(value)) || Number(value) < 0 || String(value).trim() === '') throw new TypeError(`${String(value)} is not a non-negative integer`);
      return String(Number(value));
    },
  },
  float: {
    parse: (text: string) => (/^[0-9]+(\.[0-9]+)?$/.test(text) ? Number(text) : undefined),
    format: (value: PathParamValue) => {
      const number = Number(value);
      if (!Number.isFinite(number) || number < 0 || String(value).trim() === '') throw new TypeError(`${String(value)} is not a non-negative number`);
      return String(number);
    },
  },
  uuid: {
    parse: (text: string) => (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text) ? text.toLowerCase() : undefined),
    format: (value: PathParamValue) => {
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(String(value))) throw new TypeError(`${String(value)} is not a UUID`);
      return String(value).toLowerCase();
    },
  },
} satisfies Record<string, Converter>;

export type ConverterName = keyof typeof CONVERTERS;

/** A path that cannot be compiled: bad syntax, an unknown converter, a converter in the wrong place. */
export class PathPatternError extends Error {
  override readonly name = 'PathPatternError';
}

interface Param {
  name: string;
  wildcard: boolean;
  converter: Converter;
}

const TYPED_PARAM = /([:*])([A-Za-z_$][\w$]*)<([^>]*)>/g;

export interface PatternMatch {
  params: PathParamsRecord;
  /** The part of the path the pattern consumed (the whole path unless it is a prefix pattern). */
  matched: string;
}

/**
 * @example
 * const pattern = new PathPattern('/users/:id<int>');
 * pattern.match('/users/7'); // { params: { id: 7 }, matched: '/users/7' }
 * pattern.match('/users/me'); // null: 'me' is not an int
 * pattern.params('/users/7'); // { id: 7 }
 * pattern.format({ id: 7 }); // '/users/7'
 */
export class PathPattern {
  /** The path as written, converters included. */
  readonly source: string;
  /** Parameter names, each once, in order of appearance. */
  readonly paramNames: readonly string[];
  /**
   * The first path segment when it is plain text (`'users'` for `/users/:id`, `''` for `/`);
   * undefined when it holds a parameter or an optional group. The router indexes by it.
   */
  readonly firstSegment: string | undefined;
  readonly #regexp: RegExp;
  /** The parameter of each capture group (groups repeat names: one per path combination). */
  readonly #captures: Param[];
  readonly #params = new Map<string, Param>();
  readonly #format: (params: Record<string, string | string[]>) => string;
  /** The whole path, when it has no parameters or groups. */
  readonly #literal: string | undefined;

  /** `prefix`: match the beginning of a path, ending at a `/` or the end (for Mount). */
  constructor(source: string, options: { prefix?: boolean; delimiter?: string } = {}) {
    this.source = source;
    const converters = new Map<string, ConverterName>();
    const plain = source.replace(TYPED_PARAM, (_all, sigil: string, name: string, converter: string) => {
      if (!(converter in CONVERTERS)) {
        throw new PathPatternError(`unknown converter '${converter}' for '${name}' in '${source}': use one of ${Object.keys(CONVERTERS).join(', ')}`);
      }
      if ((sigil === '*') !== (converter === 'path')) {
        throw new PathPatternError(`'${sigil}${name}<${converter}>' in '${source}': the 'path' converter goes with '*' wildcards, the others with ':' parameters`);
      }
      converters.set(name, converter as ConverterName);
      return `${sigil}${name}`;
    });
    const delimiter = options.delimiter ?? '/';
    let compiled: ReturnType<typeof pathToRegexp>;
    try {
      compiled = pathToRegexp(plain, { end: options.prefix !== true, trailing: false, sensitive: true, delimiter });
      this.#format = compile(plain, { delimiter });
    } catch (error) {
      throw new PathPatternError(`cannot compile the path '${source}': ${(error as Error).message}`, { cause: error });
    }
    this.#regexp = compiled.regexp;
    this.#captures = compiled.keys.map((key) => {
      let param = this.#params.get(key.name);
      if (!param) {
        const wildcard = key.type === 'wildcard';
        param = { name: key.name, wildcard, converter: CONVERTERS[converters.get(key.name) ?? (wildcard ? 'path' : 'str')] };
        this.#params.set(key.name, param);
      }
      return param;
    });
    this.paramNames = [...this.#params.keys()];
    const { tokens } = parse(plain);
    this.firstSegment = delimiter === '/' ? firstStaticSegment(tokens) : undefined;
    // A path without parameters or groups matches only itself: a string comparison, no regex.
    if (options.prefix !== true && tokens.length === 1 && tokens[0]!.type === 'text') this.#literal = tokens[0]!.value;
  }

  /** The converted parameters and the matched text, or null when the path does not match or a value does not convert. */
  match(path: string): PatternMatch | null {
    if (this.#literal !== undefined) return path === this.#literal ? { params: {}, matched: path } : null;
    const found = this.#regexp.exec(path);
    if (found === null) return null;
    const params = this.#converted(found);
    return params === null ? null : { params, matched: found[0] };
  }

  /** `match` without the matched text, for patterns that match the whole text (a route's path, a host name; not a Mount's prefix): one object fewer per request. */
  params(path: string): PathParamsRecord | null {
    if (this.#literal !== undefined) return path === this.#literal ? {} : null;
    const found = this.#regexp.exec(path);
    return found === null ? null : this.#converted(found);
  }

  #converted(found: RegExpExecArray): PathParamsRecord | null {
    const params: PathParamsRecord = {};
    for (let i = 1; i < found.length; i++) {
      const text = found[i];
      if (text === undefined) continue;
      const param = this.#captures[i - 1]!;
      const value = param.converter.parse(text);
      if (value === undefined) return null;
      params[param.name] = value;
    }
    return params;
  }

  /**
   * Build a path from parameters (values are converted back and percent-encoded). Throws a
   * TypeError naming the parameter when one is missing or does not fit its converter.
   */
  format(params: Partial<PathParamsRecord>): string {
    const texts: Record<string, string | string[]> = {};
    for (const [name, param] of this.#params) {
      const value = params[name];
      if (value === undefined) continue;
      let text: string;
      try {
        text = param.converter.format(value);
      } catch (error) {
        throw new TypeError(`path parameter '${name}' of '${this.source}': ${(error as Error).message}`);
      }
      texts[name] = param.wildcard ? text.split('/') : text;
    }
    return this.#format(texts);
  }
}

function firstStaticSegment(tokens: Token[]): string | undefined {
  const [first, second] = tokens;
  if (first?.type !== 'text' || !first.value.startsWith('/')) return undefined;
  const end = first.value.indexOf('/', 1);
  if (end !== -1) return first.value.slice(1, end);
  // The text is the whole first segment only if nothing but a new segment follows it.
  if (second === undefined) return first.value.slice(1);
  const next = second.type === 'group' ? second.tokens[0] : undefined;
  if (next?.type === 'text' && next.value.startsWith('/')) return first.value.slice(1);
  return undefined;
}
