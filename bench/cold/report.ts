/**
 * The cold-start benchmark's output: one table row per function next to the baseline,
 * with the target as PASS/FAIL (never an exit code). `ColdSection` is the `cold` part of
 * `bench/results.json`.
 */

/** Each function's import time must be within this many times the baseline's. */
export const COLD_TARGET = 1.5;

/** One bundle (a function, or the baseline). */
export interface ColdResult {
  name: string;
  /** The deployment package as uploaded (0 for the baseline, which is not packaged). */
  zipBytes: number;
  /** Everything the zip unpacks to (the web page too, for `api`). */
  unpackedBytes: number;
  /** The handler's JavaScript module alone. */
  moduleBytes: number;
  /** Whether source maps ship with the function (a `.map` file or an inline map). */
  sourceMaps: boolean;
  /** Median wall time of `await import(bundle)` in a fresh process, in ms. */
  importMs: number;
  /** Median CPU time of the process over that import (all threads), in ms. */
  cpuMs: number;
  minMs: number;
  maxMs: number;
  /** importMs / the baseline's importMs. */
  ratio: number;
}

export interface ColdSection {
  runs: number;
  target: number;
  /** NODE_OPTIONS the functions run with (from serverless.yml; '' when none). */
  nodeOptions: string;
  baseline: ColdResult;
  functions: ColdResult[];
}

const kb = (bytes: number): string => (bytes === 0 ? '-' : (bytes / 1024).toFixed(bytes < 10_240 ? 1 : 0));

/** Prints the table, the baseline first. */
export function printCold(section: ColdSection): void {
  const header = ['function', 'zip KB', 'unpacked KB', 'module KB', 'maps', 'import ms', 'min-max', 'cpu ms', 'x baseline', `≤${section.target}x`];
  const row = (r: ColdResult, verdict: string): string[] => [
    r.name, kb(r.zipBytes), kb(r.unpackedBytes), kb(r.moduleBytes), r.sourceMaps ? 'yes' : 'no',
    r.importMs.toFixed(1), `${r.minMs.toFixed(0)}-${r.maxMs.toFixed(0)}`, r.cpuMs.toFixed(1), `${r.ratio.toFixed(2)}x`, verdict,
  ];
  const lines = [row(section.baseline, ''), ...section.functions.map((r) => row(r, r.ratio <= section.target ? 'PASS' : 'FAIL'))];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const format = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  console.log(format(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const line of lines) console.log(format(line));
  console.log(`\nimport ms: median wall time of \`await import(handler module)\` in a fresh process (${section.runs} runs each, interleaved);`);
  console.log('cpu ms: that process\'s CPU time over the import (less sensitive to other load on the machine).');
  console.log(`NODE_OPTIONS of the functions: ${section.nodeOptions || '(none)'}`);
}
