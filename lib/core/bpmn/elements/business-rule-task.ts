/**
 * Business rule tasks: with `zeebe:calledDecision` the engine evaluates a DMN decision.
 * The core stays pure: the task asks for the decision (a `decision.evaluate` effect) and
 * waits; the answer comes back as `completeDecision` / `failDecision` (lib/core/bpmn/commands/decisions.ts).
 * With a `zeebe:taskDefinition` it is a job, like a service task.
 */
import type { CalledDecisionSpec, ElementOf } from '../model/types.ts';
import type { Context } from '../context.ts';
import type { Activation, Behaviour } from '../context.ts';
import { createJob } from './job.ts';

/** Emits the request for decision `decision` of element `elementId` on behalf of element instance `ei`. */
function requestDecision(run: Context, ei: string, elementId: string, decision: CalledDecisionSpec): Activation {
  const decisionId = run.name(decision.decisionId, ei, `decision id of '${elementId}'`, (id) => id !== '', 'a non-empty string');
  if (decisionId === null) return 'wait';
  const { bindingType, versionTag } = decision;
  const key = run.newKey();
  run.emit({ type: 'DecisionRequested', key, ei, decisionId, bindingType, versionTag });
  run.effect({
    type: 'decision.evaluate', requestId: run.id(key), instanceId: run.state.instanceId, elementId,
    decisionId, bindingType, versionTag, variables: run.visible(ei),
  });
  return 'wait';
}

export const businessRuleTask: Behaviour<ElementOf<'businessRuleTask'>> = {
  activate: (run, key, el) => (el.decision ? requestDecision(run, key, el.id, el.decision) : createJob(run, key, el.id, el.job)),
};
