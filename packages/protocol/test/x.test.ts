import { expect, it } from '@jest/globals';
import { httpScope } from '@portico/protocol';
it('works', () => { expect(httpScope().type).toBe('http'); });
