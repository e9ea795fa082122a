/**
 * How the compensation events change the state (called from `applyEvent`), and how the
 * compensation records follow their scopes: a record lives while compensation can reach
 * it, and no longer.
 *
 *   completed scope with records inside -> a record of its own (written before it completes)
 *   completed scope without one         -> its inner records are dropped (unreachable)
 *   terminated scope                    -> its inner records are dropped (never compensated)
 *   compensation event subprocess starts -> the records inside the subprocess it compensates move to it
 *   instance ended                      -> every record is dropped
 */
import type { DomainEvent } from './events.ts';
import type { InstanceState } from './types.ts';

export type CompensationEvent = Extract<DomainEvent, { type: 'CompensableRecorded' | 'CompensationThrown' | 'CompensationHandlerActivated' | 'CompensationHandlerCompleted' | 'CompensationCompleted' }>;

/** Drops the records inside scope `scope`, and those inside them, recursively. */
function dropInside(state: InstanceState, scope: string): void {
  const records = state.compensables;
  if (!records) return;
  for (const record of Object.values(records)) {
    if (record.scope !== scope || !records[record.key]) continue;
    delete records[record.key];
    dropInside(state, record.ei);
  }
}

/** Empty records are removed, so a state without compensation looks as it did before compensation existed. */
function tidy(state: InstanceState): void {
  if (state.compensables && Object.keys(state.compensables).length === 0) delete state.compensables;
  if (state.compensations && Object.keys(state.compensations).length === 0) delete state.compensations;
}

export function applyCompensationEvent(state: InstanceState, event: CompensationEvent): void {
  apply(state, event);
  tidy(state);
}

function apply(state: InstanceState, event: CompensationEvent): void {
  switch (event.type) {
    case 'CompensableRecorded': {
      const { key, ei, elementId, scope, handler, variables } = event;
      if (Number(key) > state.seq) state.seq = Number(key);
      (state.compensables ??= {})[key] = { key, ei, elementId, scope, handler, variables };
      return;
    }
    case 'CompensationThrown':
      for (const key of event.records) if (state.compensables) delete state.compensables[key];
      if (event.waiting) (state.compensations ??= {})[event.ei] = { key: event.ei, handlers: [] };
      return;
    case 'CompensationHandlerActivated':
      state.compensations?.[event.ei]?.handlers.push(event.handler);
      // Records still inside the compensated instance (only a compensation event subprocess leaves them) move to the handler.
      for (const record of Object.values(state.compensables ?? {})) {
        if (record.scope === event.compensates) (state.compensables ?? {})[record.key] = { ...record, scope: event.handler };
      }
      return;
    case 'CompensationHandlerCompleted': {
      const compensation = state.compensations?.[event.ei];
      if (compensation) compensation.handlers = compensation.handlers.filter((h) => h !== event.handler);
      return;
    }
    case 'CompensationCompleted':
      if (state.compensations) delete state.compensations[event.ei];
      return;
    default: {
      const unknown: never = event;
      throw new Error(`unknown compensation event ${JSON.stringify(unknown)}`);
    }
  }
}

/** An element instance ended: its own waiting compensation ends with it; records inside it follow the rules above. */
export function settleCompensation(state: InstanceState, key: string, completed: boolean): void {
  if (state.compensations?.[key]) delete state.compensations[key];
  const records = state.compensables;
  if (records && !(completed && Object.values(records).some((r) => r.ei === key))) dropInside(state, key);
  tidy(state);
}

/** The instance ended: nothing can be compensated any more. */
export function clearCompensation(state: InstanceState): void {
  delete state.compensables;
  delete state.compensations;
}

/** The compensation part of `cloneState` (records are never changed in place; handler lists are). */
export function copyCompensation(state: InstanceState): Pick<InstanceState, 'compensables' | 'compensations'> {
  const out: Pick<InstanceState, 'compensables' | 'compensations'> = {};
  if (state.compensables) out.compensables = { ...state.compensables };
  if (state.compensations) {
    out.compensations = {};
    for (const [key, c] of Object.entries(state.compensations)) out.compensations[key] = { key: c.key, handlers: [...c.handlers] };
  }
  return out;
}
