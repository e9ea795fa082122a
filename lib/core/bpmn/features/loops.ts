/**
 * Multi-instance activities (Zeebe's multi-instance body). The element instance the
 * flow activates is the *body*: it carries the boundary events and the loop
 * bookkeeping (`state.loops`). Each item runs in an *inner* instance of the same
 * element, scoped to the body, with the item (`inputElement`) and `loopCounter`
 * (1-based) as local variables; input and output mappings apply to inner instances.
 *
 *   body: ElementActivated -> LoopStarted(total) -> inner x total (parallel) | inner #1 (sequential)
 *   inner done: [outputElement, completionCondition] -> ElementCompleted -> LoopItemCompleted
 *     -> next item (sequential) | every item done / condition true -> body completes
 *        with `outputCollection` = outputs in item order (null for items that never ran)
 *
 * A failing outputElement, completionCondition or (sequential) inputCollection is an
 * incident on the inner instance whose completion it blocks; resolving re-runs it.
 */
import type { Json, JsonObject } from '../../json.ts';
import type { Context } from '../context.ts';
import { isStandardLoop, type ElementDef, type LoopSpec, type MultiInstanceSpec } from '../model/types.ts';
import { completeIteration, startStandardLoop } from './standard-loops.ts';
import { ACTIVATION_BUDGET } from '../run.ts';
import { StepBudgetExceeded } from '../../errors.ts';
import { ROOT, type ElementInstance, type Loop } from '../../state/types.ts';

type Items = { ok: true; items: Json[] } | { ok: false; message: string };

function inputItems(run: Context, bodyKey: string, el: ElementDef, spec: MultiInstanceSpec): Items {
  const result = run.feel(spec.inputCollection, bodyKey);
  if (!result.ok) return { ok: false, message: `inputCollection of '${el.id}': ${result.message}` };
  if (!Array.isArray(result.value)) return { ok: false, message: `inputCollection of '${el.id}' must be a list, got ${JSON.stringify(result.value)}` };
  return { ok: true, items: result.value };
}

/** Starts the body: evaluates the collection, then activates the inner instances. A standard loop runs on the same body/inner shape (see standard-loops.ts). */
export function startLoop(run: Context, bodyKey: string, el: ElementDef, spec: LoopSpec): void {
  if (isStandardLoop(spec)) return startStandardLoop(run, bodyKey, el, spec);
  const read = inputItems(run, bodyKey, el, spec);
  if (!read.ok) return run.incident(bodyKey, 'expression', read.message, 'activate');
  const { items } = read;
  run.emit({ type: 'LoopStarted', key: bodyKey, total: items.length });
  if (items.length === 0) return run.later(() => run.complete(bodyKey));
  const count = spec.sequential ? 1 : items.length;
  for (let index = 0; index < count; index++) run.later(() => startItem(run, bodyKey, el, spec, index, items[index] ?? null));
}

function startItem(run: Context, bodyKey: string, el: ElementDef, spec: MultiInstanceSpec, index: number, item: Json): void {
  if (!run.instance(bodyKey)) return;
  if (++run.activations > ACTIVATION_BUDGET) throw new StepBudgetExceeded(ACTIVATION_BUDGET, el.id);
  const key = run.newKey();
  run.emit({ type: 'ElementActivated', key, elementId: el.id, scope: bodyKey });
  run.emit({ type: 'LoopItemActivated', key: bodyKey, inner: key, index });
  const { inputElement } = spec;
  run.setLocal(key, inputElement ? { [inputElement]: item, loopCounter: index + 1 } : { loopCounter: index + 1 });
  run.enter(key);
}

/** The body's output: `{ [outputCollection]: [...] }` in item order, or null without an output collection. */
export function loopOutput(run: Context, bodyKey: string, spec: LoopSpec): JsonObject | null {
  if (isStandardLoop(spec)) return null;
  const { outputCollection } = spec;
  const loop = run.state.loops?.[bodyKey];
  if (!outputCollection || !loop) return null;
  return { [outputCollection]: Array.from({ length: loop.total }, (_, i) => loop.outputs[String(i)] ?? null) };
}

interface Next {
  output: Json;
  finished: boolean;
  nextItem: Json | undefined;
}

/** Everything an inner completion needs evaluated before anything changes; a string is an incident message. */
function evaluateItem(run: Context, key: string, el: ElementDef, spec: MultiInstanceSpec, loop: Loop, mapped: JsonObject | null): Next | string {
  const { outputElement, outputCollection, completionCondition, sequential } = spec;
  let output: Json = null;
  if (outputCollection && outputElement) {
    const result = run.feel(outputElement, key, mapped ?? undefined);
    if (!result.ok) return `outputElement of '${el.id}': ${result.message}`;
    output = result.value;
  }
  const completed = loop.completed + 1;
  let finished = completed >= loop.total;
  if (!finished && completionCondition) {
    const counters = { nrOfInstances: loop.total, nrOfCompletedInstances: completed, nrOfActiveInstances: loop.started - completed };
    const result = run.feel(completionCondition, key, { ...mapped, ...counters });
    if (!result.ok || typeof result.value !== 'boolean') {
      return `completionCondition of '${el.id}': ${result.ok ? `must be a boolean, got ${JSON.stringify(result.value)}` : result.message}`;
    }
    finished = result.value;
  }
  let nextItem: Json | undefined;
  if (!finished && sequential && loop.started < loop.total) {
    const scope = run.instance(key)?.scope ?? ROOT;
    const read = inputItems(run, scope, el, spec);
    if (!read.ok) return read.message;
    nextItem = read.items[loop.started] ?? null;
  }
  return { output, finished, nextItem };
}

/** An inner instance is done (its output mappings evaluated into `mapped`): record it and move the body on. */
export function completeItem(run: Context, key: string, ei: ElementInstance, el: ElementDef, spec: LoopSpec, mapped: JsonObject | null): void {
  if (isStandardLoop(spec)) return completeIteration(run, key, ei, el, spec, mapped);
  const bodyKey = ei.scope;
  const loop = run.state.loops?.[bodyKey];
  if (!loop) throw new Error(`multi-instance body '${bodyKey}' of '${el.id}' has no loop state`);
  const next = evaluateItem(run, key, el, spec, loop, mapped);
  if (typeof next === 'string') return run.incident(key, 'expression', next, 'complete');
  run.close(key, mapped);
  run.emit({ type: 'LoopItemCompleted', key: bodyKey, inner: key, hasOutput: Boolean(spec.outputCollection), output: next.output });
  if (next.finished) {
    run.clearScope(bodyKey);
    run.later(() => run.complete(bodyKey));
  } else if (next.nextItem !== undefined) {
    const index = loop.started;
    const item = next.nextItem;
    run.later(() => startItem(run, bodyKey, el, spec, index, item));
  } else run.scopeMaybeDone(bodyKey);
}
