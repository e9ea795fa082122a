/**
 * The durable benchmark's output: per-transition request counts, capacity and dollars,
 * the targets (PASS/FAIL, never an exit code) and, for a missed target, the counts
 * that explain it. `DurableSection` is the `durable` part of `bench/results.json`.
 */
import type { ScenarioRun } from './drive.ts';
import type { DynamoCall } from './instrument.ts';
import { PRICES, usdPerMillion, type Prices, type UsdPerMillion } from './prices.ts';

/** Targets of the issue, checked on `TARGET_SCENARIO` (the dollar target on every scenario). */
export const TARGETS = { wcuProtocol: 2, rcu: 0.5, versionBytes: 1024, usdPerMillion: 2 } as const;
export const TARGET_SCENARIO = 'ten tasks in sequence';

/** One row of the `durable` section of `results.json`. */
export interface DurableResult {
  name: string;
  transitions: number;
  perTransition: {
    dynamodbRequests: number;
    rcu: number;
    wcu: number;
    wcuProtocol: number;
    wcuIndexes: number;
    sqsRequests: number;
    sqsBytes: number;
    maxVersionBytes: number;
    /** Engine and workers together: the transitions plus the activations (lease writes, variable reads). */
    allIn: { wcu: number; rcu: number; usdPerMillion: number };
  };
  usdPerMillion: UsdPerMillion;
  /** Everything behind the figures above (per transition unless named otherwise). */
  detail: {
    instances: number;
    dynamodbRequestsByOperation: Record<string, number>;
    /** Of wcuProtocol: what the head's GSI (byStatus) consumed. */
    wcuProtocolGsi: number;
    wcuOther: number;
    maxVersionPayloadBytes: number;
    sqsRequestsByOperation: Record<string, number>;
    /** Long-poll receives that returned nothing (idle polling; not a per-transition cost). */
    emptyReceivesTotal: number;
    lambda: { invocations: number; meanBatchSize: number; meanHandlerMs: number; billedMsPerTransition: number };
    worker: { dynamodbRequests: number; rcu: number };
    capacity: {
      reportedByDynamoDbLocal: number; estimatedFromItemSizes: number; readsRaisedToAwsMinimum: number;
      versionPutsCheckedAgainstItemSize: number; versionPutsDisagreeing: number;
    };
    /** The runtime's own meters (dynamodb/meter.ts, sqs/meter.ts in lib/adapters) next to the counters, per transition. */
    meterCheck: { dynamodbRequests: number; dynamodbWcu: number; sqsSendRequests: number; sqsSendBytes: number };
    /**
     * The same measured counts with a protocol change applied (per transition, $ per million):
     * `headOnStatusChange`: the head is written only when its status (GSI key) changes, not on every
     * transition; `jobsOnSqs`: jobs go to a standard SQS queue (one SendMessage per job) instead of
     * index items that are put and deleted.
     */
    whatIf: Record<'headOnStatusChange' | 'jobsOnSqs' | 'both', { wcu: number; usdPerMillion: number }>;
    /** Mean round trip of the engine's requests to the emulators (what the Lambda ms are made of). */
    meanRequestMs: { dynamodb: number; sqsSend: number };
    batch: { applied: number; duplicates: number; rejected: number; dropped: number; failed: number; retries: number };
    stepFunctionsStandardUsdPerMillion: number;
    wallMs: number;
  };
}

export interface DurableSection {
  scenarios: DurableResult[];
  prices: Prices;
}

const round = (n: number, digits = 4): number => Number(n.toFixed(digits));
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const writes = (calls: DynamoCall[]): DynamoCall[] => calls.filter((c) => !c.read);

function byKey<T>(items: T[], key: (t: T) => string, value: (t: T) => number, divisor: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + value(item);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, round(v / divisor)]));
}

/** Turns one scenario's counts into per-transition figures and dollars. */
/** The transitions' consumption plus the workers' activations (their DynamoDB units). */
function allIn(run: ScenarioRun, consumption: Parameters<typeof usdPerMillion>[0]): { wcu: number; rcu: number; usdPerMillion: number } {
  const workerWrites = sum(writes(run.worker.calls).map((c) => c.units));
  const workerReads = sum(run.worker.calls.filter((c) => c.read).map((c) => c.units));
  const total = { ...consumption, writeUnits: consumption.writeUnits + workerWrites, readUnits: consumption.readUnits + workerReads };
  return { wcu: round(total.writeUnits / run.transitions), rcu: round(total.readUnits / run.transitions), usdPerMillion: round(usdPerMillion(total).total) };
}

export function summarise(run: ScenarioRun): DurableResult {
  const t = run.transitions;
  const calls = run.engine.calls;
  const protocol = writes(calls).filter((c) => c.target === 'version' || c.target === 'head');
  const indexes = writes(calls).filter((c) => c.target === 'index');
  const other = writes(calls).filter((c) => c.target !== 'version' && c.target !== 'head' && c.target !== 'index');
  const versionPuts = calls.filter((c) => c.operation === 'PutItem' && c.target === 'version' && !c.failed);
  const readUnits = sum(calls.filter((c) => c.read).map((c) => c.units));
  const writeUnits = sum(writes(calls).map((c) => c.units));
  const sqsBilled = run.sqs.calls.filter((c) => c.operation !== 'ReceiveMessage (empty)');
  const sends = run.sqs.calls.filter((c) => c.operation.startsWith('SendMessage'));
  const billedMs = sum(run.handlerMs.map((ms) => Math.ceil(ms)));
  const consumption = {
    transitions: t, invocations: run.handlerMs.length, billedMs, writeUnits, readUnits,
    sqsFifoRequests: sum(sqsBilled.filter((c) => c.fifo).map((c) => c.billed)),
    sqsStandardRequests: sum(sqsBilled.filter((c) => !c.fifo).map((c) => c.billed)),
  };
  const usd = usdPerMillion(consumption);
  // What-ifs from the same counts: head updates that leave the GSI untouched are the ones a
  // status-change-only head would not make; each job put becomes one standard SQS send.
  const headOnly = sum(protocol.filter((c) => c.operation === 'UpdateItem' && c.target === 'head' && c.indexUnits === 0).map((c) => c.units));
  const indexWrites = sum(indexes.map((c) => c.units));
  const jobSends = indexes.filter((c) => c.operation === 'PutItem').length;
  const whatIf = (wcuSaved: number, extraStandard: number) => ({
    wcu: round((writeUnits - wcuSaved) / t),
    usdPerMillion: round(usdPerMillion({ ...consumption, writeUnits: writeUnits - wcuSaved, sqsStandardRequests: consumption.sqsStandardRequests + extraStandard }).total),
  });
  return {
    name: run.name,
    transitions: t,
    perTransition: {
      dynamodbRequests: round(calls.length / t),
      rcu: round(readUnits / t),
      wcu: round(writeUnits / t),
      wcuProtocol: round(sum(protocol.map((c) => c.units)) / t),
      wcuIndexes: round(sum(indexes.map((c) => c.units)) / t),
      sqsRequests: round(sum(sqsBilled.map((c) => c.billed)) / t),
      sqsBytes: round(sum(sends.map((c) => c.bytes)) / t, 1),
      maxVersionBytes: Math.max(0, ...versionPuts.map((c) => c.itemBytes ?? 0)),
      allIn: allIn(run, consumption),
    },
    usdPerMillion: { lambda: round(usd.lambda), dynamodb: round(usd.dynamodb), sqs: round(usd.sqs), total: round(usd.total) },
    detail: {
      instances: run.instances,
      dynamodbRequestsByOperation: byKey(calls, (c) => `${c.operation} ${c.target}${c.failed ? ' (failed)' : ''}`, () => 1, t),
      wcuProtocolGsi: round(sum(protocol.map((c) => c.indexUnits)) / t),
      wcuOther: round(sum(other.map((c) => c.units)) / t),
      maxVersionPayloadBytes: Math.max(0, ...versionPuts.map((c) => c.payloadBytes ?? 0)),
      sqsRequestsByOperation: byKey(sqsBilled, (c) => `${c.operation}${c.fifo ? ' (fifo)' : ''}`, (c) => c.billed, t),
      emptyReceivesTotal: run.sqs.calls.length - sqsBilled.length,
      lambda: {
        invocations: round(run.handlerMs.length / t), meanBatchSize: round(sum(run.batchSizes) / Math.max(1, run.batchSizes.length), 2),
        meanHandlerMs: round(sum(run.handlerMs) / Math.max(1, run.handlerMs.length), 1), billedMsPerTransition: round(billedMs / t, 2),
      },
      worker: { dynamodbRequests: round(run.worker.calls.length / t), rcu: round(sum(run.worker.calls.map((c) => c.units)) / t) },
      capacity: {
        reportedByDynamoDbLocal: calls.filter((c) => c.reported).length,
        estimatedFromItemSizes: calls.filter((c) => !c.reported).length,
        readsRaisedToAwsMinimum: calls.filter((c) => c.floored).length,
        versionPutsCheckedAgainstItemSize: versionPuts.filter((c) => c.reported).length,
        versionPutsDisagreeing: versionPuts.filter((c) => c.reported && c.units - c.indexUnits !== Math.ceil((c.itemBytes ?? 0) / 1024)).length,
      },
      meanRequestMs: {
        dynamodb: round(sum(calls.map((c) => c.ms)) / Math.max(1, calls.length), 2),
        sqsSend: round(sum(sends.map((c) => c.ms)) / Math.max(1, sends.length), 2),
      },
      meterCheck: {
        dynamodbRequests: round(run.meters.dynamoRequests / t), dynamodbWcu: round(run.meters.dynamoWriteUnits / t),
        sqsSendRequests: round(run.meters.sqsRequests / t), sqsSendBytes: round(run.meters.sqsBytes / t, 1),
      },
      whatIf: { headOnStatusChange: whatIf(headOnly, 0), jobsOnSqs: whatIf(indexWrites, jobSends), both: whatIf(headOnly + indexWrites, jobSends) },
      batch: { ...run.stats },
      stepFunctionsStandardUsdPerMillion: PRICES.stepFunctionsStandard.usdPerMillionStateTransitions,
      wallMs: Math.round(run.wallMs),
    },
  };
}

function table(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const format = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  console.log(format(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(format(row));
}

const f = (n: number, digits = 2): string => n.toFixed(digits);
const usd = (n: number): string => `$${n.toFixed(3)}`;
const verdict = (ok: boolean): string => (ok ? 'PASS' : 'FAIL');

export function printDurable(results: DurableResult[]): void {
  table(
    ['scenario', 'inst', 'trans', 'ddb req', 'RCU', 'WCU', 'WCU proto', 'WCU idx', 'sqs req', 'sqs B', 'max ver B', 'λ $/M', 'ddb $/M', 'sqs $/M', 'total $/M', 'SFN $/M'],
    results.map((r) => [
      r.name, String(r.detail.instances), String(r.transitions),
      f(r.perTransition.dynamodbRequests), f(r.perTransition.rcu), f(r.perTransition.wcu), f(r.perTransition.wcuProtocol), f(r.perTransition.wcuIndexes),
      f(r.perTransition.sqsRequests), f(r.perTransition.sqsBytes, 0), String(r.perTransition.maxVersionBytes),
      usd(r.usdPerMillion.lambda), usd(r.usdPerMillion.dynamodb), usd(r.usdPerMillion.sqs), usd(r.usdPerMillion.total),
      usd(r.detail.stepFunctionsStandardUsdPerMillion),
    ]),
  );
  console.log('\nPer transition (= one version written; sum of head versions). ddb/sqs req: requests; RCU/WCU: capacity units');
  console.log('consumed (WCU proto = version PutItem + head PutItem/UpdateItem incl. the head GSI; WCU idx = job/task index');
  console.log('puts/deletes); sqs B: message bytes sent; max ver B: largest version item as DynamoDB sizes it.');
  console.log('\nRequests per transition, by operation and item (engine only; the worker\'s reads are separate):\n');
  for (const r of results) {
    const d = r.detail;
    const ops = Object.entries(d.dynamodbRequestsByOperation).map(([k, v]) => `${k} ${f(v)}`).join(', ');
    const sqs = Object.entries(d.sqsRequestsByOperation).map(([k, v]) => `${k} ${f(v)}`).join(', ');
    console.log(`${r.name}:`);
    console.log(`  dynamodb  ${ops}`);
    console.log(`  WCU       protocol ${f(r.perTransition.wcuProtocol)} (of which head GSI ${f(d.wcuProtocolGsi)}), indexes ${f(r.perTransition.wcuIndexes)}, other ${f(d.wcuOther)}`);
    console.log(`  sqs       ${sqs}; idle empty receives (not counted): ${d.emptyReceivesTotal} in total`);
    console.log(`  lambda    ${f(d.lambda.invocations, 3)} invocations, ${f(d.lambda.billedMsPerTransition)} billed ms; mean batch ${f(d.lambda.meanBatchSize)} messages, `
      + `${f(d.lambda.meanHandlerMs, 1)} ms (emulator round trips: DynamoDB ${f(d.meanRequestMs.dynamodb)} ms, SQS send ${f(d.meanRequestMs.sqsSend)} ms mean)`);
    console.log(`  worker    ${f(d.worker.dynamodbRequests)} requests, ${f(d.worker.rcu)} units per transition (activations through the API's use case: leases, variable reads)`);
    console.log(`  all-in    engine + workers: ${f(r.perTransition.allIn.wcu)} WCU, ${f(r.perTransition.allIn.rcu)} RCU, ${usd(r.perTransition.allIn.usdPerMillion)}/M`);
    console.log(`  version   largest item ${r.perTransition.maxVersionBytes} B (encoded payload ${d.maxVersionPayloadBytes} B)`);
    console.log(`  capacity  ${d.capacity.reportedByDynamoDbLocal} requests reported by DynamoDB Local, ${d.capacity.estimatedFromItemSizes} estimated from item sizes, `
      + `${d.capacity.readsRaisedToAwsMinimum} empty reads reported as 0 counted at AWS's 0.5 RCU minimum; version puts whose reported table WCU `
      + `differs from ceil(item size / 1 KB): ${d.capacity.versionPutsDisagreeing} of ${d.capacity.versionPutsCheckedAgainstItemSize}`);
    console.log(`  meters    runtime's own meters agree? dynamodb requests ${f(d.meterCheck.dynamodbRequests)}, WCU ${f(d.meterCheck.dynamodbWcu)}; `
      + `sqsMeter sends ${f(d.meterCheck.sqsSendRequests)}, ${f(d.meterCheck.sqsSendBytes, 0)} B (receives/deletes are the poller's: not metered by lib)`);
    console.log(`  what if   head written only on status change: ${f(d.whatIf.headOnStatusChange.wcu)} WCU, ${usd(d.whatIf.headOnStatusChange.usdPerMillion)}/M; `
      + `jobs on an SQS queue instead of index items: ${f(d.whatIf.jobsOnSqs.wcu)} WCU, ${usd(d.whatIf.jobsOnSqs.usdPerMillion)}/M; both: `
      + `${f(d.whatIf.both.wcu)} WCU, ${usd(d.whatIf.both.usdPerMillion)}/M`);
    console.log(`  batches   ${JSON.stringify(d.batch)}, ${d.wallMs} ms wall`);
  }
  const p = PRICES;
  console.log(`\nPrices (${p.region}, ${p.asOf}): Lambda ${p.lambda.architecture} $${p.lambda.usdPerMillionRequests}/M requests + $${p.lambda.usdPerGbSecond}/GB-s at `
    + `${p.lambda.memoryMb} MB x measured handler ms per batch (on the emulators; serverless.yml memorySize); DynamoDB on-demand $${p.dynamodb.usdPerMillionWriteRequestUnits}/M WRU, `
    + `$${p.dynamodb.usdPerMillionReadRequestUnits}/M RRU; SQS FIFO $${p.sqs.usdPerMillionFifoRequests}/M, standard $${p.sqs.usdPerMillionStandardRequests}/M requests per 64 KB `
    + `(free tier ignored); Step Functions Standard $${p.stepFunctionsStandard.usdPerMillionStateTransitions}/M state transitions.`);
}

interface Check {
  what: string;
  actual: string;
  ok: boolean;
  why: string;
}

function checks(results: DurableResult[]): Check[] {
  const out: Check[] = [];
  const ten = results.find((r) => r.name === TARGET_SCENARIO);
  if (ten) {
    const p = ten.perTransition;
    const ops = ten.detail.dynamodbRequestsByOperation;
    const opsText = (prefix: string): string => Object.entries(ops).filter(([k]) => k.includes(prefix)).map(([k, v]) => `${k} ${f(v)}`).join(' + ');
    out.push({
      what: `${TARGET_SCENARIO}: WCU (protocol) <= ${TARGETS.wcuProtocol}`, actual: f(p.wcuProtocol), ok: p.wcuProtocol <= TARGETS.wcuProtocol,
      why: `${opsText('version')} + ${opsText('head')} requests/transition, each >= 1 WCU; the head GSI adds ${f(ten.detail.wcuProtocolGsi)} (insert at start, key change at completion)`,
    });
    out.push({
      what: `${TARGET_SCENARIO}: WCU (all writes, the issue's wording) <= ${TARGETS.wcuProtocol}`, actual: f(p.wcu), ok: p.wcu <= TARGETS.wcuProtocol,
      why: `protocol ${f(p.wcuProtocol)} + job index ${f(p.wcuIndexes)} (${opsText('index')})`,
    });
    out.push({ what: `${TARGET_SCENARIO}: RCU <= ${TARGETS.rcu}`, actual: f(p.rcu), ok: p.rcu <= TARGETS.rcu, why: opsText('load') || 'no reads' });
    out.push({
      what: `${TARGET_SCENARIO}: version item <= ${TARGETS.versionBytes} B`, actual: `${p.maxVersionBytes} B`, ok: p.maxVersionBytes <= TARGETS.versionBytes,
      why: `encoded payload ${ten.detail.maxVersionPayloadBytes} B plus keys and metadata`,
    });
  }
  for (const r of results) {
    const u = r.usdPerMillion;
    out.push({
      what: `${r.name}: total <= $${TARGETS.usdPerMillion}/M transitions`, actual: usd(u.total), ok: u.total <= TARGETS.usdPerMillion,
      why: `DynamoDB ${usd(u.dynamodb)} (${f(r.perTransition.wcu)} WCU x $0.625 + ${f(r.perTransition.rcu)} RCU x $0.125), SQS ${usd(u.sqs)} `
        + `(${f(r.perTransition.sqsRequests)} req), Lambda ${usd(u.lambda)}`,
    });
  }
  return out;
}

export function printTargets(results: DurableResult[]): void {
  console.log('\nTargets (durable path):');
  for (const c of checks(results)) console.log(`  ${verdict(c.ok)}  ${c.what}: ${c.actual}${c.ok ? '' : `  <- ${c.why}`}`);
}
