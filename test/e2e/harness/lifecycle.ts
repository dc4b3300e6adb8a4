import { afterAll, beforeAll } from 'vitest';

/**
 * Starts something once per test file (in beforeAll) and stops it in afterAll, whatever happened.
 * Returns a getter for the tests. When the start fails (missing prerequisites, a config Asterisk
 * rejects ...), every test calling the getter fails with that error: vitest would otherwise report
 * the tests of a file whose beforeAll threw as skipped.
 *
 *   const env = perFile(async () => { ...; return { ast, uas, stop: async () => { ... } }; });
 *   it('...', async () => { const { ast } = env(); ... });
 */
export function perFile<T extends { stop(): Promise<unknown> }>(start: () => Promise<T>, timeoutMs = 90_000): () => T {
  let value: T | undefined;
  let error: unknown;
  beforeAll(async () => {
    try {
      value = await start();
    } catch (e) {
      error = e;
    }
  }, timeoutMs);
  afterAll(async () => {
    await value?.stop();
  }, 30_000);
  return () => {
    if (error !== undefined) throw error;
    if (value === undefined) throw new Error('perFile: used outside a test (not started yet)');
    return value;
  };
}
