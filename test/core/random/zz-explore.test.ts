import fc from 'fast-check';
import { it } from 'vitest';
import { compileBpmn } from '../../../lib/core/model/compile.ts';
import type { ProcessDefinition } from '../../../lib/core/model/types.ts';
import { actionsArb, nextChore, playScenario, Runner, startArb } from './commands.ts';
import { modelArb } from './model-generator.ts';

it('explore', async () => {
  const counts = new Map<string, number>();
  const bump = (k: string) => counts.set(k, (counts.get(k) ?? 0) + 1);
  const samples = fc.sample(fc.tuple(modelArb, fc.record({ start: startArb, actions: actionsArb })), { numRuns: 300, seed: 42 });
  for (const [model, scenario] of samples) {
    const r = await compileBpmn(model.xml);
    if (!r.ok) continue;
    const def = r.processes[0] as ProcessDefinition;
    const runner = new Runner(def);
    playScenario(runner, scenario);
    for (let i = 0; i < 300 && runner.current.status === 'active'; i++) {
      const n = nextChore(runner.current, runner.now);
      if (!n) break;
      runner.send(n.command, n.now, n.expect);
    }
    const seen = new Set<string>();
    for (const s of runner.steps) {
      if (s.result.rejection) seen.add(`rejected ${s.command.type}`); else seen.add(`accepted ${s.command.type}`);
      for (const e of s.result.events) {
        seen.add(e.type);
        if (e.type === 'ElementActivated') seen.add(`+${def.elements[e.elementId]?.kind}${def.elements[e.elementId]?.transaction ? '(tx)' : ''}${def.elements[e.elementId]?.triggeredByEvent ? '(esp)' : ''}${def.elements[e.elementId]?.forCompensation ? '(handler)' : ''}:${def.elements[e.elementId]?.trigger?.type ?? ''}`);
        if (e.type === 'EscalationThrown') seen.add(`EscalationThrown caught=${(e as {caughtBy: string|null}).caughtBy ? 'y' : 'n'}`);
      }
    }
    for (const k of seen) bump(k);
  }
  console.log("\n" + [...counts.entries()].sort().map(([k, v]) => `${v}\t${k}`).join('\n'));
}, 120000);
