/**
 * An endpoint as registered, before it belongs to an Api: options checked and normalised, with
 * the dependencies of the routers it passed through. Routers hold these; including a router
 * copies them under its prefix, tags, responses and dependencies.
 */
import type { z } from 'zod';
import type { EndpointDefinition, Method, PartSchema, ResponseDeclaration, ResponseValidation } from './definition';
import { toBodyDeclaration } from './bodies';
import { checkDependencies, type Dependency } from './dependencies';
import type { AnyHandler } from './types';
import { describeValue, isZodSchema } from './validation';

export const METHODS: readonly Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

type Dependencies = Readonly<Record<string, Dependency<unknown>>>;

/** The definition's fields before an Api settles them: the operationId and response validation may be unset (the defaults apply). */
export interface EndpointSpec extends Omit<EndpointDefinition, 'operationId' | 'responseValidation' | 'dependencies'> {
  readonly operationId?: string;
  /** Unset: the Api's setting applies. */
  readonly responseValidation?: ResponseValidation;
  readonly name?: string;
  readonly handler: AnyHandler;
  /** Router and Api level dependencies, outermost first: resolved before the endpoint's own, for their effect. */
  readonly outer: readonly Dependencies[];
  readonly dependencies: Dependencies;
}

/** What a router (or the Api) adds to the endpoints under it. */
export interface GroupOptions {
  prefix?: string | undefined;
  tags?: readonly string[] | undefined;
  dependencies?: Dependencies | undefined;
  responses?: Readonly<Record<number, z.ZodType | ResponseDeclaration>> | undefined;
}

const KNOWN = new Set(['params', 'query', 'headers', 'cookies', 'body', 'responses', 'status', 'dependencies', 'tags', 'summary', 'description', 'operationId', 'deprecated', 'responseValidation', 'includeInSchema', 'name']);

function part(value: unknown, key: string, where: string): PartSchema | undefined {
  if (value === undefined) return undefined;
  if (!isZodSchema(value) || value.def.type !== 'object') {
    throw new TypeError(`${where}: ${key} takes a z.object({...}) schema (one field per ${key === 'params' ? 'path parameter' : key === 'headers' ? 'header' : key.replace(/s$/, '')}), got ${describeValue(value)}`);
  }
  return value as PartSchema;
}

/** `path` checked: a string starting with '/'. */
export function checkPath(path: unknown, where: string): string {
  if (typeof path !== 'string' || !path.startsWith('/')) throw new TypeError(`${where}: paths start with '/', got ${describeValue(path)}`);
  return path;
}

/** The prefix of a router: '' or a path starting with '/' and not ending with one. */
export function checkPrefix(prefix: unknown): string {
  if (prefix === undefined || prefix === '') return '';
  if (typeof prefix !== 'string' || !prefix.startsWith('/') || prefix.endsWith('/')) {
    throw new TypeError(`ApiRouter prefix takes '' or a path starting with '/' and not ending with '/' (e.g. '/items'), got ${describeValue(prefix)}`);
  }
  return prefix;
}

/** Responses with every entry a declaration. */
export function normaliseResponses(option: unknown, where: string): Record<number, ResponseDeclaration> {
  if (option === undefined) return {};
  if (typeof option !== 'object' || option === null) throw new TypeError(`${where}: responses takes { [status]: zodSchema | { schema?, description?, mediaType? } }, got ${describeValue(option)}`);
  const responses: Record<number, ResponseDeclaration> = {};
  for (const [key, value] of Object.entries(option)) {
    const status = Number(key);
    if (!Number.isInteger(status) || status < 100 || status > 599) throw new TypeError(`${where}: responses keys are HTTP status codes (100-599), got '${key}'`);
    if (isZodSchema(value)) responses[status] = { schema: value };
    else if (typeof value === 'object' && value !== null && !Array.isArray(value) && (!('schema' in value) || value.schema === undefined || isZodSchema(value.schema))) responses[status] = value as ResponseDeclaration;
    else throw new TypeError(`${where}: responses[${key}] takes a zod schema or { schema?, description?, mediaType? }, got ${describeValue(value)}`);
  }
  return responses;
}

function checkTags(tags: unknown, where: string): readonly string[] {
  if (tags === undefined) return [];
  if (!Array.isArray(tags) || !tags.every((tag) => typeof tag === 'string')) throw new TypeError(`${where}: tags takes an array of strings, got ${describeValue(tags)}`);
  return tags as string[];
}

function optionalString(value: unknown, key: string, where: string): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  throw new TypeError(`${where}: ${key} takes a string, got ${describeValue(value)}`);
}

/** Check and normalise what `api.get(path, options, handler)` was given. */
export function buildSpec(method: Method, path: unknown, options: unknown, handler: unknown): EndpointSpec {
  const where = `${method} ${typeof path === 'string' ? path : '(path)'}`;
  checkPath(path, where);
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${where}: the second argument is the options object (use {} for none), got ${describeValue(options)}; the handler comes third`);
  }
  if (typeof handler !== 'function') throw new TypeError(`${where}: the handler (third argument) must be a function ({ params, query, body, deps, request }) => value, got ${describeValue(handler)}`);
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) if (!KNOWN.has(key)) throw new TypeError(`${where}: unknown option '${key}'; the options are ${[...KNOWN].join(', ')}`);
  const status = o.status ?? 200;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) throw new TypeError(`${where}: status takes an HTTP status code (100-599), got ${describeValue(status)}`);
  const responseValidation = o.responseValidation;
  if (responseValidation !== undefined && responseValidation !== 'strict' && responseValidation !== 'off') throw new TypeError(`${where}: responseValidation takes 'strict' or 'off', got ${describeValue(responseValidation)}`);
  const spec: { -readonly [K in keyof EndpointSpec]: EndpointSpec[K] } = {
    method,
    path: path as string,
    responses: normaliseResponses(o.responses, where),
    status,
    tags: checkTags(o.tags, where),
    deprecated: o.deprecated === true,
    includeInSchema: o.includeInSchema !== false,
    handler: handler as AnyHandler,
    outer: [],
    dependencies: checkDependencies(o.dependencies ?? {}, where),
  };
  for (const key of ['params', 'query', 'headers', 'cookies'] as const) {
    const schema = part(o[key], key, where);
    if (schema) spec[key] = schema;
  }
  if (o.body !== undefined) spec.body = toBodyDeclaration(o.body, where);
  for (const key of ['summary', 'description', 'operationId', 'name'] as const) {
    const value = optionalString(o[key], key, where);
    if (value !== undefined) spec[key] = value;
  }
  if (responseValidation !== undefined) spec.responseValidation = responseValidation;
  return spec;
}

/** The group's settings checked once. */
export interface Group {
  readonly prefix: string;
  readonly tags: readonly string[];
  readonly dependencies: Dependencies;
  readonly responses: Readonly<Record<number, ResponseDeclaration>>;
}

export function buildGroup(options: GroupOptions, where: string): Group {
  return {
    prefix: checkPrefix(options.prefix),
    tags: checkTags(options.tags, where),
    dependencies: checkDependencies(options.dependencies ?? {}, where),
    responses: normaliseResponses(options.responses, where),
  };
}

/** A spec under a group: prefix before its path, the group's tags, responses and dependencies around it. */
export function underGroup(spec: EndpointSpec, group: Group): EndpointSpec {
  const tags = [...group.tags, ...spec.tags.filter((tag) => !group.tags.includes(tag))];
  const outer = Object.keys(group.dependencies).length > 0 ? [group.dependencies, ...spec.outer] : spec.outer;
  return { ...spec, path: group.prefix + spec.path, tags, responses: { ...group.responses, ...spec.responses }, outer };
}
