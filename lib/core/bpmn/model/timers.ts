/**
 * BPMN timer values: ISO 8601 durations (`PT15M`, `P1M`), dates (`2026-01-01T09:00:00Z`,
 * with an offset, `[Europe/Berlin]` or `@Europe/Berlin` zone), repeating intervals
 * (`R5/PT10M`, `R/2026-01-01T00:00:00Z/P1D`) and cron expressions as Camunda 8 accepts
 * them (`0 0 9 * * MON-FRI`, evaluated in UTC unless the date carries a zone).
 * Everything is computed from a given `now`: no clock is read here.
 */
import { CronExpressionParser } from 'cron-parser';
import { DateTime, Duration } from 'luxon';
import type { TimerSpec } from './types.ts';

export type TimerParse = { ok: true; dueAt: number; repetitions: number | null } | { ok: false; message: string };

function parseDate(text: string): DateTime | null {
  const trimmed = text.trim();
  const at = /^(.*?)(?:@|\[)([A-Za-z_+\-/0-9]+)\]?$/.exec(trimmed);
  const date = at
    ? DateTime.fromISO(at[1] ?? '', { zone: at[2] ?? 'UTC' })
    : DateTime.fromISO(trimmed, { setZone: true, zone: 'UTC' });
  return date.isValid && /\d{4}-\d{2}-\d{2}/.test(trimmed) ? date : null;
}

function parseDuration(text: string): Duration | null {
  if (!/\d/.test(text)) return null; // luxon reads a bare `P` or `PT` as zero
  const duration = Duration.fromISO(text.trim());
  return duration.isValid && duration.toMillis() >= 0 ? duration : null;
}

function cronNext(text: string, now: number): number | null {
  const fields = text.trim().split(/\s+/);
  if (fields.length < 5 || fields.length > 6) return null;
  try {
    const expression = CronExpressionParser.parse(text.trim(), { currentDate: new Date(now), tz: 'UTC' });
    return expression.next().getTime();
  } catch {
    return null;
  }
}

/**
 * The first due time of a timer whose value is `value` (already evaluated, no `=`).
 *
 * @example dueTime({ kind: 'duration' }, 'PT1M', 0) // { ok: true, dueAt: 60000, repetitions: null }
 */
export function dueTime(kind: TimerSpec['kind'], value: string, now: number): TimerParse {
  if (kind === 'duration') {
    const duration = parseDuration(value);
    if (!duration) return { ok: false, message: `'${value}' is not an ISO 8601 duration (e.g. PT15M)` };
    return { ok: true, dueAt: DateTime.fromMillis(now, { zone: 'UTC' }).plus(duration).toMillis(), repetitions: null };
  }
  if (kind === 'date') {
    const date = parseDate(value);
    if (!date) return { ok: false, message: `'${value}' is not an ISO 8601 date-time (e.g. 2026-01-01T09:00:00Z)` };
    return { ok: true, dueAt: date.toMillis(), repetitions: null };
  }
  return cycleNext(value, now, now);
}

/**
 * The next due time of a cycle after `after`, counted from its start `anchor`.
 * `R3/PT1H`: three repetitions an hour apart; `R/start/P1D`: daily from start; cron: next match.
 */
export function cycleNext(value: string, anchor: number, after: number): TimerParse {
  const text = value.trim();
  if (!text.startsWith('R')) {
    const next = cronNext(text, after);
    return next === null
      ? { ok: false, message: `'${value}' is neither a repeating interval (e.g. R5/PT10M) nor a cron expression` }
      : { ok: true, dueAt: next, repetitions: null };
  }
  // R<n>/<duration> or R<n>/<start>/<duration>; a start may carry a zone with a slash (@Europe/Berlin).
  const first = text.indexOf('/');
  const last = text.lastIndexOf('/');
  const reps = /^R(\d*)$/.exec(text.slice(0, first));
  const middle = first < last ? text.slice(first + 1, last) : null;
  if (first < 0 || !reps || reps[1] === '0') {
    return { ok: false, message: `'${value}' is not a repeating interval (e.g. R5/PT10M)` };
  }
  const repetitions = reps[1] === '' ? null : Number(reps[1]);
  const start = middle !== null ? parseDate(middle) : DateTime.fromMillis(anchor, { zone: 'UTC' });
  const duration = parseDuration(text.slice(last + 1));
  if (!start || !duration || duration.toMillis() <= 0) {
    return { ok: false, message: `'${value}' is not a repeating interval (e.g. R5/PT10M)` };
  }
  // With an explicit start the first fire is the start itself; otherwise one period after the anchor.
  // Either way the next fire is the first one after `after` (missed fires are skipped, not replayed).
  let due = middle !== null ? start : start.plus(duration);
  for (let guard = 0; due.toMillis() <= after && guard < 1_000_000; guard++) due = due.plus(duration);
  return { ok: true, dueAt: due.toMillis(), repetitions };
}
