/**
 * Random, valid, block-structured process models (Zeebe's random-model tests):
 * a tree of blocks, each with one way in and one way out, rendered to BPMN XML
 * (model-render.ts) and printed as a one-line outline (model-outline.ts).
 *
 *   start -> block -> block -> ... -> end            (+ event subprocesses of the scope)
 *   block: task | catch / throw event | link pair | split(branches...) merge
 *        | subprocess(start -> blocks -> end, + event subprocesses) | transaction | ad-hoc subprocess
 *   service and user tasks and subprocesses may loop: multi-instance (parallel or
 *   sequential, 0-3 items) or a standard loop (loopCounter < n and/or loopMaximum)
 *   service, user and manual tasks and subprocesses may have a compensation handler
 *
 * Soundness rules the generator keeps, so that "nothing open while active" can only
 * be an engine fault, never a deadlocked model:
 * - a non-interrupting boundary event leads to its own end event;
 * - an interrupting boundary event leads to an end event, or back into the flow through
 *   an exclusive merge right after its activity; inside a parallel branch (of the same
 *   scope) it always merges back, else the parallel join would wait forever;
 * - an event-based gateway leads to one message and one timer catch event;
 * - a link throw event jumps to its own catch event, right after it in the same scope;
 * - a standard loop always ends: `loopCounter < n` or `loopMaximum` (or both);
 * - event subprocess bodies and compensation handlers hold only simple activities and
 *   catch events: no escalation throw there can trigger its own event subprocess again;
 * - a transaction's cancel end event sits in an exclusive branch and its cancel boundary
 *   event follows the interrupting-boundary rule above.
 *
 * Conditions read the variable `x` (a small integer at start): gateways, conditional
 * events (`=x > n`), the transaction's cancel branch (`=x = 2`) and ad-hoc completion
 * conditions. Correlation keys read `key` (`'k1'` at start). Commands may set either to
 * anything, which is how condition and correlation-key incidents arise.
 *
 * Call activities are generated only by `callModelArb` (a parent and the child process it
 * calls), for calls.test.ts, which runs both with lib/testing's TestEngine. Not generated:
 * business rule tasks with a called decision.
 */
import fc from 'fast-check';
import { outline } from './model-outline.ts';
import { CHILD_PROCESS, renderModel } from './model-render.ts';
import {
  CONDITION_BOUNDS, DURATIONS, ERROR_CODES, ESCALATION_CODES, JOB_TYPES, MESSAGES, NO_BOUNDARIES, SIGNALS,
  type AdHocItem, type Block, type Boundaries, type EndKind, type EspTrigger, type EventSub, type GeneratedModel, type Handler, type Loop, type Scope,
} from './model-types.ts';

export * from './model-types.ts';
export { outline } from './model-outline.ts';

// ---------------------------------------------------------------------------------
// Arbitraries

export const MAX_DEPTH = 3;


const durationArb = fc.constantFrom(...DURATIONS);
const messageArb = fc.constantFrom(...MESSAGES);
const signalArb = fc.constantFrom(...SIGNALS);
const boundArb = fc.constantFrom(...CONDITION_BOUNDS);
const escalationArb = fc.constantFrom(...ESCALATION_CODES);

/** `arb` in `percent` % of the cases, else null. */
function sometimes<T>(arb: fc.Arbitrary<T>, percent: number): fc.Arbitrary<T | null> {
  return fc.oneof({ arbitrary: fc.constant(null), weight: 100 - percent }, { arbitrary: arb, weight: percent });
}

function boundariesArb(host: 'task' | 'service' | 'subProcess'): fc.Arbitrary<Boundaries> {
  const none = fc.constant(NO_BOUNDARIES);
  const some = fc.record({
    timer: sometimes(fc.record({ interrupting: fc.boolean(), duration: durationArb, toEnd: fc.boolean() }), 50),
    message: sometimes(fc.record({ interrupting: fc.boolean(), message: messageArb, toEnd: fc.boolean() }), 50),
    signal: sometimes(fc.record({ interrupting: fc.boolean(), signal: signalArb, toEnd: fc.boolean() }), 30),
    conditional: sometimes(fc.record({ interrupting: fc.boolean(), above: boundArb, toEnd: fc.boolean() }), 25),
    error: host === 'task' ? fc.constant(null) : sometimes(fc.record({ code: fc.constantFrom(...ERROR_CODES, null), toEnd: fc.boolean() }), 67),
    escalation: host === 'subProcess' ? sometimes(fc.record({ interrupting: fc.boolean(), code: fc.constantFrom(...ESCALATION_CODES, null), toEnd: fc.boolean() }), 60) : fc.constant(null),
  });
  return fc.oneof({ arbitrary: none, weight: 2 }, { arbitrary: some, weight: 3 });
}

const standardLoopArb: fc.Arbitrary<Loop> = fc.record({
  below: fc.option(fc.integer({ min: 1, max: 3 })), maximum: fc.option(fc.integer({ min: 1, max: 3 })), testBefore: fc.boolean(),
}).map(({ below, maximum, testBefore }) => ({ kind: 'standard', below: below === null && maximum === null ? 2 : below, maximum, testBefore }));

const loopArb: fc.Arbitrary<Loop | null> = fc.oneof(
  { arbitrary: fc.constant(null), weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant('multi' as const), sequential: fc.boolean(), items: fc.integer({ min: 0, max: 3 }) }), weight: 1 },
  { arbitrary: standardLoopArb, weight: 1 },
);

const handlerArb: fc.Arbitrary<Handler | null> = sometimes(fc.constantFrom<Handler>('manual', 'script', 'user', 'service'), 30);

const adHocItemArb: fc.Arbitrary<AdHocItem> = fc.oneof(
  fc.record({ type: fc.constant('service' as const), jobType: fc.constantFrom(...JOB_TYPES) }),
  fc.constant({ type: 'user' as const }),
  fc.constant({ type: 'manual' as const }),
  fc.constant({ type: 'script' as const }),
);

const serviceArb = fc.record({ type: fc.constant('serviceTask' as const), jobType: fc.constantFrom(...JOB_TYPES), boundaries: boundariesArb('service'), loop: loopArb, compensation: handlerArb });
const userArb = fc.record({ type: fc.constant('userTask' as const), boundaries: boundariesArb('task'), loop: loopArb, compensation: handlerArb });
const manualArb = fc.record({ type: fc.constant('manualTask' as const), compensation: handlerArb });

/** Blocks that may run inside an event subprocess: activities and catch events, no throw that could re-trigger it. */
const espLeafArb: fc.Arbitrary<Block> = fc.oneof(
  { arbitrary: serviceArb, weight: 3 },
  { arbitrary: userArb, weight: 1 },
  { arbitrary: manualArb, weight: 1 },
  { arbitrary: fc.record({ type: fc.constant('timerCatch' as const), duration: durationArb }), weight: 1 },
  { arbitrary: fc.record({ type: fc.constant('signalCatch' as const), signal: signalArb }), weight: 1 },
  { arbitrary: fc.constant({ type: 'compensationThrow' as const }), weight: 1 },
);

/** The leaves `allow` permits (see Allow). */
const leafArbs = (allow: Allow): fc.Arbitrary<Block> => fc.oneof(
  { withCrossShrink: true },
  { arbitrary: serviceArb, weight: 5 },
  { arbitrary: userArb, weight: 2 },
  { arbitrary: fc.constant({ type: 'scriptTask' as const }), weight: 1 },
  { arbitrary: fc.constant({ type: 'throwEvent' as const }), weight: 1 },
  { arbitrary: manualArb, weight: 1 },
  { arbitrary: fc.record({ type: fc.constant('timerCatch' as const), duration: durationArb }), weight: 1 },
  { arbitrary: fc.record({ type: fc.constant('messageCatch' as const), message: messageArb }), weight: 1 },
  { arbitrary: fc.record({ type: fc.constant('receiveTask' as const), message: messageArb, boundaries: boundariesArb('task') }), weight: 1 },
  { arbitrary: fc.record({ type: fc.constant('signalCatch' as const), signal: signalArb }), weight: 1 },
  { arbitrary: fc.record({ type: fc.constant('conditionalCatch' as const), above: boundArb }), weight: 1 },
  { arbitrary: fc.record({ type: fc.constant('signalThrow' as const), signal: signalArb }), weight: 1 },
  ...(allow.escalation ? [{ arbitrary: fc.record({ type: fc.constant('escalationThrow' as const), code: escalationArb }), weight: 2 }] : []),
  { arbitrary: fc.constant({ type: 'compensationThrow' as const }), weight: 2 },
  ...(allow.link ? [{ arbitrary: fc.constant({ type: 'link' as const }), weight: 1 }] : []),
  {
    arbitrary: fc.record({
      type: fc.constant('adHoc' as const), items: fc.array(adHocItemArb, { minLength: 1, maxLength: 3 }), completion: fc.option(boundArb),
      cancelRemaining: fc.boolean(), boundaries: boundariesArb('service'),
    }),
    weight: 1,
  },
);

const espTriggerArb: fc.Arbitrary<EspTrigger> = fc.oneof(
  fc.record({ type: fc.constant('message' as const), message: messageArb }),
  fc.record({ type: fc.constant('timer' as const), duration: durationArb }),
  fc.record({ type: fc.constant('signal' as const), signal: signalArb }),
  fc.record({ type: fc.constant('conditional' as const), above: boundArb }),
  fc.record({ type: fc.constant('error' as const), code: fc.constantFrom(...ERROR_CODES, null) }),
  fc.record({ type: fc.constant('escalation' as const), code: fc.constantFrom(...ESCALATION_CODES, null) }),
);

/**
 * An event subprocess: the error trigger is always interrupting.
 */
const eventSubArb: fc.Arbitrary<EventSub> = fc.record({
  trigger: espTriggerArb, interrupting: fc.boolean(), body: fc.array(espLeafArb, { maxLength: 2 }),
}).map(({ trigger, interrupting, body }): EventSub => {
  const always = interrupting || trigger.type === 'error';
  return { trigger, interrupting: always, body };
});

/**
 * Where a block sits decides what it may contain. These shapes once found three engine bugs,
 * now fixed and pinned by test/core/bpmn/elements/tokens-in-flight.test.ts and links.test.ts:
 * link events inside inclusive branches (the join's reachability did not follow a link),
 * escalations next to parallel siblings (a queued activation ran in a terminated scope), and
 * non-interrupting event subprocesses that end in the step that starts them (the scope
 * completed while a token was on its way).
 */
interface Allow {
  link: boolean;
  escalation: boolean;
}


const ANYTHING: Allow = { link: true, escalation: true };

function endArb(allow: Allow): fc.Arbitrary<EndKind> {
  return fc.oneof(
    { arbitrary: fc.constant({ type: 'none' as const }), weight: 6 },
    { arbitrary: fc.record({ type: fc.constant('signal' as const), signal: signalArb }), weight: 1 },
    ...(allow.escalation ? [{ arbitrary: fc.record({ type: fc.constant('escalation' as const), code: escalationArb }), weight: 1 }] : []),
    { arbitrary: fc.constant({ type: 'compensation' as const }), weight: 2 },
  );
}

function scopeArb(blocks: fc.Arbitrary<Block[]>, allow: Allow): fc.Arbitrary<Scope> {
  const eventSubs = fc.oneof({ arbitrary: fc.constant<EventSub[]>([]), weight: 3 }, { arbitrary: fc.array(eventSubArb, { minLength: 1, maxLength: 2 }), weight: 1 });
  return fc.record({ blocks, eventSubs, end: endArb(allow) });
}

const leafCache = new Map<string, fc.Arbitrary<Block>>();
const sequenceCache = new Map<string, fc.Arbitrary<Block[]>>();

function leafArb(allow: Allow): fc.Arbitrary<Block> {
  const key = JSON.stringify(allow);
  const arb = leafCache.get(key) ?? leafArbs(allow);
  leafCache.set(key, arb);
  return arb;
}

/** A sequence of blocks whose composites nest at most `depth` levels. */
export function sequenceArb(depth: number, minLength = 0, maxLength = 3, allow: Allow = ANYTHING): fc.Arbitrary<Block[]> {
  const cacheKey = `${depth}/${minLength}/${maxLength}/${JSON.stringify(allow)}`;
  const cached = sequenceCache.get(cacheKey);
  if (cached) return cached;
  const arb = fc.array(blockArb(depth, allow), { minLength, maxLength });
  sequenceCache.set(cacheKey, arb);
  return arb;
}

/** A parallel multi-instance subprocess starts its items in one go: like parallel branches. */

function blockArb(depth: number, allow: Allow): fc.Arbitrary<Block> {
  const leaf = leafArb(allow);
  if (depth <= 0) return leaf;
  const branchesOf = (a: Allow) => fc.array(sequenceArb(depth - 1, 0, 2, a), { minLength: 2, maxLength: 3 });
  const inner = sequenceArb(depth - 1, 0, 2, allow);
  // A subprocess is a scope of its own (links may be used again); escalations stay excluded below a fork.
  const subAllow: Allow = { link: true, escalation: allow.escalation };
  const subProcess = (a: Allow, loop: fc.Arbitrary<Loop | null>) => fc.record({
    type: fc.constant('subProcess' as const), scope: scopeArb(sequenceArb(depth - 1, 1, 3, a), a), boundaries: boundariesArb('subProcess'), loop, compensation: handlerArb,
  });
  return fc.oneof(
    { withCrossShrink: true },
    { arbitrary: leaf, weight: 8 },
    { arbitrary: fc.record({ type: fc.constant('exclusive' as const), branches: branchesOf(allow) }), weight: 1 },
    { arbitrary: fc.record({ type: fc.constant('parallel' as const), branches: branchesOf(allow) }), weight: 1 },
    { arbitrary: fc.record({ type: fc.constant('inclusive' as const), branches: branchesOf(allow) }), weight: 1 },
    {
      arbitrary: fc.record({ type: fc.constant('eventGateway' as const), message: messageArb, duration: durationArb, onMessage: inner, onTimer: inner }),
      weight: 1,
    },
    // With escalations inside, a multi-instance subprocess is sequential; without, it may be parallel.
    { arbitrary: subProcess(subAllow, loopArb), weight: 1 },
    { arbitrary: subProcess({ ...subAllow, escalation: false }, loopArb), weight: 1 },
    {
      arbitrary: fc.record({ type: fc.constant('transaction' as const), body: sequenceArb(depth - 1, 0, 3, subAllow), cancel: sometimes(fc.record({ toEnd: fc.boolean() }), 70), boundaries: boundariesArb('subProcess') }),
      weight: 1,
    },
  );
}

function generated(process: Scope, id?: string): GeneratedModel {
  const model: GeneratedModel = { process, ...renderModel(process, id) };
  Object.defineProperty(model, fc.toStringMethod, { value: () => `${outline(process)}\n${model.xml}`, enumerable: false });
  return model;
}

/** A whole model: 1-4 top-level blocks (with event subprocesses), rendered. Prints as its outline and XML. */
export const modelArb: fc.Arbitrary<GeneratedModel> = scopeArb(sequenceArb(MAX_DEPTH, 1, 4), ANYTHING).map((process) => generated(process));

const callArb: fc.Arbitrary<Block> = fc.record({ type: fc.constant('callActivity' as const), boundaries: boundariesArb('subProcess'), loop: loopArb });

/** A process `process` with a call activity among its blocks, and the process `child` it calls (which calls nothing). */
export const callModelArb: fc.Arbitrary<{ parent: GeneratedModel; child: GeneratedModel }> = fc.record({
  parent: scopeArb(fc.tuple(sequenceArb(1, 0, 2), callArb, sequenceArb(1, 0, 2)).map(([before, call, after]) => [...before, call, ...after]), ANYTHING),
  child: scopeArb(sequenceArb(2, 1, 3), ANYTHING),
}).map(({ parent, child }) => ({ parent: generated(parent), child: generated(child, CHILD_PROCESS) }));
