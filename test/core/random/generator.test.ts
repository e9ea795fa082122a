/**
 * The random models are only as good as what they contain: this checks that a fixed
 * sample of generated models holds every element kind the properties in random.test.ts
 * are meant to exercise, and that driving them to their end (chores.ts `nextChore`)
 * really gets their behaviour going (a handler compensates, an escalation is caught, ...).
 * A change of weights or shapes that silently drops a kind fails here.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileBpmn } from '../../../lib/core/bpmn/model/compile.ts';
import { interrupts, isEventSubprocess, isTransaction, triggerOf, type ProcessDefinition } from '../../../lib/core/bpmn/model/types.ts';
import { nextChore } from './chores.ts';
import { actionsArb, playScenario, Runner, startArb } from './commands.ts';
import { modelArb } from './model-generator.ts';

const SAMPLES = 300;

/** What a compiled definition contains, as short names. */
function featuresOf(def: ProcessDefinition): string[] {
  const found: string[] = [];
  for (const el of Object.values(def.elements)) {
    const trigger = triggerOf(el)?.type ?? 'none';
    if (el.kind === 'subProcess' && el.triggeredByEvent) {
      const start = def.elements[el.start];
      found.push(`event subprocess: ${triggerOf(start)?.type} ${start && interrupts(start) ? 'interrupting' : 'non-interrupting'}`, `event subprocess in ${el.parent ? 'a subprocess' : 'the process'}`);
    }
    if (el.kind === 'boundaryEvent') found.push(`boundary: ${trigger}${interrupts(el) ? '' : ' non-interrupting'}`);
    if (['intermediateCatchEvent', 'intermediateThrowEvent', 'endEvent'].includes(el.kind) && trigger !== 'none') found.push(`${el.kind}: ${trigger}`);
    if (el.forCompensation) found.push(`compensation handler: ${el.kind}`);
    if (isTransaction(el)) found.push('transaction');
    if (el.loop && 'kind' in el.loop) found.push(`standard loop: ${el.kind}`);
    if (el.kind === 'adHocSubProcess') found.push(`ad-hoc ${el.adHoc.completionCondition ? 'with' : 'without'} completion condition`);
  }
  return found;
}

const EXPECTED_FEATURES = [
  'intermediateCatchEvent: signal', 'boundary: signal', 'boundary: signal non-interrupting', 'intermediateThrowEvent: signal', 'endEvent: signal',
  'intermediateThrowEvent: escalation', 'endEvent: escalation', 'boundary: escalation', 'boundary: escalation non-interrupting',
  'intermediateThrowEvent: link', 'intermediateCatchEvent: link',
  'event subprocess in the process', 'event subprocess in a subprocess',
  'event subprocess: message interrupting', 'event subprocess: message non-interrupting', 'event subprocess: timer interrupting',
  'event subprocess: timer non-interrupting', 'event subprocess: signal interrupting', 'event subprocess: signal non-interrupting',
  'event subprocess: error interrupting', 'event subprocess: conditional non-interrupting', 'event subprocess: escalation non-interrupting',
  'boundary: compensation', 'compensation handler: manualTask', 'compensation handler: scriptTask', 'compensation handler: userTask',
  'compensation handler: serviceTask', 'intermediateThrowEvent: compensation', 'endEvent: compensation',
  'transaction', 'endEvent: cancel', 'boundary: cancel',
  'intermediateCatchEvent: conditional', 'boundary: conditional', 'boundary: conditional non-interrupting',
  'standard loop: serviceTask', 'standard loop: userTask', 'standard loop: subProcess',
  'ad-hoc with completion condition', 'ad-hoc without completion condition',
];

/** Events (or event + detail) that some driven run must produce. */
const EXPECTED_EVENTS = [
  'SubscriptionCorrelated', 'SignalBroadcast', 'EscalationThrown caught', 'EscalationThrown uncaught', 'CompensationHandlerCompleted',
  'ConditionTriggered', 'LoopStarted', 'ElementActivated: boundary cancel', 'ElementActivated: adHocSubProcess', 'ElementActivated: event subprocess',
];

describe('model generator', () => {
  it('generates every element kind, and driven runs trigger each behaviour', async () => {
    const features = new Set<string>();
    const events = new Set<string>();
    const samples = fc.sample(fc.tuple(modelArb, fc.record({ start: startArb, actions: actionsArb })), { numRuns: SAMPLES, seed: 20_260_101 });
    for (const [model, scenario] of samples) {
      const compiled = await compileBpmn(model.xml);
      if (!compiled.ok) throw new Error(`generated model does not compile: ${JSON.stringify(compiled.errors)}`);
      const def = compiled.processes[0] as ProcessDefinition;
      for (const f of featuresOf(def)) features.add(f);
      const runner = new Runner(def);
      playScenario(runner, scenario);
      for (let chore = nextChore(runner.current, runner.now); chore && runner.steps.length < 300; chore = nextChore(runner.current, runner.now)) runner.send(chore.command, chore.now, chore.expect);
      for (const event of runner.steps.flatMap((s) => s.result.events)) {
        events.add(event.type);
        if (event.type === 'EscalationThrown') events.add(`EscalationThrown ${event.caughtBy ? 'caught' : 'uncaught'}`);
        if (event.type !== 'ElementActivated') continue;
        const el = def.elements[event.elementId];
        if (el?.kind === 'boundaryEvent') events.add(`ElementActivated: boundary ${el.trigger?.type}`);
        if (el?.kind === 'adHocSubProcess') events.add('ElementActivated: adHocSubProcess');
        if (isEventSubprocess(el)) events.add('ElementActivated: event subprocess');
      }
    }
    expect(EXPECTED_FEATURES.filter((f) => !features.has(f))).toEqual([]);
    expect(EXPECTED_EVENTS.filter((e) => !events.has(e))).toEqual([]);
  }, 60_000);
});
