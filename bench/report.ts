/**
 * The benchmark's output: a table for people, `bench/results.json` for machines.
 * Targets are reported PASS/FAIL per row; missing one is not an error.
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { ScaleSection } from './scale/index.ts';
import type { ColdSection } from './cold/report.ts';
import type { DurableSection } from './durable/report.ts';

/** ours must be at least this many times faster per flow node than bpmn-engine. */
export const SPEED_TARGET = 10;
/** Largest brotli-compressed state of any version, in bytes. */
export const STATE_TARGET = 2048;

/** One row of `results.json` (the shape is a contract: keep it exactly). */
export interface ScenarioResult {
  name: string;
  ours: { usPerFlowNode: number; stateBytes: number; stateBytesCompressed: number };
  peer: { name: 'bpmn-engine'; usPerFlowNode: number };
  /** peer.usPerFlowNode / ours.usPerFlowNode: how many times faster ours is. */
  ratio: number;
}

/** What the printed table shows beyond the JSON: run counts and batch spread. */
export interface RowDetail {
  flowNodes: number;
  oursRuns: number;
  oursSpread: number;
  peerRuns: number;
  peerSpread: number;
}

const round = (n: number, digits: number): number => Number(n.toFixed(digits));
const pct = (spread: number): string => `±${(spread * 50).toFixed(0)}%`;
const verdict = (ok: boolean): string => (ok ? 'PASS' : 'FAIL');

/** Prints one line per scenario with both targets. */
export function printTable(rows: Array<{ result: ScenarioResult; detail: RowDetail }>): void {
  const header = ['scenario', 'nodes', 'ours µs/node', 'bpmn-engine µs/node', 'ratio', `≥${SPEED_TARGET}x`, 'state B', 'brotli B', '≤2 KB'];
  const lines = rows.map(({ result: r, detail: d }) => [
    r.name,
    String(d.flowNodes),
    `${r.ours.usPerFlowNode.toFixed(2)} ${pct(d.oursSpread)}`,
    `${r.peer.usPerFlowNode.toFixed(2)} ${pct(d.peerSpread)}`,
    `${r.ratio.toFixed(1)}x`,
    verdict(r.ratio >= SPEED_TARGET),
    String(r.ours.stateBytes),
    String(r.ours.stateBytesCompressed),
    verdict(r.ours.stateBytesCompressed <= STATE_TARGET),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const format = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  console.log(format(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const line of lines) console.log(format(line));
  console.log('\nµs/node: mean wall time per flow node activated, ±: half the spread between the fastest and slowest batch.');
  console.log('state B / brotli B: largest JSON.stringify(state) of any version, raw and brotli (quality 11) compressed.');
}

/** Builds one row, rounding for readability. */
export function result(name: string, ours: ScenarioResult['ours'], peerUsPerFlowNode: number): ScenarioResult {
  return {
    name,
    ours: { ...ours, usPerFlowNode: round(ours.usPerFlowNode, 3) },
    peer: { name: 'bpmn-engine', usPerFlowNode: round(peerUsPerFlowNode, 3) },
    ratio: round(peerUsPerFlowNode / ours.usPerFlowNode, 2),
  };
}

/**
 * Writes `results.json`: the engine scenarios, the durable path and the cold start (each
 * when it ran), the machine they ran on and the command line.
 */
export function writeResults(path: string, scenarios: ScenarioResult[], command: string, sections: { durable?: DurableSection | undefined; cold?: ColdSection | undefined; scale?: ScaleSection | undefined } = {}): void {
  const { durable, cold, scale } = sections;
  const machine = {
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cpus: cpus().length,
    platform: `${process.platform}-${process.arch}`,
    date: new Date().toISOString(),
  };
  writeFileSync(path, `${JSON.stringify({ scenarios, ...(durable ? { durable } : {}), ...(cold ? { cold } : {}), ...(scale ? { scale } : {}), machine, command }, null, 2)}\n`);
}
