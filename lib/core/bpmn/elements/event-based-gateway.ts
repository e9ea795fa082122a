/**
 * Event-based gateways: the gateway waits for the first of the events its flows lead to
 * (message, timer, signal catch events, receive tasks). It owns their timers and
 * subscriptions; the first to happen wins:
 *
 *   activate -> a listener per target event (owned by the gateway) -> wait
 *   an event occurs -> the gateway completes along the flow to that event (the lifecycle
 *     closes the other listeners) -> the event is activated with the trigger's variables
 */
import type { Behaviour } from '../context.ts';
import { openEventListener } from '../features/listeners.ts';
import type { ElementOf } from '../model/types.ts';

export const eventBasedGateway: Behaviour<ElementOf<'eventBasedGateway'>> = {
  activate: (ctx, key, el) => {
    for (const flowId of el.outgoing) {
      const target = ctx.element(ctx.definition.flows[flowId]?.target ?? '');
      const problem = openEventListener(ctx, key, target);
      if (problem) {
        ctx.incident(key, 'expression', problem, 'activate');
        return 'wait';
      }
    }
    return 'wait';
  },
  occurred: (ctx, key, el, event, variables) => {
    const flowId = el.outgoing.find((id) => ctx.definition.flows[id]?.target === event.id);
    if (flowId) ctx.complete(key, { flowId, trigger: { variables: variables ?? {} } });
  },
  // Left only along the flow of the event that occurred, never by plain completion.
  leave: () => [],
};
