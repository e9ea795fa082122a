/**
 * The CI budget of the deterministic simulation (see README.md): 3 fixed seeds x 35 client
 * steps each (about 30-50 commands with duplicates and replays), against the emulators the
 * global setup started. The three run concurrently, 25-45 s in all on a 2-core machine (the
 * steps are paced so the pollers keep up; quiescence waits for the commands queue to stay empty).
 * A failure prints the whole report: replay it with `npm run simulate -- --seed <n> --steps 35`.
 */
import { describe, expect, inject, it } from 'vitest';
import { describeReport, runSeed } from './runner.ts';

const SEEDS = [101, 202, 303];
const STEPS = 35;

describe('simulation: the durable engine under weak AWS', () => {
  it.concurrent.each(SEEDS)('seed %i: every invariant holds at quiescence', async (seed) => {
    const report = await runSeed({ dynamodb: inject('dynamodbEndpoint'), sqs: inject('sqsEndpoint') }, seed, { steps: STEPS, paceMs: 30 });
    if (report.violations.length > 0) console.error(describeReport(report));
    expect(report.violations).toEqual([]);
  }, 300_000); // a hang guard, not a speed target: on a loaded 2-core machine a seed takes up to ~2 min
});
