/**
 * `bench/REPORT.md`, written by every `npm run bench`: the engine's speed next to bpmn-engine,
 * each function's cold start, the durable path's cost per transition next to Step Functions
 * Standard and the design's floor, and the partition heat of the scale model; with two charts
 * (`bench/charts/*.svg`). Everything comes from the same run's results (results.json).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ColdSection } from './cold/report.ts';
import type { DurableSection } from './durable/report.ts';
import { PRICES } from './durable/prices.ts';
import type { ScenarioResult } from './report.ts';
import type { ScaleSection } from './scale/index.ts';
import { PARTITION } from './scale/report.ts';

export interface ReportInput {
  scenarios: ScenarioResult[];
  durable?: DurableSection | undefined;
  cold?: ColdSection | undefined;
  scale?: ScaleSection | undefined;
  command: string;
}

/**
 * The design's floor per transition: one version put and one head update of under 1 KB
 * (2 WCU), one eventually consistent load (0.5 RCU), the command's FIFO send plus its share of
 * batched receives and deletes (1.2 requests), and a tenth of a 10 ms Lambda invocation.
 */
export function floorUsdPerMillion(): number {
  const p = PRICES;
  const dynamodb = 2 * p.dynamodb.usdPerMillionWriteRequestUnits + 0.5 * p.dynamodb.usdPerMillionReadRequestUnits;
  const sqs = 1.2 * p.sqs.usdPerMillionFifoRequests;
  const lambda = 0.1 * p.lambda.usdPerMillionRequests + 0.1 * 0.01 * (p.lambda.memoryMb / 1024) * p.lambda.usdPerGbSecond * 1e6;
  return dynamodb + sqs + lambda;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A horizontal bar chart: one bar per row, a dashed line at `limit` when given. */
export function barChart(title: string, rows: Array<{ label: string; value: number }>, unit: string, limit?: { value: number; label: string }): string {
  const width = 760;
  const left = 300;
  const barH = 22;
  const height = 50 + rows.length * (barH + 8) + 20;
  const max = Math.max(...rows.map((r) => r.value), limit?.value ?? 0) * 1.1 || 1;
  const x = (v: number): number => left + (v / max) * (width - left - 80);
  const bars = rows.map((r, i) => {
    const y = 40 + i * (barH + 8);
    return `<text x="${left - 8}" y="${y + 15}" text-anchor="end" font-size="12">${esc(r.label)}</text>`
      + `<rect x="${left}" y="${y}" width="${Math.max(1, x(r.value) - left)}" height="${barH}" fill="#3b7dd8"/>`
      + `<text x="${x(r.value) + 4}" y="${y + 15}" font-size="12">${r.value.toFixed(2)} ${esc(unit)}</text>`;
  }).join('');
  const line = limit ? `<line x1="${x(limit.value)}" y1="32" x2="${x(limit.value)}" y2="${height - 20}" stroke="#c33" stroke-dasharray="4 3"/><text x="${x(limit.value) + 4}" y="${height - 6}" font-size="11" fill="#c33">${esc(limit.label)}</text>` : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif"><rect width="100%" height="100%" fill="white"/><text x="10" y="20" font-size="14" font-weight="bold">${esc(title)}</text>${bars}${line}</svg>\n`;
}

function costSection(durable: DurableSection, charts: string): string[] {
  const floor = floorUsdPerMillion();
  const rows = durable.scenarios.flatMap((s) => [{ label: s.name, value: s.usdPerMillion.total }, { label: `${s.name}, with workers`, value: s.perTransition.allIn.usdPerMillion }]);
  rows.push({ label: "the design's floor", value: floor }, { label: 'Step Functions Standard', value: PRICES.stepFunctionsStandard.usdPerMillionStateTransitions });
  writeFileSync(join(charts, 'cost.svg'), barChart('$ per million transitions', rows, '$/M', { value: 1.5, label: 'target $1.5/M' }));
  return [
    '## Cost per transition (durable path on the emulators)', '',
    '| scenario | WCU/tr (protocol + indexes) | RCU/tr | SQS req/tr | $/M Lambda | $/M DynamoDB | $/M SQS | $/M transitions | all-in with workers: WCU, RCU, $/M |', '|---|---|---|---|---|---|---|---|---|',
    ...durable.scenarios.map((s) => `| ${s.name} | ${s.perTransition.wcu.toFixed(2)} (${s.perTransition.wcuProtocol.toFixed(2)} + ${s.perTransition.wcuIndexes.toFixed(2)}) | ${s.perTransition.rcu.toFixed(2)} | ${s.perTransition.sqsRequests.toFixed(2)} | ${s.usdPerMillion.lambda.toFixed(3)} | ${s.usdPerMillion.dynamodb.toFixed(3)} | ${s.usdPerMillion.sqs.toFixed(3)} | **${s.usdPerMillion.total.toFixed(3)}** | ${s.perTransition.allIn.wcu.toFixed(2)}, ${s.perTransition.allIn.rcu.toFixed(2)}, **${s.perTransition.allIn.usdPerMillion.toFixed(3)}** |`),
    `| the design's floor (2 WCU, 0.5 RCU, 1.2 SQS FIFO requests, a tenth of a 10 ms invocation) | 2.00 | 0.50 | 1.20 | | | | ${floor.toFixed(3)} | |`,
    `| Step Functions Standard | | | | | | | ${PRICES.stepFunctionsStandard.usdPerMillionStateTransitions.toFixed(3)} | |`, '',
    'What-ifs measured on the same run (per transition): ' + durable.scenarios.map((s) => `${s.name}: head only on status change ${s.detail.whatIf.headOnStatusChange.wcu.toFixed(2)} WCU / $${s.detail.whatIf.headOnStatusChange.usdPerMillion.toFixed(2)}; jobs on SQS ${s.detail.whatIf.jobsOnSqs.wcu.toFixed(2)} WCU / $${s.detail.whatIf.jobsOnSqs.usdPerMillion.toFixed(2)}; both ${s.detail.whatIf.both.wcu.toFixed(2)} WCU / $${s.detail.whatIf.both.usdPerMillion.toFixed(2)}`).join('. ') + '.', '',
    '![cost per million transitions](charts/cost.svg)', '',
  ];
}

function heatSection(scale: ScaleSection, charts: string): string[] {
  const out: string[] = [`## Partition heat at ${scale.target.toLocaleString('en')} transitions/s on one model (scale model)`, ''];
  const chartRows: Array<{ label: string; value: number }> = [];
  for (const s of scale.scenarios) {
    out.push(`### ${s.name} (${s.instances} instances, ${s.transitions} transitions measured)`, '', '| key pattern | kind | WCU/s per key | RCU/s per key | verdict |', '|---|---|---|---|---|');
    for (const r of s.rows.slice(0, 10)) {
      out.push(`| \`${r.pattern}\` | ${r.kind === 'sharded' ? `${r.shards} shards` : r.kind} | ${r.wcuPerSecond.toFixed(0)} | ${r.rcuPerSecond.toFixed(0)} | ${r.pass ? 'PASS' : 'FAIL'} |`);
      chartRows.push({ label: `${s.name}: ${r.pattern}`.slice(0, 48), value: Math.max(r.wcuPerSecond / PARTITION.wcu, r.rcuPerSecond / PARTITION.rcu) * 100 });
    }
    out.push('');
  }
  writeFileSync(join(charts, 'heat.svg'), barChart('busiest key of each pattern, % of one partition (WCU or RCU, whichever is higher)', chartRows.slice(0, 16), '%', { value: 100, label: 'one partition' }));
  out.push('![partition heat](charts/heat.svg)', '');
  return out;
}

function coldSection(cold: ColdSection): string[] {
  return [
    '## Cold start (import of each packaged bundle in a fresh Node process)', '',
    `| function | zip KB | import ms | x baseline (target <= ${cold.target}) |`, '|---|---|---|---|',
    `| baseline (DynamoDB client only) | - | ${cold.baseline.importMs.toFixed(1)} | 1.00 |`,
    ...cold.functions.map((f) => `| ${f.name} | ${(f.zipBytes / 1024).toFixed(0)} | ${f.importMs.toFixed(1)} | ${(f.importMs / cold.baseline.importMs).toFixed(2)} |`), '',
  ];
}

export function writeReport(path: string, input: ReportInput): void {
  const charts = join(dirname(path), 'charts');
  mkdirSync(charts, { recursive: true });
  const lines = [
    '# Benchmark report', '', `Written by \`${input.command}\` on ${new Date().toISOString().slice(0, 10)} (${process.version}); the figures of one run, not a promise.`, '',
    '## Engine speed (in process, µs per flow node)', '', '| scenario | ours | bpmn-engine | ratio |', '|---|---|---|---|',
    ...input.scenarios.map((s) => `| ${s.name} | ${s.ours.usPerFlowNode.toFixed(2)} | ${s.peer.usPerFlowNode.toFixed(2)} | ${s.ratio.toFixed(0)}x |`), '',
    ...(input.durable ? costSection(input.durable, charts) : []),
    ...(input.scale ? heatSection(input.scale, charts) : []),
    ...(input.cold ? coldSection(input.cold) : []),
  ];
  writeFileSync(path, `${lines.join('\n')}\n`);
}
