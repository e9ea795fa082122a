/**
 * `npm run bench [-- --quick] [-- --no-durable] [-- --no-cold] [-- --no-scale]`: our engine core and
 * bpmn-engine side by side, in process, on the scenarios of `scenarios.ts`; then each
 * function's cold start (`cold/`: bundle size and import time of the zips `npm run package`
 * left in `.serverless/`, next to a client-dynamodb-only baseline); then the durable path on
 * the emulators (`durable/`: requests, capacity and dollars per transition); prints tables
 * and writes `bench/results.json`. `--quick` runs far fewer iterations, imports and
 * instances (for CI); `--no-cold` skips the cold start (no package needed), `--no-durable`
 * the durable path (no Java / emulators needed), `--no-scale` the scale model (`scale/`: the
 * heat of every partition key, extrapolated to 10,000 transitions/s on one model).
 *
 * Each scenario is checked before it is timed: both engines must complete the same
 * number of wait states, and ours must activate exactly `flowNodes` flow nodes.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runCold } from './cold/index.ts';
import { runDurable } from './durable/index.ts';
import { runScale } from './scale/index.ts';
import { writeReport } from './markdown.ts';
import { measure, type Budget } from './measure.ts';
import { measureOurs, prepareOurs, runOurs } from './ours.ts';
import { preparePeer, runPeerJobs, runPeerPersisted } from './peer.ts';
import { printTable, result, writeResults, type RowDetail, type ScenarioResult } from './report.ts';
import { SCENARIOS, type Scenario } from './scenarios.ts';

const FULL: Budget = { warmupMs: 500, measureMs: 2500, batches: 5 };
const QUICK: Budget = { warmupMs: 250, measureMs: 400, batches: 4 };

function check(scenario: Scenario, engine: string, actual: number, expected: number, what: string): void {
  if (actual !== expected) throw new Error(`${scenario.name}: ${engine} ${what} ${actual}, expected ${expected}`);
}

async function runScenario(scenario: Scenario, budget: Budget): Promise<{ result: ScenarioResult; detail: RowDetail }> {
  const definition = await prepareOurs(scenario.xml);
  const model = await preparePeer(scenario.xml);
  const ours = () => runOurs(definition, scenario.persist);
  const peer = () => (scenario.persist ? runPeerPersisted(model) : runPeerJobs(model));

  const size = measureOurs(definition, scenario.persist);
  check(scenario, 'ours', size.flowNodes, scenario.flowNodes, 'activated flow nodes:');
  check(scenario, 'ours', ours(), scenario.waits, 'completed waits:');
  check(scenario, 'bpmn-engine', await peer(), scenario.waits, 'completed waits:');

  const oursTime = await measure(ours, budget);
  const peerTime = await measure(peer, budget);
  return {
    result: result(
      scenario.name,
      { usPerFlowNode: oursTime.usPerRun / scenario.flowNodes, stateBytes: size.bytes, stateBytesCompressed: size.compressed },
      peerTime.usPerRun / scenario.flowNodes,
    ),
    detail: { flowNodes: scenario.flowNodes, oursRuns: oursTime.runs, oursSpread: oursTime.spread, peerRuns: peerTime.runs, peerSpread: peerTime.spread },
  };
}

/** The command line as the user typed it, when run through npm; else the script and its arguments. */
function commandLine(args: string[]): string {
  const event = process.env['npm_lifecycle_event'];
  if (event) return `npm run ${event}${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`;
  return ['npx tsx bench/run.ts', ...args].join(' ');
}

/** Runs one optional section: when it fails, the rest is still written and the run fails. */
async function section<T>(name: string, run: () => Promise<T>, stack = true): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    console.error(`\n${name} failed: ${stack ? ((error as Error).stack ?? String(error)) : (error as Error).message}`);
    process.exitCode = 1;
    return undefined;
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const { values } = parseArgs({ args, options: { quick: { type: 'boolean', default: false }, durable: { type: 'boolean', default: true }, cold: { type: 'boolean', default: true }, scale: { type: 'boolean', default: true } }, allowNegative: true, strict: true });
  const budget = values.quick ? QUICK : FULL;
  console.log(`serverless-bpmn vs bpmn-engine, ${values.quick ? 'quick' : 'full'} run, node ${process.version}\n`);
  const rows: Array<{ result: ScenarioResult; detail: RowDetail }> = [];
  for (const scenario of SCENARIOS) rows.push(await runScenario(scenario, budget));
  printTable(rows);
  const cold = values.cold ? await section('cold start', () => runCold({ quick: values.quick }), false) : undefined;
  const durable = values.durable ? await section('durable path', () => runDurable({ quick: values.quick })) : undefined;
  const scale = values.scale ? await section('scale model', () => runScale({ quick: values.quick })) : undefined;
  const out = fileURLToPath(new URL('results.json', import.meta.url));
  writeResults(out, rows.map((r) => r.result), commandLine(args), { durable, cold, scale });
  const report = fileURLToPath(new URL('REPORT.md', import.meta.url));
  writeReport(report, { scenarios: rows.map((r) => r.result), durable, cold, scale, command: commandLine(args) });
  console.log(`\nwrote ${out} and ${report}`);
}

await main();
