/**
 * The one element lifecycle every behaviour plugs into (Zeebe's
 * activate / complete / terminate processors):
 *
 *   arrive(flow) -> [join?] -> activate -> input mappings -> boundary events
 *     -> behaviour.activate: 'complete' | 'wait'        (a loop body: hooks.startLoop)
 *   complete -> output mappings -> behaviour.leave (which flows) -> scope's innerCompleting
 *     -> close: detach, hooks.completing, ElementCompleted, hooks.completed
 *     -> take(each flow) | jumpTo | scope done?          (an inner instance: hooks.completeIteration)
 *   terminate -> children first -> detach -> ElementTerminated
 *
 * Expected failures (FEEL, mappings) become incidents on the element instance;
 * resolving one re-runs the phase that failed. This file knows no element kind and no
 * feature by name: both come in as `Behaviours` and `Hooks` (see context.ts).
 */
import { StepBudgetExceeded } from '../errors.ts';
import type { JsonObject } from '../json.ts';
import type { Clock } from '../clock.ts';
import { ROOT, type InstanceState } from '../state/types.ts';
import type { Behaviour, Behaviours, Context, Hooks, Route, Trigger } from './context.ts';
import type { ElementDef, Mapping, ProcessDefinition } from './model/types.ts';
import { ACTIVATION_BUDGET, Run } from './run.ts';

export class Lifecycle extends Run implements Context {
  constructor(
    definition: ProcessDefinition,
    state: InstanceState,
    clock: Clock,
    private readonly behaviours: Behaviours,
    private readonly hooks: Hooks,
  ) {
    super(definition, state, clock);
  }

  private behaviour(el: ElementDef): Behaviour {
    // The registry is keyed by kind, so the behaviour found is the one typed for `el`'s kind.
    return this.behaviours[el.kind] as Behaviour;
  }

  private mappings(mappings: Mapping[], key: string, context: 'input' | 'output'): JsonObject | string {
    const result: JsonObject = {};
    for (const { source, target } of mappings) {
      const value = this.value(source, key);
      if (!value.ok) return `${context} mapping to '${target}': ${value.message}`;
      result[target] = value.value;
    }
    return result;
  }

  activate(elementId: string, scope: string, trigger?: Trigger): string {
    if (++this.activations > ACTIVATION_BUDGET) throw new StepBudgetExceeded(ACTIVATION_BUDGET, elementId);
    const key = this.newKey();
    this.emit({ type: 'ElementActivated', key, elementId, scope });
    this.enter(key, trigger);
    return key;
  }

  enter(key: string, trigger?: Trigger): void {
    const ei = this.instance(key);
    if (!ei) return;
    const el = this.element(ei.elementId);
    this.detach(key);
    // A loop body has the boundary events; its inner instances have the mappings and the behaviour.
    const inner = this.isInner(ei);
    const loop = inner ? null : (el.loop ?? null);
    const body = loop !== null;
    if (!body && el.inputs.length > 0) {
      const inputs = this.mappings(el.inputs, inner ? key : ei.scope, 'input');
      if (typeof inputs === 'string') return this.incident(key, 'io', inputs, 'activate');
      this.emit({ type: 'VariablesSet', scope: key, variables: inputs });
    }
    const problem = inner || el.boundaries.length === 0 ? null : this.hooks.openBoundaries(this, key, el);
    if (problem) return this.incident(key, 'expression', problem, 'activate');
    if (loop) return this.hooks.startLoop(this, key, el, loop);
    if (this.behaviour(el).activate(this, key, el, trigger) === 'complete') this.later(() => this.complete(key));
  }

  acceptVariables(key: string, variables: JsonObject | undefined): void {
    if (!variables || Object.keys(variables).length === 0) return;
    const el = this.element(this.instance(key)?.elementId ?? '');
    if (el.outputs.length > 0) this.setLocal(key, variables);
    else this.propagate(key, variables);
  }

  complete(key: string, route?: Route): void {
    const ei = this.instance(key);
    if (!ei) return;
    const el = this.element(ei.elementId);
    const inner = this.isInner(ei);
    const loop = el.loop ?? null;
    const body = loop !== null && !inner;
    let outputs: JsonObject | null = loop && body ? this.hooks.loopOutput(this, key, loop) : null;
    if (!body && el.outputs.length > 0) {
      const mapped = this.mappings(el.outputs, key, 'output');
      if (typeof mapped === 'string') return this.incident(key, 'io', mapped, 'complete');
      outputs = mapped;
    }
    // An inner instance only exists under a loop body (its scope is an instance of the same element).
    if (inner && loop) return this.hooks.completeIteration(this, key, ei, el, loop, outputs);
    const behaviour = this.behaviour(el);
    const flows = route ? [route.flowId] : !body && behaviour.leave ? behaviour.leave(this, key, el) : el.outgoing;
    if (flows === null) return;
    const scope = this.instance(ei.scope);
    const scopeEl = scope ? this.element(scope.elementId) : null;
    const scopeBehaviour = scopeEl ? this.behaviour(scopeEl) : null;
    const verdict = scopeEl && scopeBehaviour?.innerCompleting ? scopeBehaviour.innerCompleting(this, key, ei.scope, scopeEl, outputs) : 'continue';
    if (verdict === null) return;
    this.close(key, outputs);
    // The scope (an ad-hoc subprocess whose completion condition now holds) finishes: this element's flows are not taken.
    if (verdict === 'finish' && scopeEl) return scopeBehaviour?.finish?.(this, ei.scope, scopeEl);
    for (const flowId of flows) this.take(flowId, ei.scope, route?.trigger);
    const jump = behaviour.jumpTo?.(el) ?? null;
    if (jump) this.toward(ei.scope, () => this.activate(jump, ei.scope, {}));
    else if (flows.length === 0) this.scopeMaybeDone(ei.scope);
  }

  close(key: string, outputs: JsonObject | null): void {
    const ei = this.instance(key);
    if (!ei) return;
    this.detach(key);
    if (outputs) this.propagate(ei.scope, outputs);
    this.hooks.completing(this, key);
    this.emit({ type: 'ElementCompleted', key, elementId: ei.elementId });
    this.hooks.completed(this, key, this.element(ei.elementId));
  }

  take(flowId: string, scope: string, trigger?: Trigger): void {
    this.emit({ type: 'FlowTaken', flowId });
    const flow = this.definition.flows[flowId];
    if (!flow) throw new Error(`flow '${flowId}' is not in the definition`);
    const target = this.element(flow.target);
    const isJoin = (target.kind === 'parallelGateway' || target.kind === 'inclusiveGateway') && target.incoming.length > 1;
    if (!isJoin) {
      this.toward(scope, () => this.activate(target.id, scope, trigger));
      return;
    }
    this.emit({ type: 'JoinArrived', scope, gatewayId: target.id, flowId });
    if (target.kind === 'parallelGateway') {
      const arrivals = this.state.joins[`${scope}/${target.id}`] ?? {};
      if (target.incoming.every((id) => (arrivals[id] ?? 0) > 0)) this.fireJoin(target, scope, target.incoming);
    }
  }

  private fireJoin(gateway: ElementDef, scope: string, flows: string[]): void {
    this.emit({ type: 'JoinFired', scope, gatewayId: gateway.id, flows });
    this.toward(scope, () => this.activate(gateway.id, scope));
  }

  /**
   * Fires inclusive joins that no further token can reach: called whenever the agenda
   * runs dry. Returns true when it scheduled more work.
   */
  fireInclusiveJoins(): boolean {
    for (const [id, arrivals] of Object.entries(this.state.joins)) {
      const slash = id.lastIndexOf('/');
      const scope = id.slice(0, slash);
      const gateway = this.element(id.slice(slash + 1));
      if (gateway.kind !== 'inclusiveGateway') continue;
      const reach = new Set(gateway.reachableFrom);
      const tokenUpstream = Object.values(this.state.elements).some((e) => e.scope === scope && reach.has(e.elementId));
      const waitingUpstream = Object.keys(this.state.joins).some((other) => other !== id && other.startsWith(`${scope}/`) && reach.has(other.slice(other.lastIndexOf('/') + 1)));
      if (tokenUpstream || waitingUpstream) continue;
      this.fireJoin(gateway, scope, Object.keys(arrivals).sort());
      return true;
    }
    return false;
  }

  scopeMaybeDone(scope: string): void {
    // A token on its way into the scope (a flow taken, its target not activated yet) keeps it running.
    if (this.tokensInFlight(scope)) return;
    if (Object.values(this.state.elements).some((e) => e.scope === scope)) return;
    if (Object.keys(this.state.joins).some((id) => id.startsWith(`${scope}/`))) return;
    if (scope !== ROOT) {
      this.later(() => this.complete(scope));
      return;
    }
    if (this.state.status !== 'active') return;
    // The process's event subprocess listeners end with it.
    this.detach(ROOT);
    this.emit({ type: 'InstanceCompleted', at: this.now });
    this.effect({ type: 'instance.ended', instanceId: this.state.instanceId, status: 'completed', variables: this.state.vars[ROOT] ?? {} });
    this.hooks.instanceCompleted(this);
  }

  clearScope(scope: string, except: string | null = null): void {
    for (const child of Object.values(this.state.elements).filter((e) => e.scope === scope && e.key !== except)) this.terminate(child.key);
    if (Object.keys(this.state.joins).some((id) => id.startsWith(`${scope}/`))) this.emit({ type: 'JoinsCleared', scope });
    this.interrupt(scope);
  }

  terminate(key: string): void {
    const ei = this.instance(key);
    if (!ei) return;
    const children = Object.values(this.state.elements).filter((e) => e.scope === key).map((e) => e.key);
    for (const child of children) this.terminate(child);
    this.detach(key);
    this.emit({ type: 'ElementTerminated', key, elementId: ei.elementId });
  }

  occurred(key: string, event: ElementDef, variables: JsonObject | undefined): void {
    const ei = this.instance(key);
    if (!ei) return;
    const el = this.element(ei.elementId);
    this.behaviour(el).occurred?.(this, key, el, event, variables);
  }
}
