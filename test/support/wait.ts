/** Waiting for something asynchronous in tests: polls until a check returns something truthy. */

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * @example const head = await until(() => store.getHead(id, true), 20_000, 'the head');
 */
export async function until<T>(check: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 30_000, what = 'the condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}
