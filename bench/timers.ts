/**
 * `npx tsx bench/timers.ts [--short 100] [--long 2000]`: timer lateness and the cost of
 * parking instances on long timers.
 *
 * 1. Short timers, real time, on the local runtime (emulators, the real handlers behind
 *    local SQS pollers): N instances wait on a 2 s timer; lateness = when the fire's
 *    version was written minus the timer's due time.
 * 2. Long timers, SIMULATED time, on DynamoDB Local: N timers spread over an hour are put
 *    as due-time items and swept once a simulated minute; lateness = when the SQS delay
 *    of the hand-off ends minus the due time (add the short-timer pipeline figure for
 *    the part after the SQS delay, which is the same path).
 * 3. The AWS cost of 1 million instances parked on a 30-day timer, from the requests each
 *    approach makes (the sweep's measured in step 2, scaled), at the list prices of
 *    bench/durable/prices.ts plus EventBridge Scheduler's $1.00 per million invocations.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDurableTimers } from '../lib/adapters/scheduler/dynamodb.ts';
import { Meter } from '../lib/adapters/dynamodb/meter.ts';
import { ensureTable } from '../lib/adapters/dynamodb/table.ts';
import { delaySeconds } from '../lib/adapters/sqs/timers.ts';
import { startLocal } from '../lib/local/runtime.ts';
import type { ScheduledTimer } from '../lib/ports.ts';
import { bpmn, flows } from '../lib/testing/index.ts';
import { PRICES } from './durable/prices.ts';

const { values } = parseArgs({ options: { short: { type: 'string', default: '100' }, long: { type: 'string', default: '2000' } } });
const SHORT = Number(values.short);
const LONG = Number(values.long);
const MINUTE = 60_000;

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const summary = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, p50: pct(s, 50), p99: pct(s, 99), max: s.at(-1) ?? NaN };
};

async function shortTimers(local: Awaited<ReturnType<typeof startLocal>>): Promise<ReturnType<typeof summary>> {
  const api = (path: string, init?: RequestInit) => fetch(`${local.url}${path}`, init).then(async (r) => (await r.json()) as Record<string, unknown>);
  const xml = bpmn(`<startEvent id="start"/><intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>PT2S</timeDuration></timerEventDefinition></intermediateCatchEvent><endEvent id="end"/>${flows('start', 'wait', 'end')}`, { id: 'bench-wait' });
  await api('/v1/definitions', { method: 'POST', headers: { 'content-type': 'application/xml' }, body: xml });
  const ids = await Promise.all(Array.from({ length: SHORT }, async () => String((await api('/v1/instances', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ definitionKey: 'bench-wait' }) }))['instanceId'])));
  const deadline = Date.now() + 120_000;
  const lateness: number[] = [];
  for (const id of ids) {
    for (;;) {
      const history = (await api(`/v1/instances/${id}/history`))['versions'] as Array<{ command: { type: string }; at: string; events: Array<{ type: string; dueAt?: number }> }> | undefined;
      const fired = history?.find((v) => v.command.type === 'fireTimer');
      const dueAt = history?.flatMap((v) => v.events).find((e) => e.type === 'TimerScheduled')?.dueAt;
      if (fired && dueAt) {
        lateness.push(Date.parse(fired.at) - dueAt);
        break;
      }
      if (Date.now() > deadline) throw new Error(`instance ${id} did not fire in time`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return summary(lateness);
}

async function longTimers(endpoint: string): Promise<{ lateness: ReturnType<typeof summary>; meter: Meter; timers: number }> {
  const dynamodb = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const tableName = `bench-timers-${randomUUID().slice(0, 8)}`;
  await ensureTable(dynamodb, tableName);
  const clock = { t: Date.UTC(2026, 0, 1), now() { return this.t; } };
  const handed: Array<{ timer: ScheduledTimer; at: number }> = [];
  const handOff = { scheduleMany: async (timers: ScheduledTimer[]) => { for (const timer of timers) handed.push({ timer, at: clock.t }); } };
  const meter = new Meter();
  const timers = new DynamoDurableTimers(dynamodb, { tableName, handOff, clock, meter });
  const start = clock.t;
  const parked = Array.from({ length: LONG }, (_, i) => ({ timerId: `b${i}.1`, instanceId: `b${i}`, dueAt: start + 20 * MINUTE + Math.floor(Math.random() * 60 * MINUTE) }));
  await timers.scheduleMany(parked);
  for (let now = start; now <= start + 90 * MINUTE; now += MINUTE) {
    clock.t = now;
    await timers.sweep(now);
  }
  if (handed.length !== LONG || new Set(handed.map((h) => h.timer.timerId)).size !== LONG) throw new Error(`handed off ${handed.length} of ${LONG}`);
  return { lateness: summary(handed.map(({ timer, at }) => at + delaySeconds(timer.dueAt, at) * 1000 - timer.dueAt)), meter, timers: LONG };
}

/** Dollars for one million instances, each parked 30 days on one timer (on top of the fire itself, the same for every approach). */
function costs(sweep: { meter: Meter; timers: number }): Record<string, Record<string, number | string>> {
  const perM = 1_000_000;
  const sqs = PRICES.sqs.usdPerMillionStandardRequests;
  const lambdaInvoke = PRICES.lambda.usdPerMillionRequests;
  const gbSecond = PRICES.lambda.usdPerGbSecond;
  const timersFnGbS = 0.256 * 0.05; // the timers function: 256 MB, ~50 ms a batch
  // Requests per timer on the timers queue (send, receive, delete), unbatched: an upper bound.
  const sqsHop = 3 * sqs;
  // EventBridge Scheduler: one invocation ($1.00/M; CreateSchedule/DeleteSchedule API calls are not billed,
  // schedules cost nothing while they wait), then one SQS hop (re-delayed to the second: a second hop).
  const scheduler = 1.0 + 2 * sqsHop + 2 * (lambdaInvoke + timersFnGbS * perM * gbSecond);
  // DynamoDB sweep: measured units per timer (put + delete + its share of the bucket reads), storage for a month,
  // the fixed sweep (43,200 invocations a month, 4 empty queries each), and one SQS hop from the sweep.
  const writeUnitsPerTimer = 2; // one put, one delete, each <= 1 KB: 1 WRU (batching saves requests, not units)
  const readUnitsPerTimer = sweep.meter.readUnits / sweep.timers;
  const itemBytes = 100 + 160; // DynamoDB's per-item overhead + key and attributes
  const storage = (itemBytes / 1e9) * 0.25 * perM; // $0.25 per GB-month, one month
  const dynamo = writeUnitsPerTimer * PRICES.dynamodb.usdPerMillionWriteRequestUnits + readUnitsPerTimer * PRICES.dynamodb.usdPerMillionReadRequestUnits + storage;
  const sweepFixed = 43_200 * (lambdaInvoke / perM + 0.256 * 0.1 * gbSecond) + 43_200 * 4 * PRICES.dynamodb.usdPerMillionReadRequestUnits / perM;
  const swept = dynamo + sqsHop + (lambdaInvoke + timersFnGbS * perM * gbSecond) + sweepFixed;
  // SQS only, hopping in 15-minute delays for 30 days: 2,880 hops, each a send, receive, delete and a Lambda run.
  const hops = 30 * 24 * 4;
  const sqsOnly = hops * (sqsHop + lambdaInvoke / 10 + (timersFnGbS * perM * gbSecond) / 10);
  const row = (total: number, note: string) => ({ usdPerMillionInstances: Number(total.toFixed(2)), usdPerInstance: Number((total / perM).toExponential(2)), note });
  return {
    eventBridgeScheduler: row(scheduler, '1 invocation ($1.00/M) + 2 SQS hops + 2 timers-function runs'),
    dynamodbSweep: row(swept, `2 WRU + ${readUnitsPerTimer.toFixed(3)} RRU (measured) + ${itemBytes} B for a month + 1 SQS hop + sweep fixed $${sweepFixed.toFixed(3)}/month`),
    sqsHopsOnly: row(sqsOnly, `${hops} hops of 15 min (no durable schedule; batches of 10)`),
    target: { usdPerInstance: 0.01, note: 'at most $0.01 per parked instance per month' },
  };
}

const local = await startLocal({ port: 0, dataDir: null, examplesDir: null, logLevel: 'error' });
try {
  const short = await shortTimers(local);
  console.log(`short timers (2 s, SQS delay, local runtime, real time): ${JSON.stringify(short)} ms late`);
  const long = await longTimers(local.env['AWS_ENDPOINT_URL_DYNAMODB'] ?? '');
  console.log(`long timers (swept DynamoDB items, ${LONG} over 1 simulated hour): ${JSON.stringify(long.lateness)} ms late at the end of the SQS delay (+ the short-timer pipeline after it)`);
  console.log(`sweep requests for ${LONG} timers: ${JSON.stringify(long.meter.requests)}, ${long.meter.writeUnits} WCU, ${long.meter.readUnits} RCU (DynamoDB Local)`);
  console.log('cost of 1,000,000 instances parked on a 30-day timer (us-east-1 list prices):');
  console.table(costs(long));
} finally {
  await local.stop();
}
