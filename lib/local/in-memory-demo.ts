/**
 * `npm run demo`: runs the telecom order example in memory with simulated workers and
 * prints each transition. It drives the test harness (lib/testing), which runs the
 * engine's own use cases over the memory adapters: no emulators.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TestEngine } from '../testing/index.ts';

const examplePath = fileURLToPath(new URL('../../examples/telecom-order.bpmn', import.meta.url));

const WORKERS: Record<string, (vars: Record<string, unknown>) => Record<string, unknown>> = {
  'kyc-check': (vars) => ({ identityVerified: vars['customerId'] !== 'blocked' }),
  'credit-check': () => ({ creditScore: 720 }),
  'provision-line': () => ({ lineNumber: '+33 6 00 00 00 01' }),
};

async function main(): Promise<void> {
  const engine = await TestEngine.deploy(readFileSync(examplePath, 'utf8'));
  const customers = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['c-1001', 'blocked'];
  for (const customerId of customers) {
    const order = await engine.start('telecom-order', { customer: { id: customerId } }, { businessKey: `order-${customerId}` });
    console.log(`\norder for customer ${customerId}: instance ${order.id}`);
    for (let guard = 0; order.status === 'active' && guard < 20; guard++) {
      const [job] = order.jobs();
      const [task] = order.tasks();
      if (job) {
        const result = WORKERS[job.jobType]?.(job.variables) ?? {};
        console.log(`  job ${job.jobType.padEnd(15)} -> ${JSON.stringify(result)}`);
        await order.completeJob(job.jobId, result as never);
      } else if (task) {
        console.log(`  task "${task.name}" (group ${task.candidateGroups.join(',')}) -> approved`);
        await order.completeTask(task.taskId, { approved: true });
      } else break;
    }
    console.log(`  ${order.status}: ${order.completedElements().join(' -> ')}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
