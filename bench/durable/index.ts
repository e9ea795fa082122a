/**
 * The durable-path benchmark: the three job scenarios of `../scenarios.ts` run end to
 * end on DynamoDB Local + fauxqs through the real SQS FIFO commands queue, counted per
 * transition and priced. Started by `../run.ts` after the engine scenarios
 * (`--no-durable` skips it). Every emulator started here is stopped here, also on errors.
 */
import { startDynamoDb, startSqs, type Emulator } from '../../lib/local/emulators.ts';
import { SCENARIOS } from '../scenarios.ts';
import { runScenario, type DurableScenario } from './drive.ts';
import { PRICES } from './prices.ts';
import { printDurable, printTargets, summarise, TARGET_SCENARIO, type DurableSection } from './report.ts';

/** The engine scenarios with service tasks (job type `work`); the user-task one has no worker here. */
export const DURABLE_SCENARIOS: readonly DurableScenario[] = SCENARIOS
  .filter((s) => !s.persist)
  .map((s) => ({ name: s.name, xml: s.xml, jobType: 'work' }));

export const INSTANCES = { full: 20, quick: 5 } as const;

export async function runDurable(options: { quick: boolean }): Promise<DurableSection> {
  const instances = options.quick ? INSTANCES.quick : INSTANCES.full;
  console.log(`\ndurable path on DynamoDB Local + fauxqs (SQS FIFO commands queue, poller, processBatch), ${instances} instances per scenario\n`);
  const started: Emulator[] = [];
  try {
    // allSettled: when one fails to start, the other is still stopped below.
    const [ddbStart, sqsStart] = await Promise.allSettled([startDynamoDb(), startSqs()]);
    for (const s of [ddbStart, sqsStart]) if (s.status === 'fulfilled') started.push(s.value);
    if (ddbStart.status === 'rejected') throw ddbStart.reason;
    if (sqsStart.status === 'rejected') throw sqsStart.reason;
    const [dynamodb, sqs] = [ddbStart.value, sqsStart.value];
    const endpoints = { dynamodb: dynamodb.endpoint, sqs: sqs.endpoint };
    // Warm-up, not reported: DynamoDB Local's JVM and our code paths are cold on the first run.
    const warmup = DURABLE_SCENARIOS.find((s) => s.name === TARGET_SCENARIO) ?? DURABLE_SCENARIOS[0];
    if (warmup) await runScenario(endpoints, warmup, 2);
    const results = [];
    for (const scenario of DURABLE_SCENARIOS) results.push(summarise(await runScenario(endpoints, scenario, instances)));
    printDurable(results);
    printTargets(results);
    return { scenarios: results, prices: PRICES };
  } finally {
    await Promise.all(started.map((e) => e.stop()));
  }
}
