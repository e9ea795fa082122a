/** Plain data: what variables, state, events and effects are made of. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Converts a FEEL result (which may hold temporal objects, functions or ranges)
 * into plain JSON. Temporal values become their ISO text; functions and other
 * non-data become undefined (the caller reports it).
 */
export function toJson(value: unknown, depth = 0): Json | undefined {
  if (depth > 64) return undefined;
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'boolean':
    case 'string':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'function':
    case 'symbol':
    case 'bigint':
      return undefined;
    default:
      break;
  }
  if (Array.isArray(value)) {
    const out: Json[] = [];
    for (const item of value) {
      const json = toJson(item, depth + 1);
      if (json === undefined) return undefined;
      out.push(json);
    }
    return out;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) {
    // FEEL temporal values (date, time, date and time, duration) print as ISO 8601.
    const text = String(value);
    return text === '[object Object]' ? undefined : text;
  }
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (key.split('.').some((part) => FORBIDDEN_KEYS.has(part))) continue;
    const json = toJson(item, depth + 1);
    if (json === undefined) return undefined;
    out[key] = json;
  }
  return out;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
