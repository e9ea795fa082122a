/**
 * The engine: a pure, deterministic function from (definition, state, command, clock)
 * to the new state, the events that produced it and the effects to perform once it
 * is stored. No I/O, no Date.now(), no randomness: the same inputs give the same
 * bytes out. The caller's state is never mutated.
 *
 * @example
 * const { state, effects } = step(definition, null, { type: 'start', instanceId: 'i1' }, { now: 0 });
 * // effects: [{ type: 'job.activatable', jobId: 'i1.3', jobType: 'kyc-check', ... }]
 */
import type { Command, CommandMeta, Rejection } from './commands.ts';
import { NOT_IDEMPOTENT, REJECTIONS } from './commands.ts';
import type { Effect } from './effects.ts';
import { dispatch } from './bpmn/commands/index.ts';
import { newRun } from './bpmn/engine.ts';
import { StepBudgetExceeded } from './errors.ts';
import { checkConditions } from './bpmn/features/conditions.ts';
import type { ProcessDefinition } from './bpmn/model/types.ts';
import type { Clock } from './clock.ts';
import { cloneState, emptyState } from './state/apply.ts';
import type { DomainEvent } from './state/events.ts';
import type { InstanceState } from './state/types.ts';

export interface StepResult {
  state: InstanceState;
  events: DomainEvent[];
  effects: Effect[];
  /** Set when the command changed nothing; the state is then the input state. */
  rejection?: Rejection;
}

const INSTANCE_ID = /^[A-Za-z0-9_-]{1,64}$/;

function rejected(state: InstanceState, rejection: Rejection): StepResult {
  return { state, events: [], effects: [], rejection };
}

export function step(definition: ProcessDefinition, state: InstanceState | null, command: Command, clock: Clock, meta: CommandMeta = {}): StepResult {
  if (command.type === 'start') {
    if (state) return rejected(state, { code: REJECTIONS.invalidState, message: `instance '${state.instanceId}' already exists` });
    if (typeof command.instanceId !== 'string' || !INSTANCE_ID.test(command.instanceId)) {
      return rejected(emptyState(''), { code: REJECTIONS.invalidCommand, message: 'instanceId must be 1-64 letters, digits, _ or -' });
    }
  } else if (!state) {
    return rejected(emptyState(''), { code: REJECTIONS.notFound, message: `no instance for command '${command.type}'` });
  } else if (state.status !== 'active') {
    return rejected(state, { code: REJECTIONS.invalidState, message: `instance '${state.instanceId}' is ${state.status}` });
  } else if (state.definitionHash !== definition.hash || state.definitionKey !== definition.key) {
    throw new Error(`instance '${state.instanceId}' runs ${state.definitionKey}@${state.definitionHash}, not ${definition.key}@${definition.hash}`);
  }
  if (state && meta.commandId && NOT_IDEMPOTENT.has(command.type) && (state.recentCommands ?? []).includes(meta.commandId)) {
    return rejected(state, { code: REJECTIONS.duplicate, message: `command '${meta.commandId}' was already applied` });
  }
  const draft = state ? cloneState(state) : emptyState(command.type === 'start' ? command.instanceId : '');
  const run = newRun(definition, draft, clock);
  let rejection: Rejection | null;
  try {
    rejection = dispatch(run, command);
    if (!rejection) run.drain(() => run.fireInclusiveJoins() || checkConditions(run));
  } catch (error) {
    if (!(error instanceof StepBudgetExceeded)) throw error;
    rejection = { code: REJECTIONS.invalidState, message: error.message };
  }
  if (rejection) return rejected(state ?? emptyState(''), rejection);
  if (meta.commandId && NOT_IDEMPOTENT.has(command.type)) run.emit({ type: 'CommandRecorded', commandId: meta.commandId });
  return { state: run.state, events: run.events, effects: run.effects };
}
