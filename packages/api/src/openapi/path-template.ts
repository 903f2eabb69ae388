/**
 * Framework route paths (`/items/:id<int>`, `/files/*rest`, `/archive{/:year<int>}`) as OpenAPI
 * path templates (`/items/{id}`). OpenAPI has no optional path segments, so a path with
 * `{...}` groups becomes one template per combination of groups, the fullest first.
 *
 * The syntax is path-to-regexp 8's as the framework's PathPattern reads it; it is parsed here
 * again because PathPattern does not expose its tokens and path-to-regexp is not a dependency
 * of this package.
 */
import { OpenApiError } from './errors';

/** The framework's converters; `str` when none is written (`path` for `*` wildcards). */
export type PathConverter = 'str' | 'int' | 'float' | 'uuid' | 'path';

/** One path parameter as the template names it. */
export interface TemplateParam {
  readonly name: string;
  readonly converter: PathConverter;
  /** A `*wildcard`: its value may hold `/`. */
  readonly wildcard: boolean;
}

/** One OpenAPI path for a framework path. */
export interface PathTemplate {
  /** `/items/{id}` */
  readonly path: string;
  /** The parameters this template holds, in order. */
  readonly params: readonly TemplateParam[];
}

type Token =
  | { readonly type: 'text'; readonly value: string }
  | { readonly type: 'param'; readonly param: TemplateParam }
  | { readonly type: 'group'; readonly tokens: readonly Token[] };

const CONVERTERS: ReadonlySet<string> = new Set(['str', 'int', 'float', 'uuid', 'path']);
const NAME_START = /[$_\p{ID_Start}]/u;
const NAME_CONTINUE = /[$\u200c\u200d\p{ID_Continue}]/u;

/**
 * The OpenAPI templates of a framework path, the one with every optional group first.
 *
 * @example
 * toPathTemplates('/items/:id<int>'); // [{ path: '/items/{id}', params: [{ name: 'id', converter: 'int', wildcard: false }] }]
 * toPathTemplates('/archive{/:year<int>}').map((t) => t.path); // ['/archive/{year}', '/archive']
 */
export function toPathTemplates(source: string): PathTemplate[] {
  const parser = new Parser(source);
  const tokens = parser.tokens(false);
  return expand(tokens).map((flat) => {
    let path = '';
    const params: TemplateParam[] = [];
    for (const token of flat) {
      if (token.type === 'text') path += token.value;
      else {
        path += `{${token.param.name}}`;
        if (!params.some((seen) => seen.name === token.param.name)) params.push(token.param);
      }
    }
    return { path, params };
  });
}

type FlatToken = Exclude<Token, { type: 'group' }>;

/** Every combination of optional groups, the fullest first. */
function expand(tokens: readonly Token[]): FlatToken[][] {
  let variants: FlatToken[][] = [[]];
  for (const token of tokens) {
    if (token.type !== 'group') {
      for (const variant of variants) variant.push(token);
      continue;
    }
    const inner = expand(token.tokens);
    const next: FlatToken[][] = [];
    for (const variant of variants) {
      for (const choice of inner) next.push([...variant, ...choice]);
      next.push([...variant]);
    }
    variants = next;
  }
  return variants;
}

class Parser {
  readonly #source: string;
  #index = 0;

  constructor(source: string) {
    this.#source = source;
  }

  /** Tokens up to the end, or up to the `}` closing the current group. */
  tokens(inGroup: boolean): Token[] {
    const tokens: Token[] = [];
    let text = '';
    const flush = (): void => {
      if (text !== '') tokens.push({ type: 'text', value: text });
      text = '';
    };
    while (this.#index < this.#source.length) {
      const char = this.#source[this.#index]!;
      if (char === '\\') {
        text += this.#source[this.#index + 1] ?? '';
        this.#index += 2;
      } else if (char === ':' || char === '*') {
        flush();
        this.#index++;
        tokens.push({ type: 'param', param: this.#param(char === '*') });
      } else if (char === '{') {
        flush();
        this.#index++;
        tokens.push({ type: 'group', tokens: this.tokens(true) });
      } else if (char === '}') {
        if (!inGroup) throw this.#error("a '}' closes no group");
        this.#index++;
        flush();
        return tokens;
      } else {
        text += char;
        this.#index++;
      }
    }
    if (inGroup) throw this.#error("a '{' group is not closed");
    flush();
    return tokens;
  }

  #param(wildcard: boolean): TemplateParam {
    const name = this.#name();
    let converter: PathConverter = wildcard ? 'path' : 'str';
    if (this.#source[this.#index] === '<') {
      const end = this.#source.indexOf('>', this.#index);
      const written = end === -1 ? '' : this.#source.slice(this.#index + 1, end);
      if (!CONVERTERS.has(written)) throw this.#error(`unknown converter '<${written}>' for '${name}'`);
      converter = written as PathConverter;
      this.#index = end + 1;
    }
    return { name, converter, wildcard };
  }

  #name(): string {
    const source = this.#source;
    if (source[this.#index] === '"') {
      const end = source.indexOf('"', this.#index + 1);
      if (end === -1) throw this.#error('a quoted parameter name is not closed');
      const name = source.slice(this.#index + 1, end);
      this.#index = end + 1;
      return name;
    }
    const start = this.#index;
    if (!NAME_START.test(source[start] ?? '')) throw this.#error('a parameter has no name');
    this.#index++;
    while (this.#index < source.length && NAME_CONTINUE.test(source[this.#index]!)) this.#index++;
    return source.slice(start, this.#index);
  }

  #error(problem: string): OpenApiError {
    return new OpenApiError(`cannot document the path '${this.#source}': ${problem} (at character ${this.#index + 1})`);
  }
}
