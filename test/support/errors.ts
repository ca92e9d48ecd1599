import { expect } from 'vitest';

/**
 * The message of the error `fn` throws; fails when it throws none, or something other than the
 * package's plain `Error` (a TypeError or RangeError from deep inside is a raw exception).
 */
export function thrown(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).constructor, (e as Error).message).toBe(Error);
    return (e as Error).message;
  }
  throw new Error('no error was thrown');
}
