/**
 * Human output of the API commands: aligned tables and key/value blocks. Every value
 * comes from the server, so each cell is made inert (control and bidi characters
 * escaped, long values cut) before it reaches the terminal.
 */
import { inert } from './output.ts';

const MAX_CELL = 80;

/** Terminal-safe and at most `max` characters, cut with `…` (`--json` has the whole value). */
const short = (text: string, max: number): string => inert(text.length > max ? `${text.slice(0, max - 1)}…` : text, max);

/** A value as one short cell: `-` for nothing, text as is, lists joined, objects as compact JSON. */
export function cell(value: unknown, max = MAX_CELL): string {
  if (value === null || value === undefined || value === '') return '-';
  if (typeof value === 'string') return short(value, max);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.length > 0 ? short(value.join(', '), max) : '-';
  return short(JSON.stringify(value) ?? String(value), max);
}

/** Epoch milliseconds become ISO 8601; text is kept. */
export function time(value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString();
  return cell(value);
}

/**
 * ```
 * INSTANCE  STATUS     STARTED
 * a1        active     2025-01-01T00:00:00.000Z
 * b22       completed  2025-01-02T00:00:00.000Z
 * ```
 * The last column is not padded (no trailing spaces). Cells must already be inert.
 */
export function table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>, indent = ''): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    indent + cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return `${[line(headers), ...rows.map(line)].join('\n')}\n`;
}

/**
 * ```
 * instance    a1
 * status      active
 * ```
 */
export function keyValues(pairs: ReadonlyArray<readonly [string, string]>, indent = ''): string {
  const width = Math.max(0, ...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${indent}${k.padEnd(width)}  ${v}`.trimEnd()).join('\n') + (pairs.length > 0 ? '\n' : '');
}

/**
 * A table of objects whose shape is not fixed: the preferred columns that some item
 * has, else the scalar fields of the items (at most six). Plain values become one column.
 */
export function objectTable(items: readonly unknown[], preferred: readonly string[], indent = ''): string {
  if (items.every((item) => typeof item !== 'object' || item === null || Array.isArray(item))) {
    return items.map((item) => `${indent}${cell(item)}\n`).join('');
  }
  const objects = items.map((item) => (typeof item === 'object' && item !== null && !Array.isArray(item) ? (item as Record<string, unknown>) : { value: item }));
  let columns = preferred.filter((c) => objects.some((o) => c in o));
  if (columns.length === 0) {
    const keys = new Set<string>();
    for (const o of objects) for (const [k, v] of Object.entries(o)) if (typeof v !== 'object' || v === null) keys.add(k);
    columns = [...keys].slice(0, 6);
  }
  const headers = columns.map((c) => c.replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase());
  return table(headers, objects.map((o) => columns.map((c) => cell(o[c]))), indent);
}
