/**
 * EndpointDefinition builders for the OpenAPI and docs tests: the plain shape the core hands
 * the generator, written directly so these tests do not depend on Api's registration code.
 */
import type { DependencyDeclaration, EndpointDefinition, SecurityRequirement } from '../../src/definition';

/** An endpoint with the defaults a registration fills in. */
export function endpoint(definition: Pick<EndpointDefinition, 'method' | 'path' | 'operationId'> & Partial<EndpointDefinition>): EndpointDefinition {
  return {
    responses: {},
    status: 200,
    tags: [],
    deprecated: false,
    dependencies: {},
    responseValidation: 'strict',
    includeInSchema: true,
    ...definition,
  };
}

/** A dependency, optionally checking a security scheme, with its own dependencies. */
export function dependency(security?: SecurityRequirement, dependencies: Record<string, DependencyDeclaration> = {}): DependencyDeclaration {
  return { ...(security && { security }), dependencies };
}
