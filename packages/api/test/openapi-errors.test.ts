import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { DuplicateOperationIdError } from '../src/exceptions';
import { buildOpenApiDocument, OpenApiError } from '../src/openapi';
import { dependency, endpoint } from './support/endpoints';

const info = { title: 'T', version: '1' };

describe('buildOpenApiDocument refuses what OpenAPI cannot say', () => {
  it('two endpoints on one method and path', () => {
    const twins = [endpoint({ method: 'GET', path: '/a/:id<int>', operationId: 'one' }), endpoint({ method: 'GET', path: '/a/:id', operationId: 'two' })];
    expect(() => buildOpenApiDocument(info, twins)).toThrow(
      new OpenApiError('GET /a/:id: GET /a/:id<int> is documented as the same operation (GET /a/{id}); set includeInSchema: false on the one the docs should not show'),
    );
    expect(buildOpenApiDocument(info, [twins[0]!, { ...twins[1]!, includeInSchema: false }]).paths?.['/a/{id}']?.get?.operationId).toBe('one');
  });

  it('paths that differ only in parameter names', () => {
    const both = [endpoint({ method: 'GET', path: '/files/*rest', operationId: 'read' }), endpoint({ method: 'POST', path: '/files/:folder', operationId: 'write' })];
    expect(() => buildOpenApiDocument(info, both)).toThrow(/POST \/files\/:folder: OpenAPI cannot tell '\/files\/\{folder\}' from '\/files\/\{rest\}'/);
  });

  it('one operationId twice', () => {
    const twice = [endpoint({ method: 'GET', path: '/a', operationId: 'same' }), endpoint({ method: 'GET', path: '/b', operationId: 'same' })];
    expect(() => buildOpenApiDocument(info, twice)).toThrow(DuplicateOperationIdError);
    expect(() => buildOpenApiDocument(info, twice)).toThrow("the operationId 'same' of GET /b is already used by GET /a");
  });

  it('two security schemes under one name', () => {
    const bearer = { name: 'auth', scheme: { type: 'http', scheme: 'bearer' }, scopes: [] } as const;
    const basic = { name: 'auth', scheme: { type: 'http', scheme: 'basic' }, scopes: [] } as const;
    const clash = [
      endpoint({ method: 'GET', path: '/a', operationId: 'a', dependencies: { who: dependency(bearer) } }),
      endpoint({ method: 'GET', path: '/b', operationId: 'b', dependencies: { outer: dependency(undefined, { who: dependency(basic) }) } }),
    ];
    expect(() => buildOpenApiDocument(info, clash)).toThrow(
      new OpenApiError(`GET /b: the security scheme 'auth' is {"scheme":"basic","type":"http"}, but GET /a declared it as {"scheme":"bearer","type":"http"}; give one of them another name`),
    );
  });

  it('a schema zod cannot express, naming the endpoint', () => {
    const bad = [
      endpoint({ method: 'GET', path: '/fine', operationId: 'fine', query: z.object({ q: z.string() }) }),
      endpoint({ method: 'GET', path: '/when', operationId: 'when', responses: { 200: { schema: z.object({ at: z.map(z.string(), z.number()) }) } } }),
    ];
    expect(() => buildOpenApiDocument(info, bad)).toThrow(/^GET \/when: a schema cannot be documented: /);
  });
});
