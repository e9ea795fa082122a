/**
 * `npm start -- --in-memory`: the engine on the memory adapters, no emulators, nothing kept
 * after exit. The same use cases as on AWS (the API's services, the transition protocol,
 * the effect dispatcher, the timers handler) over lib/adapters/memory, driven in this
 * process:
 *
 *   HTTP :3000 ──► lib/http (createApi) ──► memory commands queue ──► handleCommand (as functions/commands.ts)
 *   memory timers queue ──(a wall-clock timeout per due time)──► forwardTimer (as functions/timers.ts)
 *
 * The RabbitMQ bridges need the SQS queues: they run only on the emulators (`npm start`).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { jsonLogger } from '../adapters/logger.ts';
import { createMemoryRuntime, type MemoryRuntime } from '../composition/memory.ts';
import { handleCommand } from '../app/batch.ts';
import { deployDefinitions } from '../app/service/definitions.ts';
import { forwardTimer } from '../app/timers.ts';
import { createApi } from '../http/api.ts';
import { serveApi, type StaticHandler } from './http.ts';

export interface MemoryLocalOptions {
  port?: number;
  apiToken?: string;
  logLevel?: string;
  statics?: StaticHandler;
  /** Deploy every `.bpmn` and `.dmn` file of this folder at start (null: none). */
  examplesDir?: string | null;
}

export interface MemoryLocal {
  url: string;
  runtime: MemoryRuntime;
  deployed: Array<{ file: string; status: number; body: string }>;
  stop(): Promise<void>;
}

/** How long a command that failed (a transient error) waits before it is tried again. */
const RETRY_MS = 1000;

/** Consumes the commands queue as its messages arrive, one at a time, in send order. */
function consumeCommands(runtime: MemoryRuntime): () => Promise<void> {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const drain = async (): Promise<void> => {
    for (let next = runtime.commands.take(); next && !stopped; next = runtime.commands.take()) {
      const command = next;
      await handleCommand(runtime.transition, command).catch((error: unknown) => {
        runtime.logger.error('command failed; will be retried', { commandId: command.id, instanceId: command.instanceId, error: (error as Error).message });
        setTimeout(() => void runtime.commands.send([command], { redrive: true }), RETRY_MS).unref();
      });
    }
  };
  runtime.commands.onSend(() => {
    running = running.then(drain);
  });
  return async () => {
    stopped = true;
    await running;
  };
}

/** Hands each timer to the timers use case at its due time (a timeout per timer). */
function fireTimers(runtime: MemoryRuntime): () => void {
  const pending = new Set<NodeJS.Timeout>();
  const fireDue = async (): Promise<void> => {
    for (let timer = runtime.timers.takeDue(runtime.clock.now()); timer; timer = runtime.timers.takeDue(runtime.clock.now())) {
      await forwardTimer(runtime.timerDeps, timer).catch((error: unknown) => runtime.logger.error('timer forwarding failed', { timerId: timer?.timerId, error: (error as Error).message }));
    }
  };
  runtime.timers.onSchedule((timer) => {
    // setTimeout takes at most 2^31-1 ms: a longer timer is looked at again then.
    const handle = setTimeout(() => {
      pending.delete(handle);
      void fireDue();
    }, Math.min(Math.max(0, timer.dueAt - runtime.clock.now()), 2 ** 31 - 1));
    pending.add(handle);
  });
  return () => {
    for (const handle of pending) clearTimeout(handle);
  };
}

async function deployFolder(runtime: MemoryRuntime, dir: string): Promise<MemoryLocal['deployed']> {
  if (!existsSync(dir)) return [];
  const results: MemoryLocal['deployed'] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.bpmn') || f.endsWith('.dmn')).sort()) {
    try {
      const deployed = await deployDefinitions(runtime.service, readFileSync(join(dir, file), 'utf8'));
      results.push({ file, status: 201, body: JSON.stringify({ deployed }) });
    } catch (error) {
      results.push({ file, status: 400, body: (error as Error).message });
    }
  }
  return results;
}

export async function startMemoryLocal(options: MemoryLocalOptions & { examplesDir: string | null }): Promise<MemoryLocal> {
  const runtime = createMemoryRuntime({ logger: jsonLogger(options.logLevel ?? 'warn') });
  const stopCommands = consumeCommands(runtime);
  const stopTimers = fireTimers(runtime);
  const api = createApi(runtime.service, { ...(options.apiToken ? { apiToken: options.apiToken } : {}) });
  const server: Server = await serveApi((event) => api(event), { port: options.port ?? 3000, ...(options.statics ? { statics: options.statics } : {}) });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : options.port}`;
  const deployed = options.examplesDir === null ? [] : await deployFolder(runtime, options.examplesDir);
  const stop = async () => {
    stopTimers();
    await new Promise<void>((done) => server.close(() => done()));
    await stopCommands();
  };
  return { url, runtime, deployed, stop };
}
