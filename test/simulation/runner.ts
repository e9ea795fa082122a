/**
 * One seeded simulation run: models, instances, a fault schedule and a command stream
 * all drawn from the seed; then quiescence (faults off, replays flushed, queue drained,
 * orphans rolled forward) and the checker. The report says what happened and, when the
 * checker found something, everything needed to replay and read it.
 */
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import fc from 'fast-check';
import { deploy } from '../../lib/app/definitions.ts';
import { sweepDeadCommands } from '../../lib/app/dead-letters.ts';
import { rollForward } from '../../lib/app/transition.ts';
import { modelArb, outline } from '../core/random/model-generator.ts';
import { renderModel } from '../core/random/model-render.ts';
import { Random } from '../support/weak-aws/index.ts';
import { check } from './checker.ts';
import { Driver, type LogLine, type Target } from './driver.ts';
import { describePhase, faultSchedule, phaseAt, type Phase } from './faults.ts';
import { World, type Endpoints } from './world.ts';

export interface RunOptions {
  steps: number;
  instances?: number;
  models?: number;
  /** Pause between client actions, so the pollers keep up (ms). */
  paceMs?: number;
}

export interface Report {
  seed: number;
  steps: number;
  models: Array<{ key: string; outline: string }>;
  schedule: string[];
  faults: Record<string, number>;
  batch: Record<string, number>;
  driver: Record<string, number>;
  orphansAtQuiescence: number;
  violations: string[];
  log: LogLine[];
  logTail: string[];
  ms: number;
}

async function deployModels(world: World, seed: number, count: number): Promise<Array<{ key: string; version: number; outline: string }>> {
  const deployed: Array<{ key: string; version: number; outline: string }> = [];
  const samples = fc.sample(modelArb, { seed, numRuns: count * 3 });
  for (const [i, sample] of samples.entries()) {
    if (deployed.length >= count) break;
    const { xml } = renderModel(sample.process, `m${seed}x${i}`);
    try {
      const [d] = await deploy(world.rt.definitions, world.rt.clock, xml);
      if (d) deployed.push({ key: d.key, version: d.version, outline: outline(sample.process) });
    } catch (error) {
      world.logger.warn('model refused', { i, error: (error as Error).message });
    }
  }
  return deployed;
}

async function queueDepth(world: World): Promise<number> {
  const out = await world.clean.sqs.send(new GetQueueAttributesCommand({
    QueueUrl: world.queues.commands, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
  }));
  return Object.values(out.Attributes ?? {}).reduce((sum, v) => sum + Number(v), 0);
}

/** Waits until the commands queue has been empty for three polls in a row (or the budget ran out). */
async function drain(world: World, budgetMs: number): Promise<void> {
  const until = Date.now() + budgetMs;
  let empty = 0;
  while (empty < 3 && Date.now() < until) {
    empty = (await queueDepth(world)) === 0 ? empty + 1 : 0;
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** A consistent load per instance; a version beyond the head is rolled forward. Returns how many there were. */
async function rollOrphans(world: World, ids: string[]): Promise<number> {
  let orphans = 0;
  for (const id of ids) {
    const { head, latest } = await world.rt.instances.load(id, true);
    if (latest && (!head || head.version < latest.version)) {
      orphans++;
      await rollForward(world.rt.transition, latest, head);
    }
  }
  return orphans;
}

function applyPhase(world: World, phase: Phase | undefined): void {
  if (!phase) return;
  if (phase.dynamo) world.db.set(phase.dynamo); else world.db.off();
  if (phase.sqs) world.sq.set(phase.sqs); else world.sq.off();
}

async function quiesce(world: World, driver: Driver, ids: string[]): Promise<number> {
  world.db.off();
  world.sq.off();
  await driver.settle();
  await world.sq.flushReplays();
  await drain(world, 60_000);
  const orphans = await rollOrphans(world, ids);
  await drain(world, 30_000);
  await world.stopPollers();
  // What failed for good under the faults: the sweeper tries it once more, else keeps it with an incident.
  await sweepDeadCommands({ transition: world.rt.transition, source: world.rt.deadCommandSource!, store: world.rt.deadCommands, logger: world.logger });
  return orphans;
}

export async function runSeed(endpoints: Endpoints, seed: number, options: RunOptions): Promise<Report> {
  const started = Date.now();
  const rng = new Random(seed);
  const world = await World.create(endpoints, seed);
  try {
    const models = await deployModels(world, seed, options.models ?? 2);
    const targets: Target[] = Array.from({ length: options.instances ?? 4 }, (_, i) => {
      const m = models[i % models.length] as { key: string; version: number };
      return { instanceId: `s${seed}-i${i}`, definition: { key: m.key, version: m.version } };
    });
    const schedule = faultSchedule(rng, options.steps);
    const driver = new Driver(world, rng, targets, `s${seed}`);
    world.startPollers();
    let current: Phase | undefined;
    await driver.startAll();
    for (let step = 1; step <= options.steps; step++) {
      const phase = phaseAt(schedule, step);
      if (phase !== current) applyPhase(world, (current = phase));
      await driver.step(step);
      await new Promise((r) => setTimeout(r, options.paceMs ?? 40));
    }
    const ids = driver.instanceIds;
    const orphansAtQuiescence = await quiesce(world, driver, ids);
    const violations = await check(world, ids, driver.sent);
    return {
      seed, steps: options.steps, models: models.map((m) => ({ key: m.key, outline: m.outline })), schedule: schedule.map(describePhase),
      faults: { ...prefixed('dynamo.', world.db.stats), ...prefixed('sqs.', world.sq.stats) }, batch: { ...world.batchStats }, driver: driver.counts,
      orphansAtQuiescence, violations, log: driver.log, logTail: world.logger.lines.slice(-40), ms: Date.now() - started,
    };
  } finally {
    await world.dispose();
  }
}

function prefixed(prefix: string, stats: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(stats).map(([k, v]) => [`${prefix}${k}`, v]));
}

/** A failing seed, printed whole: how to replay it, its models, faults, command log and violations. */
export function describeReport(report: Report): string {
  return [
    `seed ${report.seed}: ${report.violations.length} violation(s) after ${report.steps} steps (${report.ms} ms)`,
    `replay: npm run simulate -- --seed ${report.seed} --steps ${report.steps}`,
    ...report.violations.map((v) => `  VIOLATION ${v}`),
    'models:', ...report.models.map((m) => `  ${m.key}: ${m.outline}`),
    'fault schedule:', ...report.schedule.map((s) => `  ${s}`),
    `faults injected: ${JSON.stringify(report.faults)}`,
    `batches: ${JSON.stringify(report.batch)}  orphans at quiescence: ${report.orphansAtQuiescence}`,
    'command log:', ...report.log.map((l) => `  #${l.step} ${l.how} ${l.id} ${l.instanceId} ${l.type} -> ${l.outcome}`),
    'engine log (tail):', ...report.logTail.map((l) => `  ${l}`),
  ].join('\n');
}
