/**
 * Every port in memory: the adapters the test harness (lib/testing) and
 * `npm start -- --in-memory` (lib/local/memory.ts) run on. Adapters only: the use cases are
 * composed over them by the composition root (lib/composition/memory.ts), exactly as they
 * are over DynamoDB and SQS. Nothing runs by itself: whoever owns them consumes `commands`
 * and hands due `timers` on.
 */
import type { Clock } from '../../ports.ts';
import { MemoryCommandBus } from './commands.ts';
import { MemoryDeadCommandStore, MemoryDeadLetterSource } from './dead-commands.ts';
import { MemoryDeadLetters } from './dead-letters.ts';
import { MemoryDefinitionStore } from './definitions.ts';
import { MemoryEventBus } from './events.ts';
import { MemoryIndexStore } from './indexes.ts';
import { MemoryInstanceStore } from './instances.ts';
import { MemoryTimerStartRegistry } from './start-registry.ts';
import { MemoryTimerQueue } from './timers.ts';

export interface MemoryAdapters {
  instances: MemoryInstanceStore;
  definitions: MemoryDefinitionStore;
  decisions: MemoryDefinitionStore;
  index: MemoryIndexStore;
  commands: MemoryCommandBus;
  /** Every timer waits here until due (it can be canceled: no separate durable schedule is needed). */
  timers: MemoryTimerQueue;
  /** Always null in memory: `timers` holds timers of any length. */
  durableTimers: null;
  timerStarts: MemoryTimerStartRegistry;
  events: MemoryEventBus;
  deadLetters: MemoryDeadLetters;
  deadCommands: MemoryDeadCommandStore;
  deadCommandSource: MemoryDeadLetterSource;
}

/** Fresh, empty memory adapters; `clock` stamps what the command bus keeps. */
export function createMemoryAdapters(clock: Clock): MemoryAdapters {
  return {
    instances: new MemoryInstanceStore(), definitions: new MemoryDefinitionStore(), decisions: new MemoryDefinitionStore(),
    index: new MemoryIndexStore(), commands: new MemoryCommandBus({ clock }), timers: new MemoryTimerQueue(), durableTimers: null,
    timerStarts: new MemoryTimerStartRegistry(), events: new MemoryEventBus(), deadLetters: new MemoryDeadLetters(),
    deadCommands: new MemoryDeadCommandStore(), deadCommandSource: new MemoryDeadLetterSource(),
  };
}
