import { expect } from '@jest/globals';

/** `build()` throws a TypeError whose message is exactly `message`. */
export function expectTypeError(build: () => unknown, message: string): void {
  let thrown: unknown;
  try {
    build();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(TypeError);
  expect((thrown as Error).message).toBe(message);
}
