/**
 * `npm run simulate -- --seed <n> [--steps M]`: replays one seed.
 * `npm run simulate -- --seeds N [--from S] [--steps M]`: runs seeds S..S+N-1 (default from 1).
 * Starts DynamoDB Local and fauxqs itself (as test/setup/emulators.ts does) and stops them.
 * Exit code 1 when any seed found a violation; each failing seed is printed whole.
 */
import { parseArgs } from 'node:util';
import { startDynamoDb, startSqs } from '../../lib/local/emulators.ts';
import { describeReport, runSeed, type Report } from './runner.ts';

function seedsFrom(values: { seed?: string | undefined; seeds?: string | undefined; from?: string | undefined }): number[] {
  if (values.seed !== undefined) return [Number(values.seed)];
  const count = Number(values.seeds ?? 10);
  const from = Number(values.from ?? 1);
  return Array.from({ length: count }, (_, i) => from + i);
}

function total(reports: Report[], pick: (r: Report) => Record<string, number>): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const r of reports) for (const [k, v] of Object.entries(pick(r))) sum[k] = (sum[k] ?? 0) + v;
  return sum;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seed: { type: 'string' }, seeds: { type: 'string' }, from: { type: 'string' }, steps: { type: 'string' }, verbose: { type: 'boolean' } } });
  const steps = Number(values.steps ?? 100);
  const [dynamodb, sqs] = await Promise.all([startDynamoDb(), startSqs()]);
  const reports: Report[] = [];
  try {
    for (const seed of seedsFrom(values)) {
      const report = await runSeed({ dynamodb: dynamodb.endpoint, sqs: sqs.endpoint }, seed, { steps });
      reports.push(report);
      const sent = report.log.length;
      console.log(`seed ${seed}: ${report.violations.length === 0 ? 'ok' : 'FAILED'} (${sent} commands sent, ${report.ms} ms, orphans ${report.orphansAtQuiescence}) faults ${JSON.stringify(report.faults)}`);
      if (report.violations.length > 0 || values.verbose) console.log(describeReport(report));
    }
  } finally {
    await Promise.all([dynamodb.stop(), sqs.stop()]);
  }
  const failed = reports.filter((r) => r.violations.length > 0);
  console.log(`\n${reports.length} seeds x ${steps} steps, ${reports.reduce((n, r) => n + r.log.length, 0)} commands sent; failed seeds: ${failed.map((r) => r.seed).join(', ') || 'none'}`);
  console.log(`faults injected: ${JSON.stringify(total(reports, (r) => r.faults))}`);
  console.log(`batches: ${JSON.stringify(total(reports, (r) => r.batch))}`);
  process.exitCode = failed.length > 0 ? 1 : 0;
}

await main();
