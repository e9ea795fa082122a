/**
 * Deploying BPMN and resolving compiled definitions by key and version. Compiled
 * graphs are cached per warm Lambda (by key@version here, by XML hash in the compiler).
 */
import { compileBpmn } from '../core/bpmn/model/compile.ts';
import { conditionOf, signalSubscriptionName, triggerOf, type ProcessDefinition } from '../core/bpmn/model/types.ts';
import type { Clock, DefinitionResolver, DefinitionStore } from '../ports.ts';
import { DeployRefused, NotFound } from './errors.ts';

export interface Deployed {
  key: string;
  version: number;
  created: boolean;
}

/** Validates and stores every executable process of a BPMN document. Same XML = same versions. */
export async function deploy(store: DefinitionStore, clock: Clock, xml: string): Promise<Deployed[]> {
  const result = await compileBpmn(xml);
  if (!result.ok) throw new DeployRefused(result.errors);
  const deployed: Deployed[] = [];
  for (const process of result.processes) {
    const stored = await store.deploy(process.key, xml, result.hash, clock.now());
    deployed.push({ key: stored.key, version: stored.version, created: stored.created });
  }
  return deployed;
}

export class CachedDefinitions implements DefinitionResolver {
  private readonly cache = new Map<string, Promise<ProcessDefinition>>();

  constructor(private readonly store: DefinitionStore, private readonly limit = 200) {}

  resolve(key: string, version: number): Promise<ProcessDefinition> {
    const id = `${key}@${version}`;
    const hit = this.cache.get(id);
    if (hit) return hit;
    const loading = this.load(key, version);
    loading.catch(() => this.cache.delete(id));
    if (this.cache.size >= this.limit) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(id, loading);
    return loading;
  }

  private async load(key: string, version: number): Promise<ProcessDefinition> {
    const stored = await this.store.get(key, version);
    if (!stored) throw new NotFound('definition', id(key, version));
    const result = await compileBpmn(stored.xml);
    const process = result.ok ? result.processes.find((p) => p.key === key) : undefined;
    if (!process) throw new NotFound('definition', id(key, version));
    return process;
  }
}

const id = (key: string, version: number): string => `${key}@${version}`;

/**
 * The message start events of a compiled process, as the message start registry
 * (DefinitionStore.registerMessageStarts) records them: static names only (a FEEL name
 * could not be looked up by name), each with its condition.
 *
 * @example messageStartsOf(def) // [{ messageName: 'order-placed', startEventId: 'start', condition: '=payload.amount > 100' }]
 */
export function messageStartsOf(process: ProcessDefinition): Array<{ messageName: string; startEventId: string; condition: string | null }> {
  return process.startEvents.flatMap((id) => {
    const element = process.elements[id];
    const trigger = triggerOf(element);
    if (trigger?.type !== 'message' || trigger.message.name.startsWith('=')) return [];
    return [{ messageName: trigger.message.name, startEventId: id, condition: conditionOf(element) }];
  });
}

/**
 * The signal start events of a compiled process, registered in the same start registry
 * under `signal:<name>` (static names only), so a broadcast finds them with one Query.
 *
 * @example signalStartsOf(def) // [{ messageName: 'signal:shutdown', startEventId: 'onShutdown', condition: null }]
 */
export function signalStartsOf(process: ProcessDefinition): Array<{ messageName: string; startEventId: string; condition: string | null }> {
  return process.startEvents.flatMap((id) => {
    const trigger = triggerOf(process.elements[id]);
    if (trigger?.type !== 'signal' || trigger.name.startsWith('=')) return [];
    return [{ messageName: signalSubscriptionName(trigger.name), startEventId: id, condition: null }];
  });
}

/** The start registry's name for conditional start events: they have no name, so one entry per process start event under this. */
export const CONDITIONAL_STARTS = 'conditional:';

/**
 * The conditional start events of a compiled process, registered under CONDITIONAL_STARTS
 * with their condition, so `POST /v1/conditions` finds every candidate with one Query.
 */
export function conditionalStartsOf(process: ProcessDefinition): Array<{ messageName: string; startEventId: string; condition: string | null }> {
  return process.startEvents.flatMap((id) => {
    const trigger = triggerOf(process.elements[id]);
    return trigger?.type === 'conditional' ? [{ messageName: CONDITIONAL_STARTS, startEventId: id, condition: trigger.condition }] : [];
  });
}
