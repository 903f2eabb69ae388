import { describe, expect, it } from '@jest/globals';
import { CreateError, parseCliArgs } from '../src';

describe('parseCliArgs', () => {
  it('reads the folder and every flag', () => {
    expect(parseCliArgs(['my-app', '--template', 'chat', '--force', '--tarballs', '../t'])).toEqual({
      directory: 'my-app',
      template: 'chat',
      tarballs: '../t',
      force: true,
      help: false,
    });
    expect(parseCliArgs(['-t', 'minimal', '-f'])).toMatchObject({ directory: undefined, template: 'minimal', force: true });
  });

  it('names an unknown flag and shows the usage', () => {
    expect(() => parseCliArgs(['--templte', 'chat'])).toThrow(CreateError);
    expect(() => parseCliArgs(['--templte', 'chat'])).toThrow(/--templte[\s\S]*Usage: create-portico/);
  });

  it('refuses two folders', () => {
    expect(() => parseCliArgs(['a', 'b'])).toThrow(/one project folder, not 2: a b/);
  });
});
