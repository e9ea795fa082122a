/**
 * The scale model's verdict: the heat each partition key took per transition in the workload,
 * extrapolated to the target (10,000 transitions/s on one process definition), against what
 * one DynamoDB partition serves (1,000 WCU/s, 3,000 RCU/s).
 *
 * - A key of one instance (`I#<id>`) is written only by its own transitions, which one SQS
 *   FIFO message group delivers one at a time: at most 300 per second in high-throughput mode.
 *   Its heat is its pattern's units per transition times that ceiling (a worst case).
 * - A shared key split in shards (job types, task lists, signal waiters, the status index,
 *   timer minutes) takes its pattern's units per transition times the target rate, over its
 *   shards (a hash of the item's id spreads them evenly; the measured skew is shown).
 * - Any other shared key takes its own units per transition times the target rate.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html
 */
import { SHARDS } from '../../lib/adapters/dynamodb/keys.ts';
import type { HeatMap } from './heat.ts';

export const TARGET_RATE = 10_000;
export const FIFO_GROUP_MAX = 300;
export const PARTITION = { wcu: 1000, rcu: 3000 } as const;

export interface HeatRow {
  pattern: string;
  keys: number;
  kind: 'instance' | 'sharded' | 'shared';
  shards: number | null;
  wcuPerTransition: number;
  rcuPerTransition: number;
  /** Extrapolated to the target, per key. */
  wcuPerSecond: number;
  rcuPerSecond: number;
  /** Sharded patterns: the busiest shard over the mean one, in the workload. */
  skew: number | null;
  pass: boolean;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const FAMILIES: Array<[RegExp, (m: RegExpMatchArray) => string, number]> = [
  [/^table\|JOBS#(.*)#\d+$/, (m) => `table|JOBS#${m[1]}#<shard>`, SHARDS.jobs],
  [/^table\|TASKS#(.*)#\d+$/, (m) => `table|TASKS#${m[1]}#<shard>`, SHARDS.tasks],
  [/^table\|SUB#(signal:.*)##\d+$/, (m) => `table|SUB#${m[1]}##<shard>`, SHARDS.signals],
  [/^table\|TIMERS#[\dT:-]+#\d+$/, () => 'table|TIMERS#<minute>#<shard>', SHARDS.timers],
  [/^gsi1\|(.*)#(active|incident|completed|canceled)#\d+$/, (m) => `gsi1|${m[1]}#${m[2]}#<shard>`, SHARDS.status],
];

function patternOf(key: string): { pattern: string; kind: HeatRow['kind']; shards: number | null } {
  if (UUID.test(key)) return { pattern: key.replace(UUID, '<id>'), kind: 'instance', shards: null };
  for (const [re, name, shards] of FAMILIES) {
    const m = key.match(re);
    if (m) return { pattern: name(m), kind: 'sharded', shards };
  }
  return { pattern: key, kind: 'shared', shards: null };
}

export function heatRows(heat: HeatMap, transitions: number): HeatRow[] {
  const groups = new Map<string, { kind: HeatRow['kind']; shards: number | null; keys: Array<{ wcu: number; rcu: number }> }>();
  for (const [key, h] of heat) {
    UUID.lastIndex = 0;
    const { pattern, kind, shards } = patternOf(key);
    UUID.lastIndex = 0;
    const group = groups.get(pattern) ?? { kind, shards, keys: [] };
    group.keys.push(h);
    groups.set(pattern, group);
  }
  const rows: HeatRow[] = [];
  for (const [pattern, g] of groups) {
    const total = g.keys.reduce((a, k) => ({ wcu: a.wcu + k.wcu, rcu: a.rcu + k.rcu }), { wcu: 0, rcu: 0 });
    const perTr = { wcu: total.wcu / transitions, rcu: total.rcu / transitions };
    const busiest = g.keys.reduce((a, k) => ({ wcu: Math.max(a.wcu, k.wcu), rcu: Math.max(a.rcu, k.rcu) }), { wcu: 0, rcu: 0 });
    const rate = g.kind === 'instance' ? { wcu: perTr.wcu * FIFO_GROUP_MAX, rcu: perTr.rcu * FIFO_GROUP_MAX }
      : g.kind === 'sharded' ? { wcu: (perTr.wcu * TARGET_RATE) / (g.shards ?? 1), rcu: (perTr.rcu * TARGET_RATE) / (g.shards ?? 1) }
        : { wcu: (busiest.wcu / transitions) * TARGET_RATE, rcu: (busiest.rcu / transitions) * TARGET_RATE };
    const mean = (total.wcu + total.rcu) / g.keys.length;
    rows.push({
      pattern, keys: g.keys.length, kind: g.kind, shards: g.shards, wcuPerTransition: perTr.wcu, rcuPerTransition: perTr.rcu,
      wcuPerSecond: rate.wcu, rcuPerSecond: rate.rcu, skew: g.kind === 'sharded' && mean > 0 ? (busiest.wcu + busiest.rcu) / mean : null,
      pass: rate.wcu <= PARTITION.wcu && rate.rcu <= PARTITION.rcu,
    });
  }
  return rows.sort((a, b) => Math.max(b.wcuPerSecond / PARTITION.wcu, b.rcuPerSecond / PARTITION.rcu) - Math.max(a.wcuPerSecond / PARTITION.wcu, a.rcuPerSecond / PARTITION.rcu));
}

export function printHeat(title: string, rows: HeatRow[], run: { instances: number; transitions: number }): void {
  console.log(`\n${title}: ${run.instances} instances, ${run.transitions} transitions, extrapolated to ${TARGET_RATE.toLocaleString('en')} transitions/s on one model (partition limit ${PARTITION.wcu} WCU/s, ${PARTITION.rcu} RCU/s)\n`);
  console.log('| key pattern | keys seen | kind | WCU/tr | RCU/tr | WCU/s per key | RCU/s per key | skew | verdict |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const kind = r.kind === 'sharded' ? `${r.shards} shards` : r.kind === 'instance' ? `one instance (<= ${FIFO_GROUP_MAX} tr/s)` : 'shared';
    console.log(`| ${r.pattern} | ${r.keys} | ${kind} | ${r.wcuPerTransition.toFixed(3)} | ${r.rcuPerTransition.toFixed(3)} | ${r.wcuPerSecond.toFixed(0)} | ${r.rcuPerSecond.toFixed(0)} | ${r.skew === null ? '-' : r.skew.toFixed(2)} | ${r.pass ? 'PASS' : 'FAIL'} |`);
  }
}
