/**
 * Business rule tasks: with `zeebe:calledDecision` the engine evaluates a DMN decision.
 * The core stays pure: the task asks for the decision (a `decision.evaluate` effect) and
 * waits; the answer comes back as `completeDecision` / `failDecision` (lib/core/bpmn/commands/decisions.ts).
 * With a `zeebe:taskDefinition` it is a job, like a service task.
 */
import type { ElementDef } from '../model/types.ts';
import type { Context } from '../context.ts';
import type { Activation, Behaviour } from '../context.ts';
import { createJob } from './job.ts';

/** Emits the request for `el`'s decision on behalf of element instance `ei`. */
export function requestDecision(run: Context, ei: string, el: ElementDef): Activation {
  if (!el.decision) throw new Error(`element '${el.id}' has no called decision`);
  const decisionId = run.name(el.decision.decisionId, ei, `decision id of '${el.id}'`, (id) => id !== '', 'a non-empty string');
  if (decisionId === null) return 'wait';
  const { bindingType, versionTag } = el.decision;
  const key = run.newKey();
  run.emit({ type: 'DecisionRequested', key, ei, decisionId, bindingType, versionTag });
  run.effect({
    type: 'decision.evaluate', requestId: run.id(key), instanceId: run.state.instanceId, elementId: el.id,
    decisionId, bindingType, versionTag, variables: run.visible(ei),
  });
  return 'wait';
}

export const businessRuleTask: Behaviour = {
  activate: (run, key, el) => (el.decision ? requestDecision(run, key, el) : createJob(run, key, el)),
};
