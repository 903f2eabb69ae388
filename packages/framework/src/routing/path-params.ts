/**
 * The parameters of a path, inferred from the literal type of the path: `'/users/:id<int>'`
 * gives `{ id: number }`. Deliberately shallow (one level of conditional types per parameter,
 * no recursion over characters) so that `tsc` stays fast however many routes an app has.
 */

interface ConvertedTypes {
  str: string;
  path: string;
  int: number;
  float: number;
  uuid: string;
}

/** `id<int>/rest` → `id<int>`; stops at the characters that may end a parameter name. */
type CutName<S extends string> = S extends `${infer Head}/${string}`
  ? CutPunctuation<Head>
  : CutPunctuation<S>;
type CutPunctuation<S extends string> = S extends `${infer Head}}${string}`
  ? CutDot<Head>
  : CutDot<S>;
type CutDot<S extends string> = S extends `${infer Head}.${string}` ? CutDash<Head> : CutDash<S>;
type CutDash<S extends string> = S extends `${infer Head}-${string}` ? Head : S;

/** One `name<conv>` (or bare `name`) as an object type. */
type ParamEntry<S extends string, Default extends keyof ConvertedTypes> = S extends `${infer Name}<${infer Converter}>`
  ? { [K in Name]: Converter extends keyof ConvertedTypes ? ConvertedTypes[Converter] : string }
  : { [K in S]: ConvertedTypes[Default] };

/** Every `:param` (or `*wildcard`, by `Sigil`) of a path without groups. */
type Collect<S extends string, Sigil extends string, Default extends keyof ConvertedTypes, Found = unknown> =
  S extends `${string}${Sigil}${infer Tail}` ? Collect<Tail, Sigil, Default, Found & ParamEntry<CutName<Tail>, Default>> : Found;

type Plain<S extends string> = Collect<S, ':', 'str'> & Collect<S, '*', 'path'>;

/** Parameters inside `{...}` are optional. Nested groups are not told apart (still typed, as optional). */
type Grouped<S extends string> = S extends `${infer Before}{${infer Inside}}${infer After}`
  ? Plain<Before> & Partial<Plain<Inside>> & Grouped<After>
  : Plain<S>;

type Simplify<T> = { [K in keyof T]: T[K] };

/**
 * The `pathParams` of a route path. A path whose literal type is unknown (`string`) gives a
 * record of every possible value type.
 *
 * @example
 * type P = PathParams<'/users/:id<int>/files/*rest'>; // { id: number; rest: string }
 */
export type PathParams<Path extends string> = string extends Path
  ? Record<string, string | number>
  : keyof Grouped<Path> extends never
    ? Record<string, never>
    : Simplify<Grouped<Path>>;
