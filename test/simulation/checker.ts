/**
 * The checker: at quiescence, reads the table consistently through a clean client (no
 * faults) and lists every invariant that does not hold:
 * - versions are contiguous 1..n and the head points at n;
 * - a command id appears in at most one version of its instance (applied at most once);
 * - every command the harness got accepted (SQS took it, or applyCommand answered) was
 *   applied (in a version), rejected (R#<id>), recorded (C#<id>), or kept as a dead command;
 * - the job, task and subscription index items are exactly what the heads have open;
 * - every open timer of an active head reached the timers queue or the durable schedule;
 * - the commands DLQ is empty (the sweeper ran) and every dead command it kept has its
 *   incident on its instance, unless the instance has ended.
 */
import { GetItemCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { jobPk, subscriptionPk, taskPks } from '../../lib/adapters/dynamodb/keys.ts';
import { globalId, type InstanceState } from '../../lib/core/state/types.ts';
import type { InstanceVersion } from '../../lib/ports.ts';
import type { World } from './world.ts';

type Item = Record<string, unknown>;

export interface Sent {
  id: string;
  instanceId: string;
  type: string;
  /** SQS accepted it, or applyCommand gave an answer: it must be applied or rejected. */
  accepted: boolean;
  /** 'rejected': applyCommand answered with a rejection (the direct route writes no rejection record). */
  outcome?: 'rejected';
}

async function scanAll(world: World): Promise<Item[]> {
  const items: Item[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const out = await world.clean.dynamodb.send(new ScanCommand({ TableName: world.rt.config.tableName, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }));
    for (const i of out.Items ?? []) items.push(unmarshall(i));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

async function exists(world: World, pk: string, sk: string): Promise<boolean> {
  const out = await world.clean.dynamodb.send(new GetItemCommand({ TableName: world.rt.config.tableName, Key: { pk: { S: pk }, sk: { S: sk } }, ConsistentRead: true }));
  return out.Item !== undefined;
}

/** Versions of one instance, all of them, read consistently. */
async function versionsOf(world: World, instanceId: string): Promise<InstanceVersion[]> {
  const all: InstanceVersion[] = [];
  for (;;) {
    const page = await world.rt.instances.listVersions(instanceId, { after: all.length, limit: 100 });
    all.push(...page);
    if (page.length < 100) return all;
  }
}

function chainViolations(instanceId: string, versions: InstanceVersion[], headVersion: number | null): string[] {
  const out: string[] = [];
  versions.forEach((v, i) => { if (v.version !== i + 1) out.push(`${instanceId}: version ${v.version} at position ${i + 1} (not contiguous)`); });
  if (versions.length > 0 && headVersion !== versions.length) out.push(`${instanceId}: head ${headVersion} but latest version ${versions.length}`);
  const seen = new Map<string, number>();
  for (const v of versions) {
    const first = seen.get(v.commandId);
    if (first !== undefined) out.push(`${instanceId}: command ${v.commandId} (${v.command.type}) applied twice: versions ${first} and ${v.version}`);
    else seen.set(v.commandId, v.version);
  }
  return out;
}

/** What the heads have open, as index keys `<pk>|<sk>` (the adapter's own key layout, shards included). */
function expectedIndex(heads: Map<string, InstanceState>): Set<string> {
  const keys = new Set<string>();
  for (const [id, state] of heads) {
    if (state.status !== 'active') continue;
    for (const j of Object.values(state.jobs)) if (j.retries > 0) keys.add(`${jobPk(j.jobType, globalId(id, j.key))}|${globalId(id, j.key)}`);
    for (const t of Object.values(state.tasks)) {
      const taskId = globalId(id, t.key);
      for (const pk of taskPks({ taskId, assignee: t.assignee, candidateGroups: t.candidateGroups, candidateUsers: t.candidateUsers })) keys.add(`${pk}|${taskId}`);
    }
    for (const s of Object.values(state.subscriptions)) keys.add(`${subscriptionPk(s.messageName, s.correlationKey, globalId(id, s.key))}|${globalId(id, s.key)}`);
  }
  return keys;
}

function indexViolations(items: Item[], heads: Map<string, InstanceState>): string[] {
  const isIndex = (pk: string) => pk.startsWith('JOBS#') || pk.startsWith('TASKS#') || pk.startsWith('SUB#');
  const actual = new Set(items.filter((i) => isIndex(String(i['pk']))).map((i) => `${String(i['pk'])}|${String(i['sk'])}`));
  const expected = expectedIndex(heads);
  const out: string[] = [];
  for (const k of actual) if (!expected.has(k)) out.push(`index: zombie item ${k} (not open in its head)`);
  for (const k of expected) if (!actual.has(k)) out.push(`index: missing item ${k} (open in its head)`);
  return out;
}

function timerViolations(world: World, items: Item[], heads: Map<string, InstanceState>): string[] {
  const durable = new Set(items.filter((i) => String(i['pk']).startsWith('TIMERS#')).map((i) => String(i['sk']).split('#').slice(1).join('#')));
  const out: string[] = [];
  for (const [id, state] of heads) {
    if (state.status !== 'active') continue;
    for (const t of Object.values(state.timers)) {
      const timerId = globalId(id, t.key);
      if (!world.timersSent.has(timerId) && !durable.has(timerId)) out.push(`timer ${timerId} open in the head but never scheduled`);
    }
  }
  return out;
}

async function dlqViolations(world: World): Promise<string[]> {
  const out = await world.clean.sqs.send(new GetQueueAttributesCommand({ QueueUrl: world.queues.commandsDlq, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  const n = Number(out.Attributes?.['ApproximateNumberOfMessages'] ?? 0) + Number(out.Attributes?.['ApproximateNumberOfMessagesNotVisible'] ?? 0);
  const out2: string[] = n > 0 ? [`commands DLQ holds ${n} message(s) after the sweep`] : [];
  for (const dead of (await world.rt.deadCommands.list({ limit: 500 })).items) {
    const { latest } = await world.rt.instances.load(dead.instanceId, true);
    if (!latest || latest.state.status !== 'active') continue;
    if (!Object.values(latest.state.incidents).some((i) => i.commandId === dead.commandId)) out2.push(`dead command ${dead.commandId} of ${dead.instanceId} has no incident on its instance`);
  }
  return out2;
}

async function fateViolations(world: World, sent: Sent[], applied: Map<string, Set<string>>): Promise<string[]> {
  const out: string[] = [];
  const answered = new Set(sent.filter((s) => s.outcome === 'rejected').map((s) => s.id));
  const checked = new Set<string>();
  for (const s of sent) {
    if (!s.accepted || checked.has(s.id) || answered.has(s.id) || applied.get(s.instanceId)?.has(s.id)) continue;
    checked.add(s.id);
    const pk = `I#${s.instanceId}`;
    if (await exists(world, pk, `R#${s.id}`) || await exists(world, pk, `C#${s.id}`) || await exists(world, 'DEADCMD', s.id)) continue;
    out.push(`${s.instanceId}: command ${s.id} (${s.type}) accepted but neither applied nor rejected`);
  }
  return out;
}

/** Every violation found, as one line each; empty when the world is consistent. */
export async function check(world: World, instanceIds: string[], sent: Sent[]): Promise<string[]> {
  const violations: string[] = [];
  const heads = new Map<string, InstanceState>();
  const applied = new Map<string, Set<string>>();
  for (const id of instanceIds) {
    const versions = await versionsOf(world, id);
    const head = await world.rt.instances.getHead(id, true);
    violations.push(...chainViolations(id, versions, head?.version ?? null));
    applied.set(id, new Set(versions.map((v) => v.commandId)));
    const latest = versions.at(-1);
    if (latest) heads.set(id, latest.state);
  }
  const items = await scanAll(world);
  violations.push(...indexViolations(items, heads));
  violations.push(...timerViolations(world, items, heads));
  violations.push(...await fateViolations(world, sent, applied));
  violations.push(...await dlqViolations(world));
  return violations;
}
