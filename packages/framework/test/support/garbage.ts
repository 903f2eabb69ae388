import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';

/**
 * Whether `target` survives a full garbage collection. Call it a macrotask after the last use of
 * the target in the test: a WeakRef keeps what it was made or read with alive until the job ends.
 *
 * @example
 * const chunk = new WeakRef(bytes);
 * await new Promise((resolve) => setImmediate(resolve));
 * expect(survivesGc(chunk)).toBe(false);
 */
export function survivesGc(target: WeakRef<object>): boolean {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return target.deref() !== undefined;
}
