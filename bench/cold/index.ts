/**
 * The cold-start benchmark: each deployed function's bundle (the zips of `npm run package`)
 * imported by a fresh `node` process, next to a baseline handler that imports only
 * `@aws-sdk/client-dynamodb`. Started by `../run.ts` (`--no-cold` skips it).
 *
 *   for each round (N rounds):  for each bundle:  spawn node -> time `await import(bundle)`
 *
 * Rounds interleave the bundles, so load from other processes on the machine spreads over
 * all of them instead of landing on one; each figure is the median of its N runs. The
 * child process runs with the function's environment (serverless.yml, NODE_OPTIONS
 * included) and nothing inherited, and fails the run when the module has no `handler`.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { BASELINE, prepareBundles, type Bundle } from './bundles.ts';
import { COLD_TARGET, printCold, type ColdResult, type ColdSection } from './report.ts';

export const RUNS = { full: 25, quick: 7 } as const;

interface Sample {
  wallMs: number;
  cpuMs: number;
}

/** Runs in the child: the import's wall time and the process's CPU time over it, as JSON. */
const probe = (url: string): string => [
  'const cpu = process.cpuUsage(); const start = performance.now();',
  `const mod = await import(${JSON.stringify(url)});`,
  'const wallMs = performance.now() - start; const used = process.cpuUsage(cpu);',
  "if (typeof mod.handler !== 'function') throw new Error('the module exports no handler');",
  'console.log(JSON.stringify({ wallMs, cpuMs: (used.user + used.system) / 1000 }));',
].join('\n');

function importOnce(bundle: Bundle): Sample {
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', probe(pathToFileURL(bundle.file).href)], { env: bundle.env, encoding: 'utf8', timeout: 60_000 });
  if (child.status !== 0) throw new Error(`${bundle.name}: importing ${bundle.file} failed:\n${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop() ?? '') as Sample;
}

const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const round = (n: number, digits = 1): number => Number(n.toFixed(digits));

export async function runCold(options: { quick: boolean }): Promise<ColdSection> {
  const runs = options.quick ? RUNS.quick : RUNS.full;
  const { dir, bundles, warning } = await prepareBundles();
  try {
    console.log(`\ncold start: each function's bundle from .serverless/*.zip imported by a fresh node ${process.version} process, median of ${runs} interleaved runs\n`);
    if (warning) console.warn(`warning: ${warning}\n`);
    const samples = new Map<Bundle, Sample[]>(bundles.map((b) => [b, []]));
    for (let round = 0; round < runs; round++) for (const bundle of bundles) samples.get(bundle)?.push(importOnce(bundle));
    const results = bundles.map((bundle): ColdResult => {
      const own = samples.get(bundle) ?? [];
      return {
        name: bundle.name, zipBytes: bundle.zipBytes, unpackedBytes: bundle.unpackedBytes, moduleBytes: bundle.moduleBytes, sourceMaps: bundle.sourceMaps,
        importMs: round(median(own.map((s) => s.wallMs))), cpuMs: round(median(own.map((s) => s.cpuMs))),
        minMs: round(Math.min(...own.map((s) => s.wallMs))), maxMs: round(Math.max(...own.map((s) => s.wallMs))),
        ratio: 0,
      };
    });
    const baseline = results.find((r) => r.name === BASELINE);
    for (const r of results) r.ratio = baseline ? round(r.importMs / baseline.importMs, 2) : 0;
    const section: ColdSection = {
      runs, target: COLD_TARGET, nodeOptions: bundles.find((b) => b.name !== BASELINE)?.env['NODE_OPTIONS'] ?? '',
      baseline: baseline as ColdResult, functions: results.filter((r) => r.name !== BASELINE),
    };
    printCold(section);
    return section;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
