/**
 * zod issues in FastAPI's 422 shape: `{ loc, msg, type, input, ctx? }`, `loc` starting with
 * the request part. Every part is parsed and every issue reported together.
 */
import { z } from 'zod';
import type { ValidationIssue } from './exceptions';

export type PartName = 'path' | 'query' | 'header' | 'cookie' | 'body';

type ZodIssue = z.core.$ZodIssue & { input?: unknown };

const TYPE_NAMES: Record<string, string> = { number: 'float', int: 'int', string: 'string', boolean: 'bool', array: 'list', object: 'model', bigint: 'int', date: 'datetime' };

/** FastAPI's (pydantic's) `type` for a zod issue. */
function typeOf(issue: ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      if (!('input' in issue) || issue.input === undefined) return 'missing';
      const name = TYPE_NAMES[issue.expected] ?? issue.expected;
      return typeof issue.input === 'string' && (name === 'int' || name === 'float' || name === 'bool') ? `${name}_parsing` : `${name}_type`;
    }
    case 'too_small':
      return issue.origin === 'string' ? 'string_too_short' : issue.origin === 'array' || issue.origin === 'set' ? 'too_short' : issue.inclusive ? 'greater_than_equal' : 'greater_than';
    case 'too_big':
      return issue.origin === 'string' ? 'string_too_long' : issue.origin === 'array' || issue.origin === 'set' ? 'too_long' : issue.inclusive ? 'less_than_equal' : 'less_than';
    case 'invalid_format':
      return issue.format === 'regex' ? 'string_pattern_mismatch' : `${issue.format}_parsing`;
    case 'invalid_value':
      return issue.values.length === 1 ? 'literal_error' : 'enum';
    case 'not_multiple_of':
      return 'multiple_of';
    case 'unrecognized_keys':
      return 'extra_forbidden';
    case 'invalid_union':
      return 'union_tag_invalid';
    default:
      return issue.code === 'custom' ? 'value_error' : issue.code;
  }
}

function ctxOf(issue: ZodIssue): Record<string, unknown> | undefined {
  switch (issue.code) {
    case 'too_small':
      return { [issue.inclusive ? 'ge' : 'gt']: toJson(issue.minimum) };
    case 'too_big':
      return { [issue.inclusive ? 'le' : 'lt']: toJson(issue.maximum) };
    case 'invalid_format':
      return issue.pattern === undefined ? { format: issue.format } : { format: issue.format, pattern: issue.pattern };
    case 'invalid_value':
      return { expected: issue.values.map(toJson) };
    default:
      return undefined;
  }
}

function toJson(value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** The 422 entries for the issues of one part. */
export function toIssues(part: PartName | undefined, issues: readonly z.core.$ZodIssue[]): ValidationIssue[] {
  return issues.map((raw) => {
    const issue = raw as ZodIssue;
    const type = typeOf(issue);
    const loc = [...(part ? [part] : []), ...issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key))];
    const ctx = ctxOf(issue);
    return {
      loc,
      msg: type === 'missing' ? 'Field required' : issue.message,
      type,
      ...('input' in issue && issue.input !== undefined && { input: jsonSafe(issue.input) }),
      ...(ctx !== undefined && { ctx }),
    };
  });
}

/** Inputs go back to the client as JSON: files and bytes are described, not serialised. */
function jsonSafe(input: unknown): unknown {
  if (typeof input === 'bigint') return input.toString();
  if (input instanceof Uint8Array) return `<${input.length} bytes>`;
  if (typeof input === 'object' && input !== null && typeof (input as { read?: unknown }).read === 'function') return '<file>';
  return input;
}

const REPORT_INPUT = { reportInput: true } as const;

/**
 * Parse synchronously without a context (zod's fast path); only a schema with async parts goes
 * async, and a failure is parsed again with the inputs reported, since the 422 shows them.
 */
export function parseValue<T>(schema: z.ZodType<T>, input: unknown): z.ZodSafeParseResult<T> | Promise<z.ZodSafeParseResult<T>> {
  let result: z.ZodSafeParseResult<T>;
  try {
    result = schema.safeParse(input);
  } catch (error) {
    if (error instanceof z.core.$ZodAsyncError) return schema.safeParseAsync(input, REPORT_INPUT);
    throw error;
  }
  return result.success ? result : schema.safeParseAsync(input, REPORT_INPUT);
}

/** Parse one part, adding its issues to `issues`: the parsed value (undefined when it failed), or a promise of it for async schemas. */
export function parsePart(schema: z.ZodType, input: unknown, part: PartName | undefined, issues: ValidationIssue[]): unknown {
  const result = parseValue(schema, input);
  return result instanceof Promise ? result.then((settled) => partValue(settled, part, issues)) : partValue(result, part, issues);
}

function partValue(result: z.ZodSafeParseResult<unknown>, part: PartName | undefined, issues: ValidationIssue[]): unknown {
  if (result.success) return result.data;
  issues.push(...toIssues(part, result.error.issues));
  return undefined;
}

/** Whether a value is a zod schema (what every schema option must be). */
export function isZodSchema(value: unknown): value is z.ZodType {
  return typeof value === 'object' && value !== null && '_zod' in value && typeof (value as { safeParseAsync?: unknown }).safeParseAsync === 'function';
}

/** One home for describing a received value in messages: the framework's. */
export { describeValue } from '@portico/framework';
