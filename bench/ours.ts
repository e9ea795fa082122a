/**
 * Drives our engine core the way the durable runtime does, minus AWS: the pure
 * `step()` on a definition compiled once, a fixed clock, and every job and user
 * task completed by a command taken from the effects of the step that opened it.
 */
import { brotliCompressSync, constants } from 'node:zlib';
import type { Command } from '../lib/core/commands.ts';
import type { Effect } from '../lib/core/effects.ts';
import { compileBpmn } from '../lib/core/bpmn/model/compile.ts';
import type { ProcessDefinition } from '../lib/core/bpmn/model/types.ts';
import type { InstanceState } from '../lib/core/state/types.ts';
import { step, type StepResult } from '../lib/core/step.ts';

const CLOCK = { now: Date.UTC(2026, 0, 1) };

/** Compiles the scenario's XML once (as a warm Lambda does); throws on a model error. */
export async function prepareOurs(xml: string): Promise<ProcessDefinition> {
  const result = await compileBpmn(xml);
  if (!result.ok) throw new Error(`model refused: ${JSON.stringify(result.errors)}`);
  const [definition] = result.processes;
  if (!definition) throw new Error('model has no executable process');
  return definition;
}

/** The command that completes what an effect opened, or null when it opens nothing. */
function completion(effect: Effect): Command | null {
  if (effect.type === 'job.activatable') return { type: 'completeJob', jobId: effect.jobId };
  if (effect.type === 'task.created') return { type: 'completeTask', taskId: effect.taskId };
  return null;
}

/**
 * Runs one instance to its end: start, then one command per opened job or task, in
 * the order they were opened. With `persist`, each version is stored as JSON text
 * and parsed back before the next step (the store round trip). `observe` sees every
 * step result. Returns the number of wait states completed; throws on a rejection or
 * when the instance does not complete.
 */
export function runOurs(definition: ProcessDefinition, persist: boolean, observe?: (result: StepResult) => void): number {
  const open: Command[] = [];
  let result = step(definition, null, { type: 'start', instanceId: 'bench' }, CLOCK);
  let stored: InstanceState | string = persist ? JSON.stringify(result.state) : result.state;
  let done = 0;
  for (;;) {
    if (result.rejection) throw new Error(`step rejected: ${result.rejection.message}`);
    observe?.(result);
    for (const effect of result.effects) {
      const command = completion(effect);
      if (command) open.push(command);
    }
    const command = open[done];
    if (!command) break;
    const state = typeof stored === 'string' ? (JSON.parse(stored) as InstanceState) : stored;
    result = step(definition, state, command, CLOCK);
    stored = persist ? JSON.stringify(result.state) : result.state;
    done += 1;
  }
  if (result.state.status !== 'completed') throw new Error(`instance ended ${result.state.status}, not completed`);
  return done;
}

export interface StateSize {
  /** Largest `JSON.stringify(state)` over every version, in UTF-8 bytes. */
  bytes: number;
  /** Largest brotli-compressed (quality 11, text mode) version, in bytes. */
  compressed: number;
  /** Flow nodes activated (ElementActivated events) over the whole instance. */
  flowNodes: number;
}

/** Runs one instance and measures every version it stores. Not timed. */
export function measureOurs(definition: ProcessDefinition, persist: boolean): StateSize {
  const size: StateSize = { bytes: 0, compressed: 0, flowNodes: 0 };
  runOurs(definition, persist, (result) => {
    const json = JSON.stringify(result.state);
    const brotli = brotliCompressSync(json, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT },
    });
    size.bytes = Math.max(size.bytes, Buffer.byteLength(json));
    size.compressed = Math.max(size.compressed, brotli.length);
    size.flowNodes += result.events.filter((e) => e.type === 'ElementActivated').length;
  });
  return size;
}
