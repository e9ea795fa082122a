/**
 * The command generator: from the seed's PRNG and what a client can see right now (the job
 * and task index, an instance's state as an eventually consistent read shows it), the next
 * thing a client does. Every choice (kind, target pick, payload, route) is drawn from the
 * PRNG in a fixed order; what the choice lands on depends on what the engine did so far,
 * which timing can change (see README: what is reproducible).
 *
 * Kinds mirror test/core/random/commands.ts, on the durable path: start, complete/fail jobs
 * and throw errors (jobs found like workers find them), complete tasks, correlate messages,
 * signals, setVariables (about 1 KB), fire timers (the clock moves to their due time),
 * resolve incidents, roll back, cancel; and stale commands (ids nobody has open).
 */
import type { Effect } from '../../lib/core/effects.ts';
import type { JsonObject } from '../../lib/core/json.ts';
import { globalId, type InstanceState } from '../../lib/core/state/types.ts';
import type { CommandEnvelope, EngineCommand } from '../../lib/ports.ts';
import { ERROR_CODES, MESSAGES, SIGNALS } from '../core/random/model-generator.ts';
import type { Random } from '../support/weak-aws/index.ts';

export type JobItem = Extract<Effect, { type: 'job.activatable' }>;
export type TaskItem = Extract<Effect, { type: 'task.created' }>;

/** What the client sees when it picks the next command. */
export interface Sight {
  instanceId: string;
  state: InstanceState | null;
  version: number;
  definition: { key: string; version: number };
  jobs: JobItem[];
  tasks: TaskItem[];
}

/** How a command travels: the commands queue, a direct applyCommand racing the pollers, or the signal service. */
export type Route = 'queue' | 'direct' | 'service';

export interface Planned {
  envelope: CommandEnvelope;
  route: Route;
  /** The clock must reach this time before the command is sent (a timer fire). */
  dueAt?: number;
}

const KINDS = [
  ['completeJob', 14], ['failJob', 4], ['throwError', 4], ['completeTask', 10], ['correlate', 8], ['signal', 5],
  ['setVariables', 6], ['fireTimer', 8], ['resolveIncident', 5], ['rollback', 4], ['cancel', 1], ['stale', 4],
] as const;
export type Kind = (typeof KINDS)[number][0];

export function pickKind(rng: Random): Kind {
  const total = KINDS.reduce((sum, [, w]) => sum + w, 0);
  let u = rng.next() * total;
  for (const [kind, weight] of KINDS) {
    if (u < weight) return kind;
    u -= weight;
  }
  return 'stale';
}

function pick<T>(rng: Random, items: T[]): T | undefined {
  const u = rng.next();
  return items.length === 0 ? undefined : items[Math.floor(u * items.length)];
}

/** About a kilobyte of variables: `x` and `key` (read by conditions and correlation keys) and a blob. */
export function payload(rng: Random, step: number): JsonObject {
  const [u1, u2, u3] = rng.draws(3) as [number, number, number];
  const vars: JsonObject = { blob: `${step}:`.padEnd(900 + Math.floor(u1 * 200), 'abcdefghij'.charAt(step % 10)) };
  if (u2 < 0.5) vars['x'] = Math.floor(u3 * 4);
  if (u2 > 0.85) vars['key'] = u3 < 0.7 ? 'k1' : 'k2';
  return vars;
}

export function startEnvelope(id: string, sight: Pick<Sight, 'instanceId' | 'definition'>, variables: JsonObject): CommandEnvelope {
  return { id, instanceId: sight.instanceId, definition: sight.definition, command: { type: 'start', instanceId: sight.instanceId, variables: { ...variables, x: 1, key: 'k1' } } };
}

const byKey = <T extends { key: string }>(records: Record<string, T> | undefined): T[] => Object.values(records ?? {}).sort((a, b) => Number(a.key) - Number(b.key));

/** The command of `kind` against what `sight` shows (null when it has nothing to aim at). */
export function concretize(rng: Random, kind: Kind, sight: Sight, step: number): { command: EngineCommand; dueAt?: number } | null {
  const state = sight.state;
  const gid = (key: string) => globalId(sight.instanceId, key);
  const vars = payload(rng, step);
  const [u] = rng.draws(1) as [number];
  switch (kind) {
    case 'completeJob': { const j = pick(rng, sight.jobs); return j ? { command: { type: 'completeJob', jobId: j.jobId, variables: vars } } : null; }
    case 'failJob': { const j = pick(rng, sight.jobs); return j ? { command: { type: 'failJob', jobId: j.jobId, retries: Math.floor(u * 3), errorMessage: 'sim' } } : null; }
    case 'throwError': { const j = pick(rng, sight.jobs); return j ? { command: { type: 'throwError', jobId: j.jobId, errorCode: pick(rng, [...ERROR_CODES, 'UNKNOWN']) as string } } : null; }
    case 'completeTask': { const t = pick(rng, sight.tasks); return t ? { command: { type: 'completeTask', taskId: t.taskId, variables: vars } } : null; }
    case 'correlate': {
      const sub = pick(rng, byKey(state?.subscriptions).filter((s) => !s.messageName.startsWith('signal:')));
      if (sub && u < 0.8) return { command: { type: 'correlateMessage', name: sub.messageName, correlationKey: sub.correlationKey, variables: vars, messageId: `m${step}` } };
      return { command: { type: 'correlateMessage', name: pick(rng, [...MESSAGES]) as string, correlationKey: 'k1', variables: vars, messageId: `m${step}` } };
    }
    case 'signal': return { command: { type: 'broadcastSignal', name: pick(rng, [...SIGNALS]) as string, variables: { y: step }, signalId: `s${step}` } };
    case 'setVariables': return { command: { type: 'setVariables', variables: u < 0.3 ? { ...vars, x: 1, key: 'k1' } : vars } };
    case 'fireTimer': { const t = pick(rng, byKey(state?.timers)); return t ? { command: { type: 'fireTimer', timerId: gid(t.key) }, dueAt: t.dueAt } : null; }
    case 'resolveIncident': { const i = pick(rng, byKey(state?.incidents)); return i ? { command: { type: 'resolveIncident', incidentId: gid(i.key), retries: 1 } } : null; }
    case 'rollback': return sight.version > 1 ? { command: { type: 'rollback', toVersion: 1 + Math.floor(u * (sight.version - 1)) } } : null;
    case 'cancel': return state?.status === 'active' ? { command: { type: 'cancel' } } : null;
    case 'stale': return { command: pick(rng, staleCommands(sight.instanceId, step)) as EngineCommand };
  }
}

/** Commands aimed at nothing open: they must be rejected, and leave no trace but a rejection record. */
function staleCommands(instanceId: string, step: number): EngineCommand[] {
  return [
    { type: 'completeJob', jobId: globalId(instanceId, String(9000 + step)) },
    { type: 'completeTask', taskId: globalId(instanceId, String(9000 + step)) },
    { type: 'fireTimer', timerId: globalId(instanceId, String(9000 + step)) },
    { type: 'resolveIncident', incidentId: globalId(instanceId, String(9000 + step)) },
    { type: 'start', instanceId },
  ];
}
