/**
 * The contracts between the layers of the BPMN engine:
 *
 *   run.ts (state draft, events, effects, FEEL)  <-  lifecycle.ts (implements Context)
 *     <-  elements/ (one Behaviour per kind)  and  features/ (loops, compensation, calls, ...)
 *     <-  engine.ts (registers both once)  <-  commands/ and ../step.ts
 *
 * Behaviours and features never import the lifecycle: they receive a Context, which is the
 * run plus the lifecycle's operations. The lifecycle never imports a behaviour or a feature:
 * it receives the registry (`Behaviours`) and the features' named hooks (`Hooks`).
 */
import type { JsonObject } from '../json.ts';
import type { ElementInstance } from '../state/types.ts';
import type { ElementDef, ElementKind, ElementOf, LoopSpec } from './model/types.ts';
import type { Run } from './run.ts';

/** The event an element is activated for has already happened (boundary, event gateway, start). */
export interface Trigger {
  variables?: JsonObject;
}

/** What `Behaviour.activate` says: the element completes at once, or waits (for a job, a message, its inside...). */
export type Activation = 'complete' | 'wait';

/** Leave along this one flow and hand `trigger` to its target (the event that won at an event-based gateway). */
export interface Route {
  flowId: string;
  trigger: Trigger;
}

/** The lifecycle's operations on element instances, on top of the run. Every token move goes through these. */
export interface Context extends Run {
  /** Creates an element instance of `elementId` in `scope` and enters it; returns its key. */
  activate(elementId: string, scope: string, trigger?: Trigger): string;
  /** Input mappings, boundary events, then the behaviour (or the loop body). Re-run when an activation incident is resolved. */
  enter(key: string, trigger?: Trigger): void;
  /** Output mappings, the behaviour's choice of flows (or `route`), then ElementCompleted and the flows. */
  complete(key: string, route?: Route): void;
  /** Closes a completing instance: detach, propagate `outputs` to its scope, the completion hooks, ElementCompleted. */
  close(key: string, outputs: JsonObject | null): void;
  take(flowId: string, scope: string, trigger?: Trigger): void;
  /** When nothing runs in `scope` any more it completes: a subprocess, or the instance. */
  scopeMaybeDone(scope: string): void;
  /** Ends everything in `scope` (but `except`) while the scope goes on. */
  clearScope(scope: string, except?: string | null): void;
  /** Terminates an element instance and everything inside it, children first. */
  terminate(key: string): void;
  /** Variables delivered to an element (job, task, message): local when it has output mappings, else propagated. */
  acceptVariables(key: string, variables: JsonObject | undefined): void;
  /** Event `event`, which element instance `key` waits for but is not, happened: its behaviour's `occurred` decides. */
  occurred(key: string, event: ElementDef, variables: JsonObject | undefined): void;
}

/**
 * An element behaviour: small hooks inside the shared lifecycle, typed over its own kind.
 * `activate` starts the element's work; the others are optional.
 */
export interface Behaviour<E extends ElementDef = ElementDef> {
  activate(ctx: Context, key: string, el: E, trigger?: Trigger): Activation;
  /** Which outgoing flows to take (gateways); null after raising an incident. Default: every outgoing flow. */
  leave?(ctx: Context, key: string, el: E): string[] | null;
  /** After completing, continue at this element of the same scope as if along a flow (a link throw event). */
  jumpTo?(el: E): string | null;
  /** An event this element instance waits for on behalf of another element happened (an event-based gateway). */
  occurred?(ctx: Context, key: string, el: E, event: ElementDef, variables: JsonObject | undefined): void;
  /** On a scope element: an element inside it completes. 'finish': the scope finishes (`finish`), its flows are not taken; null: incident raised. */
  innerCompleting?(ctx: Context, innerKey: string, scopeKey: string, el: E, outputs: JsonObject | null): 'continue' | 'finish' | null;
  finish?(ctx: Context, scopeKey: string, el: E): void;
}

/** The registry: one behaviour per kind, so adding a kind without a behaviour fails to compile. */
export type Behaviours = { readonly [K in ElementKind]: Behaviour<ElementOf<K>> };

/** The hooks of the cross-cutting features, each named, registered once in `features/index.ts`. */
export interface Hooks {
  /** Opens what the boundary events of an activity instance wait for; a problem message instead of throwing. */
  openBoundaries(ctx: Context, key: string, el: ElementDef): string | null;
  /** Loops (multi-instance and standard): the body starts its iterations. */
  startLoop(ctx: Context, bodyKey: string, el: ElementDef, loop: LoopSpec): void;
  /** The body completes: its own outputs (a multi-instance outputCollection), or null. */
  loopOutput(ctx: Context, bodyKey: string, loop: LoopSpec): JsonObject | null;
  /** An inner instance completes with its mapped outputs: the loop moves on. */
  completeIteration(ctx: Context, key: string, ei: ElementInstance, el: ElementDef, loop: LoopSpec, outputs: JsonObject | null): void;
  /** Just before an element instance's ElementCompleted (compensation records what it can undo). */
  completing(ctx: Context, key: string): void;
  /** Just after it (a compensation handler finished). */
  completed(ctx: Context, key: string, el: ElementDef): void;
  /** The instance completed (a child reports to its call activity). */
  instanceCompleted(ctx: Context): void;
}
