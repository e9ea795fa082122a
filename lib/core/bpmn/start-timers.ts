/**
 * Timer start events: when a deployed definition's timer start events fire, and when
 * they fire next. Pure (times are given): the app keeps the registry and the schedules,
 * the TestEngine drives the same functions with its simulated clock.
 *
 * Camunda 8: a timer start event has a time date or a time cycle; deploying a version
 * schedules its timers and cancels those of the previous version of the same process
 * id; each fire creates an instance at that start event.
 */
import { evaluateValue } from '../expressions/feel.ts';
import { cycleNext, dueTime } from './model/timers.ts';
import { triggerOf, type ProcessDefinition } from './model/types.ts';

export interface PlannedStart {
  startEventId: string;
  kind: 'date' | 'cycle';
  /** The timer value, FEEL already evaluated (a start event has no variables: `now()` and literals only). */
  value: string;
  /** The first fire; null when it never fires (e.g. a date that failed to parse). */
  nextDueAt: number | null;
  /** Fires left after the first (R<n>); null: unbounded. */
  remaining: number | null;
  anchor: number;
}

/**
 * The timer start events of a process and their first fire at `now` (a date in the
 * past fires at once, as in Zeebe). Problems (a FEEL value that is not a timer) are
 * returned, not thrown.
 *
 * @example timerStartsOf(def, Date.UTC(2026, 0, 1)) // [{ startEventId: 'nightly', kind: 'cycle', value: 'R/PT1H', nextDueAt: ..., remaining: null, anchor: ... }]
 */
export function timerStartsOf(process: ProcessDefinition, now: number): { starts: PlannedStart[]; problems: string[] } {
  const starts: PlannedStart[] = [];
  const problems: string[] = [];
  for (const id of process.startEvents) {
    const trigger = triggerOf(process.elements[id]);
    if (trigger?.type !== 'timer' || trigger.timer.kind === 'duration') continue;
    const kind = trigger.timer.kind;
    const evaluated = evaluateValue(trigger.timer.expr, {}, now);
    if (!evaluated.ok || typeof evaluated.value !== 'string') {
      problems.push(`timer of start event '${id}': ${evaluated.ok ? 'must be text' : evaluated.message}`);
      continue;
    }
    const due = dueTime(kind, evaluated.value, now);
    if (!due.ok) {
      problems.push(`timer of start event '${id}': ${due.message}`);
      continue;
    }
    const remaining = kind === 'cycle' && due.repetitions !== null ? due.repetitions - 1 : null;
    starts.push({ startEventId: id, kind, value: evaluated.value, nextDueAt: Math.max(now, due.dueAt), remaining, anchor: now });
  }
  return { starts, problems };
}

/** The fire after the one due at `firedAt`, or null (a date, an exhausted cycle). */
export function nextStartFire(start: { kind: 'date' | 'cycle'; value: string; anchor: number; remaining: number | null }, firedAt: number): { dueAt: number; remaining: number | null } | null {
  if (start.kind !== 'cycle' || start.remaining === 0) return null;
  const next = cycleNext(start.value, start.anchor, firedAt);
  if (!next.ok) return null;
  return { dueAt: next.dueAt, remaining: start.remaining === null ? null : start.remaining - 1 };
}
