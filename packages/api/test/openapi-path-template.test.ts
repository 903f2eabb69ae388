import { describe, expect, it } from '@jest/globals';
import { OpenApiError, toPathTemplates } from '../src/openapi';

const pathsOf = (source: string): string[] => toPathTemplates(source).map((template) => template.path);

describe('toPathTemplates', () => {
  it('keeps plain paths', () => {
    expect(toPathTemplates('/')).toEqual([{ path: '/', params: [] }]);
    expect(pathsOf('/items/all')).toEqual(['/items/all']);
  });

  it('writes parameters as {name} and keeps their converters', () => {
    expect(toPathTemplates('/users/:id<int>/files/*rest')).toEqual([
      {
        path: '/users/{id}/files/{rest}',
        params: [
          { name: 'id', converter: 'int', wildcard: false },
          { name: 'rest', converter: 'path', wildcard: true },
        ],
      },
    ]);
    expect(toPathTemplates('/p/:price<float>/:key<uuid>/:slug')[0]?.params.map((param) => param.converter)).toEqual(['float', 'uuid', 'str']);
  });

  it('ends a name where an identifier ends', () => {
    expect(pathsOf('/files/:name.:ext')).toEqual(['/files/{name}.{ext}']);
    expect(pathsOf('/range/:from-:to')).toEqual(['/range/{from}-{to}']);
    expect(pathsOf('/q/:"quoted name"')).toEqual(['/q/{quoted name}']);
  });

  it('lists every combination of optional groups, fullest first', () => {
    expect(pathsOf('/archive{/:year<int>{/:month<int>}}')).toEqual(['/archive/{year}/{month}', '/archive/{year}', '/archive']);
    expect(pathsOf('/a{/b}{/:c}')).toEqual(['/a/b/{c}', '/a/b', '/a/{c}', '/a']);
  });

  it('keeps escaped characters as text', () => {
    expect(pathsOf('/literal\\:colon')).toEqual(['/literal:colon']);
  });

  it('names the path and the problem when it cannot be read', () => {
    expect(() => toPathTemplates('/a/:id<number>')).toThrow(new OpenApiError("cannot document the path '/a/:id<number>': unknown converter '<number>' for 'id' (at character 7)"));
    expect(() => toPathTemplates('/a{/b')).toThrow(/'\{' group is not closed/);
    expect(() => toPathTemplates('/a}')).toThrow(/'\}' closes no group/);
    expect(() => toPathTemplates('/a/:/b')).toThrow(/a parameter has no name/);
  });
});
