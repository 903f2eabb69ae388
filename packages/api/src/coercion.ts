/**
 * Pre-coercion of request strings (path, query, headers, cookies, form fields) by the schema
 * that will read them, as FastAPI's lax parsing does: `z.number()` gets `'7'` as `7`,
 * `z.boolean()` gets `'true' | '1' | 'yes' | 'on'` as `true`, an array field gets every
 * repeated value. A string that does not convert is passed on as it is, so zod reports it.
 * `z.coerce.*` schemas keep working (they receive the converted value or the string).
 */
import type { z } from 'zod';

type Kind = 'number' | 'bigint' | 'boolean' | 'date' | 'string' | 'array' | 'other';

interface FieldShape {
  kind: Kind;
  /** For arrays: the element's kind. */
  element?: Kind;
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  values?: readonly unknown[];
  options?: readonly z.ZodType[];
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** The kind a schema reads, looking through optional, default, nullable, pipe and the like. */
export function kindOf(schema: z.ZodType): Kind {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nonoptional':
    case 'default':
    case 'prefault':
    case 'nullable':
    case 'readonly':
    case 'catch':
      return def.innerType ? kindOf(def.innerType) : 'other';
    case 'pipe':
      return def.in ? kindOf(def.in) : 'other';
    case 'number':
    case 'int':
      return 'number';
    case 'bigint':
    case 'boolean':
    case 'date':
    case 'string':
    case 'array':
      return def.type;
    case 'literal': {
      const first = def.values?.[0];
      return typeof first === 'number' ? 'number' : typeof first === 'boolean' ? 'boolean' : 'other';
    }
    default:
      return 'other';
  }
}

function elementOf(schema: z.ZodType): z.ZodType | undefined {
  const def = defOf(schema);
  if (def.type === 'array') return def.element;
  const inner = def.innerType ?? def.in;
  return inner ? elementOf(inner) : undefined;
}

const shapesCache = new WeakMap<z.ZodObject, ReadonlyMap<string, FieldShape>>();

/** The shape of each field of an object schema, computed once per schema. */
export function fieldShapes(schema: z.ZodObject): ReadonlyMap<string, FieldShape> {
  const cached = shapesCache.get(schema);
  if (cached) return cached;
  const shapes = new Map<string, FieldShape>();
  shapesCache.set(schema, shapes);
  for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    const kind = kindOf(field);
    const element = kind === 'array' ? elementOf(field) : undefined;
    shapes.set(key, element ? { kind, element: kindOf(element) } : { kind });
  }
  return shapes;
}

const NUMBER = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;
const TRUE = new Set(['true', '1', 'yes', 'on', 't', 'y']);
const FALSE = new Set(['false', '0', 'no', 'off', 'f', 'n']);

/** One string converted to what `kind` reads, or left as it is. */
export function coerce(value: unknown, kind: Kind | undefined): unknown {
  if (typeof value !== 'string') return value;
  switch (kind) {
    case 'number':
      return NUMBER.test(value) ? Number(value) : value;
    case 'bigint':
      return /^\s*[-+]?\d+\s*$/.test(value) ? BigInt(value.trim()) : value;
    case 'boolean': {
      const lower = value.toLowerCase();
      return TRUE.has(lower) ? true : FALSE.has(lower) ? false : value;
    }
    case 'date': {
      const date = new Date(value);
      return Number.isNaN(date.getTime()) ? value : date;
    }
    default:
      return value;
  }
}

/** A multi-value source: the framework's QueryParams, FormData or Headers. */
export interface MultiSource<V> {
  get(key: string): V | undefined;
  getAll(key: string): V[];
}

/**
 * The object a part schema parses: for each schema field, its value (every value for an array
 * field) from `source`, read under `nameOf(key)`, coerced. Keys the schema does not name are left out.
 */
export function collect<V>(shapes: ReadonlyMap<string, FieldShape>, source: MultiSource<V>, nameOf: (key: string) => string = (key) => key): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [key, shape] of shapes) {
    const name = nameOf(key);
    if (shape.kind === 'array') {
      const values = source.getAll(name);
      if (values.length > 0) input[key] = values.map((value) => coerce(value, shape.element));
    } else {
      const value = source.get(name);
      if (value !== undefined) input[key] = coerce(value, shape.kind);
    }
  }
  return input;
}
