/**
 * Security requirements gathered from an endpoint's dependency tree: every dependency that
 * carries a SecurityRequirement, at any depth, contributes its scheme and scopes.
 */
import type { DependencyDeclaration, SecurityRequirement, SecuritySchemeObject } from '../definition';
import { OpenApiError } from './errors';

/** The scheme names an operation requires, each with the union of the scopes asked for. */
export type OperationSecurity = Map<string, Set<string>>;

/**
 * Walk the dependencies depth first; a dependency shared by several branches counts once.
 *
 * @example
 * collectSecurity(endpoint.dependencies); // [{ name: 'OAuth2PasswordBearer', scheme: { type: 'oauth2', ... }, scopes: ['items:read'] }]
 */
export function collectSecurity(dependencies: Readonly<Record<string, DependencyDeclaration>>): SecurityRequirement[] {
  const found: SecurityRequirement[] = [];
  const seen = new Set<DependencyDeclaration>();
  const visit = (declarations: Readonly<Record<string, DependencyDeclaration>>): void => {
    for (const dependency of Object.values(declarations)) {
      if (seen.has(dependency)) continue;
      seen.add(dependency);
      if (dependency.security !== undefined) found.push(dependency.security);
      visit(dependency.dependencies);
    }
  };
  visit(dependencies);
  return found;
}

/**
 * The document-wide `securitySchemes`: one entry per name. Two different schemes under one name
 * would make one of them lie, so that is an error.
 */
export class SecuritySchemes {
  readonly #schemes = new Map<string, { scheme: SecuritySchemeObject; key: string; where: string }>();

  /** Record the requirements of one operation and return them merged by scheme name. */
  add(requirements: readonly SecurityRequirement[], where: string): OperationSecurity {
    const merged: OperationSecurity = new Map();
    for (const requirement of requirements) {
      const key = canonical(requirement.scheme);
      const known = this.#schemes.get(requirement.name);
      if (known === undefined) this.#schemes.set(requirement.name, { scheme: requirement.scheme, key, where });
      else if (known.key !== key) {
        throw new OpenApiError(
          `${where}: the security scheme '${requirement.name}' is ${key}, but ${known.where} declared it as ${known.key}; give one of them another name`,
        );
      }
      const scopes = merged.get(requirement.name) ?? new Set<string>();
      for (const scope of requirement.scopes) scopes.add(scope);
      merged.set(requirement.name, scopes);
    }
    return merged;
  }

  /** `components.securitySchemes`, or undefined when no endpoint needs one. */
  toObject(): Record<string, SecuritySchemeObject> | undefined {
    if (this.#schemes.size === 0) return undefined;
    return Object.fromEntries([...this.#schemes].map(([name, { scheme }]) => [name, scheme]));
  }
}

/**
 * The operation's `security`: one requirement object naming every scheme, since every
 * dependency of an endpoint runs (all must pass: AND, not a list of alternatives).
 */
export function toSecurityRequirements(security: OperationSecurity): Array<Record<string, string[]>> | undefined {
  if (security.size === 0) return undefined;
  return [Object.fromEntries([...security].map(([name, scopes]) => [name, [...scopes]]))];
}

/** A stable text of a scheme, to compare two declarations of one name. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
}
