/**
 * Wall-clock timing of one unit of work (one process instance, start to end),
 * warmed up first so the JIT has settled, then run in batches.
 */

export interface Budget {
  /** Time spent running before measuring (JIT warm-up, calibration). */
  warmupMs: number;
  /** Time spent measuring, split over `batches`. */
  measureMs: number;
  batches: number;
}

export interface Timing {
  /** Mean microseconds per run over every measured run. */
  usPerRun: number;
  runs: number;
  /** Slowest batch mean over fastest batch mean, minus one (0.05 = 5 % spread). */
  spread: number;
}

/** A unit of work, synchronous or not; only a returned promise is awaited. */
export type Work = () => unknown;

async function runFor(work: Work, ms: number): Promise<number> {
  const end = performance.now() + ms;
  let runs = 0;
  do {
    const pending = work();
    if (pending instanceof Promise) await pending;
    runs += 1;
  } while (performance.now() < end);
  return runs;
}

async function timeBatch(work: Work, runs: number): Promise<bigint> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) {
    const pending = work();
    if (pending instanceof Promise) await pending;
  }
  return process.hrtime.bigint() - start;
}

/**
 * Warms `work` up for `budget.warmupMs`, sizes batches from the warm-up rate, then
 * times `budget.batches` batches of equal run counts with `process.hrtime.bigint()`.
 * The reported mean is total time / total runs (GC pauses included: they are cost).
 *
 * @example
 * const t = await measure(() => runOurs(definition, false), { warmupMs: 500, measureMs: 2500, batches: 5 });
 * t.usPerRun; // e.g. 21.7
 */
export async function measure(work: Work, budget: Budget): Promise<Timing> {
  const warmRuns = await runFor(work, budget.warmupMs);
  const perBatch = Math.max(1, Math.round((warmRuns / budget.warmupMs) * (budget.measureMs / budget.batches)));
  const means: number[] = [];
  let totalNs = 0n;
  for (let b = 0; b < budget.batches; b++) {
    const ns = await timeBatch(work, perBatch);
    totalNs += ns;
    means.push(Number(ns) / perBatch);
  }
  const runs = perBatch * budget.batches;
  return {
    usPerRun: Number(totalNs) / runs / 1000,
    runs,
    spread: Math.max(...means) / Math.min(...means) - 1,
  };
}
