import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { buildOpenApiDocument } from '../src/openapi';
import { endpoint } from './support/endpoints';
import { schemaErrors, schemaPointers, specErrors } from './support/openapi-check';
import { endpoints, info } from './support/openapi-fixture';

describe('the generated document is valid', () => {
  const document = buildOpenApiDocument(info, endpoints);

  it('passes the OpenAPI 3.1 validator', async () => {
    expect(await specErrors(document)).toBe('');
  });

  it('has every schema compile as JSON Schema 2020-12 (Ajv, strict)', () => {
    expect(schemaPointers(document).length).toBeGreaterThan(20);
    expect(schemaErrors(document)).toEqual([]);
  });

  it('is plain JSON: it survives a round trip unchanged', () => {
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
  });

  it('gives an API without endpoints an empty paths object, as FastAPI does', () => {
    // The 3.1 schema accepts it; @readme/openapi-parser adds a rule wanting one entry, so it is not asked here.
    expect(buildOpenApiDocument({ title: 'Empty', version: '0.0.1' }, [])).toEqual({ openapi: '3.1.0', info: { title: 'Empty', version: '0.0.1' }, paths: {} });
  });

  it('stays valid with recursive named schemas', async () => {
    interface Node {
      name: string;
      children: Node[];
    }
    const Node: z.ZodType<Node> = z.lazy(() => z.object({ name: z.string(), children: z.array(Node) })).meta({ id: 'Node' });
    const tree = buildOpenApiDocument(info, [
      endpoint({ method: 'POST', path: '/trees', operationId: 'plant', body: { encoding: 'json', schema: Node, mediaType: 'application/json' }, responses: { 200: { schema: Node } } }),
    ]);
    expect(await specErrors(tree)).toBe('');
    expect(schemaErrors(tree)).toEqual([]);
  });
});
