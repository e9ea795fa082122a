/**
 * Variable scopes of an instance: an element instance sees its own variables over those
 * of every enclosing scope, up to the root (the process instance).
 */
import type { JsonObject } from '../json.ts';
import { ROOT, type InstanceState } from './types.ts';

/** Scope keys from `key` outwards: [key, its scope, ..., ROOT]. */
export function scopeChain(state: InstanceState, key: string): string[] {
  const keys: string[] = [];
  for (let current: string | undefined = key; current !== undefined && current !== ROOT && !keys.includes(current); current = state.elements[current]?.scope) keys.push(current);
  keys.push(ROOT);
  return keys;
}

/** The variables element instance `key` sees: inner scopes shadow outer ones. */
export function visibleVariables(state: InstanceState, key: string): JsonObject {
  const merged: JsonObject = {};
  for (const scope of scopeChain(state, key).reverse()) Object.assign(merged, state.vars[scope]);
  return merged;
}
