/**
 * `npm run bench -- --scale` (on by default; `--no-scale` skips it): the scale model. Drives
 * the real adapters with the ten-task and fan-out scenarios (`../scenarios.ts`), meters every
 * partition key, and prints the heaviest keys extrapolated to 10,000 transitions/s on one
 * model (report.ts). `--quick` (CI) runs a few instances; the full run more.
 */
import { startDynamoDb, startSqs, type Emulator } from '../../lib/local/emulators.ts';
import { SCENARIOS } from '../scenarios.ts';
import { heatRows, printHeat, type HeatRow } from './report.ts';
import { runWorkload } from './workload.ts';

export interface ScaleSection {
  target: number;
  scenarios: Array<{ name: string; instances: number; transitions: number; rows: HeatRow[] }>;
}

const MODELS = ['ten tasks in sequence', 'fan-out 10 + join'];

export async function runScale(options: { quick: boolean }): Promise<ScaleSection> {
  const instances = options.quick ? 10 : 60;
  const started: Emulator[] = [];
  try {
    const [ddb, sqs] = await Promise.allSettled([startDynamoDb(), startSqs()]);
    for (const s of [ddb, sqs]) if (s.status === 'fulfilled') started.push(s.value);
    if (ddb.status === 'rejected') throw ddb.reason;
    if (sqs.status === 'rejected') throw sqs.reason;
    const endpoints = { dynamodb: ddb.value.endpoint, sqs: sqs.value.endpoint };
    const section: ScaleSection = { target: 10_000, scenarios: [] };
    for (const name of MODELS) {
      const scenario = SCENARIOS.find((s) => s.name === name);
      if (!scenario) throw new Error(`scale model: no scenario '${name}'`);
      const run = await runWorkload(endpoints, scenario.xml, 'work', instances);
      const rows = heatRows(run.meter.heat, run.transitions);
      printHeat(`scale model, ${name}`, rows.slice(0, 14), run);
      section.scenarios.push({ name, instances, transitions: run.transitions, rows });
    }
    const failing = section.scenarios.flatMap((s) => s.rows.filter((r) => !r.pass).map((r) => `${s.name}: ${r.pattern}`));
    console.log(failing.length === 0 ? '\n  PASS  no partition key over 1,000 WCU/s or 3,000 RCU/s at 10,000 transitions/s' : `\n  FAIL  hot keys: ${failing.join('; ')}`);
    return section;
  } finally {
    await Promise.all(started.map((e) => e.stop()));
  }
}
