/**
 * Conditional subscriptions in the model and the core (pure, no emulators): the
 * `condition` property compiles into the element, is checked at deploy, travels on the
 * subscription.opened effect (also after a rollback), and decides with the event's facts.
 */
import { describe, expect, it } from 'vitest';
import { conditionHolds } from '../../lib/app/conditions.ts';
import { messageStartsOf } from '../../lib/app/definitions.ts';
import { compileBpmn } from '../../lib/core/bpmn/model/compile.ts';
import { rollback } from '../../lib/core/bpmn/rollback.ts';
import { step } from '../../lib/core/step.ts';
import { conditionOf, type ProcessDefinition } from '../../lib/core/bpmn/model/types.ts';
import { bpmn, escapeXml, flows, message } from '../../lib/testing/index.ts';

const props = (value: string) => `<extensionElements><zeebe:properties><zeebe:property name="owner" value="sales"/><zeebe:property name="condition" value="${escapeXml(value)}"/></zeebe:properties></extensionElements>`;

function model(catchCondition: string, startCondition = '=payload.amount > 100'): string {
  return bpmn(`
    <startEvent id="start">${props(startCondition)}<messageEventDefinition messageRef="placed"/></startEvent>
    <receiveTask id="wait" messageRef="paid">${props(catchCondition)}</receiveTask>
    <endEvent id="end"/>${flows('start', 'wait', 'end')}`, { id: 'conditional', rootElements: message('placed', 'order-placed') + message('paid', 'payment', '=orderId') });
}

async function compiled(xml: string): Promise<ProcessDefinition> {
  const result = await compileBpmn(xml);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.processes[0] as ProcessDefinition;
}

describe('conditional subscriptions', () => {
  it('compiles the condition property of message start events and receive tasks, and registers it with the start', async () => {
    const def = await compiled(model('=payload.paid = true'));
    expect(conditionOf(def.elements['start'])).toBe('=payload.amount > 100');
    expect(conditionOf(def.elements['wait'])).toBe('=payload.paid = true');
    expect(conditionOf(def.elements['end'])).toBeNull();
    expect(messageStartsOf(def)).toEqual([{ messageName: 'order-placed', startEventId: 'start', condition: '=payload.amount > 100' }]);
  });

  it('refuses at deploy a condition with a FEEL syntax error, one that is not FEEL, or one on an element that receives no message', async () => {
    const refused = async (xml: string) => {
      const result = await compileBpmn(xml);
      return result.ok ? [] : result.errors.map((e) => `${e.elementId}: ${e.message}`);
    };
    expect(await refused(model('=payload.paid ='))).toEqual([expect.stringMatching(/^wait: condition: FEEL syntax error/)]);
    expect(await refused(model('payload.paid'))).toEqual(["wait: condition 'payload.paid' must be FEEL (start with =)"]);
    const onTask = bpmn(`<startEvent id="start"/><task id="t">${props('=true')}</task><endEvent id="end"/>${flows('start', 't', 'end')}`);
    expect(await refused(onTask)).toEqual(['t: a condition property is only supported on message start, catch and boundary events and receive tasks']);
  });

  it('carries the condition on subscription.opened, also when a rollback opens the subscription again', async () => {
    const def = await compiled(model('=payload.paid = true'));
    const clock = { now: 1_000 };
    const started = step(def, null, { type: 'start', instanceId: 'i1', variables: { orderId: 'o-1' }, startEventId: 'start' }, clock);
    expect(started.effects).toContainEqual(expect.objectContaining({ type: 'subscription.opened', messageName: 'payment', correlationKey: 'o-1', condition: '=payload.paid = true' }));
    const rolled = rollback(def, started.state, started.state, 1, clock);
    expect(rolled.effects).toContainEqual(expect.objectContaining({ type: 'subscription.opened', condition: '=payload.paid = true' }));
  });

  it('decides over payload, name and correlation key; an error or a non-boolean does not hold', () => {
    const facts = { name: 'payment', correlationKey: 'o-1', payload: { amount: 150, paid: true } };
    expect(conditionHolds('=payload.amount > 100 and name = "payment" and correlationKey = "o-1"', facts, 0)).toEqual({ holds: true });
    expect(conditionHolds('=payload.amount > 1000', facts, 0)).toEqual({ holds: false, problem: null });
    expect(conditionHolds(null, facts, 0)).toEqual({ holds: true });
    expect(conditionHolds('=correlationKey = null', { ...facts, correlationKey: '' }, 0)).toEqual({ holds: true });
    expect(conditionHolds('=payload.amount', facts, 0)).toMatchObject({ holds: false, problem: expect.stringContaining('must be a boolean') });
  });
});
