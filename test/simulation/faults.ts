/**
 * The fault schedule of a seed: the run is cut into phases; each phase switches a random
 * plan on the weak-aws layers (or none: a calm phase), and the last phase is always calm so
 * the system can quiesce. The plan of each phase is drawn from the seed; which requests a
 * fault strikes is drawn by weak-aws from its own seeded PRNG (see its README: concurrent
 * requests draw in arrival order, so that part follows timing).
 *
 * Throttling and 500s strike each HTTP attempt (placement 'attempt'), below the SDK's
 * retries, as on AWS: with high probabilities a run of them reaches the engine.
 */
import type { DynamoFaults, Random, SqsFaults } from '../support/weak-aws/index.ts';

export interface Phase {
  /** The step at which this phase starts. */
  from: number;
  dynamo: DynamoFaults | null;
  sqs: SqsFaults | null;
}

const chance = (rng: Random, p: number): boolean => rng.next() < p;
const level = (rng: Random, max: number): number => Math.round(rng.next() * max * 1000) / 1000;

function dynamoPlan(rng: Random): DynamoFaults {
  const plan: DynamoFaults = {};
  if (chance(rng, 0.7)) plan.staleReads = { probability: level(rng, 0.6), lagMs: 200 + Math.floor(rng.next() * 1500) };
  if (chance(rng, 0.5)) plan.throttle = { probability: level(rng, 0.4) };
  if (chance(rng, 0.5)) plan.serverErrors = { probability: level(rng, 0.3) };
  if (chance(rng, 0.6)) plan.ambiguousWrites = { probability: level(rng, 0.06) };
  if (chance(rng, 0.4)) plan.latency = { maxMs: Math.floor(rng.next() * 40) };
  return plan;
}

function sqsPlan(rng: Random): SqsFaults {
  const plan: SqsFaults = {};
  if (chance(rng, 0.6)) plan.visibilityExpiry = { probability: level(rng, 0.3) };
  if (chance(rng, 0.6)) plan.replayAfterDedupWindow = { probability: level(rng, 0.3) };
  if (chance(rng, 0.4)) plan.partialBatchFailures = { probability: level(rng, 0.3) };
  if (chance(rng, 0.4)) plan.throttle = { probability: level(rng, 0.4) };
  if (chance(rng, 0.4)) plan.serverErrors = { probability: level(rng, 0.3) };
  if (chance(rng, 0.3)) plan.latency = { maxMs: Math.floor(rng.next() * 30) };
  return plan;
}

/** 2-5 phases over `steps`; each calm with probability 1/5. */
export function faultSchedule(rng: Random, steps: number): Phase[] {
  const count = 2 + Math.floor(rng.next() * 4);
  const phases: Phase[] = [];
  for (let i = 0; i < count; i++) {
    const from = Math.floor((i * steps) / count);
    const calm = chance(rng, 0.2);
    phases.push({ from, dynamo: calm ? null : dynamoPlan(rng), sqs: calm ? null : sqsPlan(rng) });
  }
  return phases;
}

/** The phase that applies at `step`. */
export function phaseAt(phases: Phase[], step: number): Phase | undefined {
  return [...phases].reverse().find((p) => p.from <= step);
}

export function describePhase(phase: Phase): string {
  const names = (plan: object | null) => (plan ? Object.entries(plan).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ') : 'calm');
  return `@${phase.from} dynamo[${names(phase.dynamo)}] sqs[${names(phase.sqs)}]`;
}
