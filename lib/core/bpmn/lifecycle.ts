/**
 * The one element lifecycle every behaviour plugs into (Zeebe's
 * activate / complete / terminate processors):
 *
 *   arrive(flow) -> [join?] -> activate -> input mappings -> boundary events
 *     -> behaviour.activate: 'complete' | 'wait'
 *   complete -> output mappings -> behaviour.leave (which flows) -> detach
 *     -> ElementCompleted -> arrive(each flow) | scope done?
 *   terminate -> children first -> detach -> ElementTerminated
 *
 * Expected failures (FEEL, mappings) become incidents on the element instance;
 * resolving one re-runs the phase that failed.
 */
import { behaviourOf, type Trigger } from './elements/index.ts';
import type { JsonObject } from '../json.ts';
import type { ElementDef, Mapping } from './model/types.ts';
import { ACTIVATION_BUDGET, type Run } from './run.ts';
import { StepBudgetExceeded } from '../errors.ts';
import { handlerCompleted, recordCompletion } from './features/compensation.ts';
import { reportCompletion } from './features/calls.ts';
import { adHocInnerCompletion, finishAdHoc } from './elements/ad-hoc.ts';
import { openEventListener } from './features/listeners.ts';
import { completeItem, isInner, loopOutput, startLoop } from './features/loops.ts';
import { ROOT } from '../state/types.ts';

function evaluateMappings(run: Run, mappings: Mapping[], key: string, context: 'input' | 'output'): JsonObject | string {
  const result: JsonObject = {};
  for (const { source, target } of mappings) {
    const value = run.value(source, key);
    if (!value.ok) return `${context} mapping to '${target}': ${value.message}`;
    result[target] = value.value;
  }
  return result;
}

/** Creates an element instance in `scope` and starts it. */
export function activate(run: Run, elementId: string, scope: string, trigger?: Trigger): string {
  if (++run.activations > ACTIVATION_BUDGET) throw new StepBudgetExceeded(ACTIVATION_BUDGET, elementId);
  const key = run.newKey();
  run.emit({ type: 'ElementActivated', key, elementId, scope });
  enter(run, key, trigger);
  return key;
}

/** Input mappings, boundary events, then the behaviour. Re-run when an activation incident is resolved. */
export function enter(run: Run, key: string, trigger?: Trigger): void {
  const ei = run.instance(key);
  if (!ei) return;
  const el = run.element(ei.elementId);
  run.detach(key);
  // A multi-instance body has the boundary events; its inner instances have the mappings and the behaviour.
  const inner = isInner(run, ei);
  const body = Boolean(el.loop) && !inner;
  if (!body && el.inputs.length > 0) {
    const inputs = evaluateMappings(run, el.inputs, inner ? key : ei.scope, 'input');
    if (typeof inputs === 'string') return run.incident(key, 'io', inputs, 'activate');
    run.emit({ type: 'VariablesSet', scope: key, variables: inputs });
  }
  for (const boundaryId of inner ? [] : el.boundaries) {
    const problem = openEventListener(run, key, run.element(boundaryId));
    if (problem) return run.incident(key, 'expression', problem, 'activate');
  }
  if (body) return startLoop(run, key, el);
  if (behaviourOf(el.kind).activate(run, key, el, trigger) === 'complete') run.later(() => complete(run, key));
}

/** Variables delivered to an element (job, task, message): local when it has output mappings, else propagated. */
export function acceptVariables(run: Run, key: string, variables: JsonObject | undefined): void {
  if (!variables || Object.keys(variables).length === 0) return;
  const el = run.element(run.instance(key)?.elementId ?? '');
  if (el.outputs.length > 0) run.setLocal(key, variables);
  else run.propagate(key, variables);
}

export function complete(run: Run, key: string): void {
  const ei = run.instance(key);
  if (!ei) return;
  const el = run.element(ei.elementId);
  const inner = isInner(run, ei);
  const body = Boolean(el.loop) && !inner;
  let outputs: JsonObject | null = body ? loopOutput(run, key, el) : null;
  if (!body && el.outputs.length > 0) {
    const mapped = evaluateMappings(run, el.outputs, key, 'output');
    if (typeof mapped === 'string') return run.incident(key, 'io', mapped, 'complete');
    outputs = mapped;
  }
  if (inner) return completeItem(run, key, ei, el, outputs);
  const behaviour = behaviourOf(el.kind);
  const flows = !body && behaviour.leave ? behaviour.leave(run, key, el) : el.outgoing;
  if (flows === null) return;
  const adHoc = adHocInnerCompletion(run, key, ei, outputs);
  if (adHoc === null) return;
  run.detach(key);
  if (outputs) run.propagate(ei.scope, outputs);
  recordCompletion(run, key);
  run.emit({ type: 'ElementCompleted', key, elementId: el.id });
  if (el.forCompensation) handlerCompleted(run, key);
  // An ad-hoc subprocess whose completion condition now holds: this element's flows are not taken.
  if (adHoc === 'finish') return finishAdHoc(run, ei.scope);
  for (const flowId of flows) take(run, flowId, ei.scope);
  // A link throw event continues at its link catch event, as if along a flow.
  const link = el.kind === 'intermediateThrowEvent' && el.trigger?.type === 'link' ? el.trigger.target : null;
  if (link) run.toward(ei.scope, () => activate(run, link, ei.scope, {}));
  else if (flows.length === 0) scopeMaybeDone(run, ei.scope);
}

export function take(run: Run, flowId: string, scope: string): void {
  run.emit({ type: 'FlowTaken', flowId });
  const flow = run.definition.flows[flowId];
  if (!flow) throw new Error(`flow '${flowId}' is not in the definition`);
  const target = run.element(flow.target);
  const isJoin = (target.kind === 'parallelGateway' || target.kind === 'inclusiveGateway') && target.incoming.length > 1;
  if (!isJoin) {
    run.toward(scope, () => activate(run, target.id, scope));
    return;
  }
  run.emit({ type: 'JoinArrived', scope, gatewayId: target.id, flowId });
  if (target.kind === 'parallelGateway') {
    const arrivals = run.state.joins[`${scope}/${target.id}`] ?? {};
    if (target.incoming.every((id) => (arrivals[id] ?? 0) > 0)) fireJoin(run, target, scope, target.incoming);
  }
}

function fireJoin(run: Run, gateway: ElementDef, scope: string, flows: string[]): void {
  run.emit({ type: 'JoinFired', scope, gatewayId: gateway.id, flows });
  run.toward(scope, () => activate(run, gateway.id, scope));
}

/**
 * Fires inclusive joins that no further token can reach: called whenever the agenda
 * runs dry. Returns true when it scheduled more work.
 */
export function fireInclusiveJoins(run: Run): boolean {
  for (const [id, arrivals] of Object.entries(run.state.joins)) {
    const slash = id.lastIndexOf('/');
    const scope = id.slice(0, slash);
    const gateway = run.element(id.slice(slash + 1));
    if (gateway.kind !== 'inclusiveGateway') continue;
    const reach = new Set(gateway.reachableFrom);
    const tokenUpstream = Object.values(run.state.elements).some((e) => e.scope === scope && reach.has(e.elementId));
    const waitingUpstream = Object.keys(run.state.joins).some((other) => other !== id && other.startsWith(`${scope}/`) && reach.has(other.slice(other.lastIndexOf('/') + 1)));
    if (tokenUpstream || waitingUpstream) continue;
    fireJoin(run, gateway, scope, Object.keys(arrivals).sort());
    return true;
  }
  return false;
}

/** When a scope has nothing left running, it completes: a subprocess, or the instance. */
export function scopeMaybeDone(run: Run, scope: string): void {
  // A token on its way into the scope (a flow taken, its target not activated yet) keeps it running.
  if (run.tokensInFlight(scope)) return;
  if (Object.values(run.state.elements).some((e) => e.scope === scope)) return;
  if (Object.keys(run.state.joins).some((id) => id.startsWith(`${scope}/`))) return;
  if (scope !== ROOT) {
    run.later(() => complete(run, scope));
    return;
  }
  if (run.state.status !== 'active') return;
  // The process's event subprocess listeners end with it.
  run.detach(ROOT);
  run.emit({ type: 'InstanceCompleted', at: run.now });
  run.effect({ type: 'instance.ended', instanceId: run.state.instanceId, status: 'completed', variables: run.state.vars[ROOT] ?? {} });
  reportCompletion(run);
}

/**
 * Ends everything that runs in `scope` (but `except`) while the scope itself goes on: its
 * element instances, the tokens waiting at its joins, and the tokens on their way into it.
 */
export function clearScope(run: Run, scope: string, except: string | null = null): void {
  for (const child of Object.values(run.state.elements).filter((e) => e.scope === scope && e.key !== except)) terminate(run, child.key);
  if (Object.keys(run.state.joins).some((id) => id.startsWith(`${scope}/`))) run.emit({ type: 'JoinsCleared', scope });
  run.interrupt(scope);
}

/** Terminates an element instance and everything inside it, children first. */
export function terminate(run: Run, key: string): void {
  const ei = run.instance(key);
  if (!ei) return;
  const children = Object.values(run.state.elements).filter((e) => e.scope === key).map((e) => e.key);
  for (const child of children) terminate(run, child);
  run.detach(key);
  run.emit({ type: 'ElementTerminated', key, elementId: ei.elementId });
}
