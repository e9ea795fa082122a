/**
 * Gateways. Exclusive: the first flow whose condition is true, else the default,
 * else an incident. Inclusive: every flow whose condition is true, else the default,
 * else an incident (its join lives in the lifecycle). Parallel: every flow
 * (pass-through.ts). Event-based: event-based-gateway.ts.
 * A condition that is not a boolean is an incident naming the flow and expression.
 */
import type { ElementOf } from '../model/types.ts';
import type { Context } from '../context.ts';
import type { Behaviour } from '../context.ts';

function chooseFlows(run: Context, key: string, el: ElementOf<'exclusiveGateway' | 'inclusiveGateway'>, firstOnly: boolean): string[] | null {
  if (el.outgoing.length === 1 && !run.definition.flows[el.outgoing[0] ?? '']?.condition) return el.outgoing;
  const chosen: string[] = [];
  for (const flowId of el.outgoing) {
    if (flowId === el.defaultFlow) continue;
    const condition = run.definition.flows[flowId]?.condition;
    if (!condition) continue;
    const result = run.feel(condition, key);
    const value = result.ok ? result.value : null;
    if (!result.ok || typeof value !== 'boolean') {
      const why = result.ok ? `must be a boolean, got ${JSON.stringify(value)}` : result.message;
      run.incident(key, 'condition', `condition of flow '${flowId}' ('${condition}'): ${why}`, 'complete');
      return null;
    }
    if (value) {
      chosen.push(flowId);
      if (firstOnly) break;
    }
  }
  if (chosen.length === 0 && el.defaultFlow) chosen.push(el.defaultFlow);
  if (chosen.length === 0) {
    run.incident(key, 'condition', `no outgoing flow of '${el.id}' has a true condition and there is no default flow`, 'complete');
    return null;
  }
  return chosen;
}

export const exclusiveGateway: Behaviour<ElementOf<'exclusiveGateway'>> = {
  activate: () => 'complete',
  leave: (run, key, el) => chooseFlows(run, key, el, true),
};

export const inclusiveGateway: Behaviour<ElementOf<'inclusiveGateway'>> = {
  activate: () => 'complete',
  leave: (run, key, el) => chooseFlows(run, key, el, false),
};
