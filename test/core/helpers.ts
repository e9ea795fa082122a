/** Shared arrange helpers for core tests. */
import { DeployError, TestEngine, bpmn } from '../../lib/testing/index.ts';
import type { TestInstance } from '../../lib/testing/index.ts';

/** Deploys one process body and starts it. */
export async function run(body: string, variables: Record<string, unknown> = {}, rootElements = ''): Promise<{ engine: TestEngine; pi: TestInstance }> {
  const engine = await TestEngine.deploy(bpmn(body, { rootElements }));
  const pi = await engine.start('process', variables as never);
  return { engine, pi };
}

/** The events as compact strings: `ElementActivated:task`, `JobCreated`, ... */
export function trace(pi: TestInstance): string[] {
  return pi.events.map((e) => ('elementId' in e && e.type.startsWith('Element') ? `${e.type}:${e.elementId}` : e.type));
}

/** Only lifecycle events of elements: `+task` activated, `-task` completed, `x task` terminated. */
export function lifecycle(pi: TestInstance): string[] {
  return pi.events.flatMap((e) => {
    if (e.type === 'ElementActivated') return [`+${e.elementId}`];
    if (e.type === 'ElementCompleted') return [`-${e.elementId}`];
    if (e.type === 'ElementTerminated') return [`x${e.elementId}`];
    return [];
  });
}

/** Deploys one process body: 'deployed', or each refusal as `<elementId>: <message>`, one a line. */
export async function refusal(body: string): Promise<string> {
  try {
    await TestEngine.deploy(bpmn(body));
  } catch (error) {
    if (error instanceof DeployError) return error.problems.map((p) => `${p.elementId}: ${p.message}`).join('\n');
    throw error;
  }
  return 'deployed';
}
