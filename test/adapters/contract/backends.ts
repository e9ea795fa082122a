/**
 * The backends every port contract runs against: the DynamoDB/SQS adapters on the
 * emulators (a fresh table and queues per test file, test/integration/runtime.ts) and
 * the memory adapters (lib/adapters/memory). A contract test takes what it needs from a
 * `Backend`: the ports, and for queues a way to read what reached them.
 */
import { DynamoInstanceStore } from '../../../lib/adapters/dynamodb/instances.ts';
import { MemoryCommandBus } from '../../../lib/adapters/memory/commands.ts';
import { MemoryDeadCommandStore } from '../../../lib/adapters/memory/dead-commands.ts';
import { MemoryDeadLetters } from '../../../lib/adapters/memory/dead-letters.ts';
import { MemoryDefinitionStore } from '../../../lib/adapters/memory/definitions.ts';
import { MemoryEventBus } from '../../../lib/adapters/memory/events.ts';
import { MemoryIndexStore } from '../../../lib/adapters/memory/indexes.ts';
import { MemoryInstanceStore } from '../../../lib/adapters/memory/instances.ts';
import { MemoryTimerStartRegistry } from '../../../lib/adapters/memory/start-registry.ts';
import { MemoryTimerQueue } from '../../../lib/adapters/memory/timers.ts';
import { DynamoTimerStartRegistry } from '../../../lib/adapters/scheduler/start-registry.ts';
import type { CommandBus, CommandEnvelope, DeadCommandStore, DeadLetters, DecisionStore, DefinitionStore, EventBus, IndexStore, InstanceStore, ScheduledTimer, TimerScheduler, TimerStartRegistry } from '../../../lib/ports.ts';
import { drain, manualClock } from '../../timers/helpers.ts';
import { testRuntime } from '../../integration/runtime.ts';

export interface Backend {
  instances: InstanceStore;
  /** An instance store that takes versions of at most `maxItemBytes`. */
  smallInstances(maxItemBytes: number): InstanceStore;
  definitions: DefinitionStore;
  decisions: DecisionStore;
  index: IndexStore;
  timerStarts: TimerStartRegistry;
  deadCommands: DeadCommandStore;
  commands: CommandBus;
  /** The commands that reached the commands queue since the last call, in order. */
  sentCommands(): Promise<CommandEnvelope[]>;
  events: EventBus;
  published(): Promise<Array<Record<string, unknown>>>;
  deadLetters: DeadLetters;
  letters(): Promise<Array<{ reason: string; body: string }>>;
  timers: TimerScheduler;
  /** Timers that have reached their due time `now` (SQS: visible on the timers queue). */
  dueTimers(now: number): Promise<ScheduledTimer[]>;
  now(): number;
}

async function dynamo(): Promise<Backend> {
  const rt = await testRuntime();
  const table = rt.config.tableName;
  return {
    instances: rt.instances,
    smallInstances: (maxItemBytes) => new DynamoInstanceStore(rt.dynamodb, { tableName: table, maxItemBytes }),
    definitions: rt.definitions, decisions: rt.decisions, index: rt.index, deadCommands: rt.deadCommands,
    timerStarts: new DynamoTimerStartRegistry(rt.dynamodb, { tableName: table }),
    commands: rt.commands,
    sentCommands: async () => (await drain(rt.sqs, rt.queues.commands, 1)) as unknown as CommandEnvelope[],
    events: rt.events,
    published: () => drain(rt.sqs, rt.queues.outbox, 1),
    deadLetters: new (await import('../../../lib/adapters/sqs/dead-letters.ts')).SqsDeadLetters(rt.sqs, rt.queues.eventsDlq),
    letters: async () => (await drain(rt.sqs, rt.queues.eventsDlq, 1)).map((l) => ({ reason: String(l['reason']), body: String(l['body']) })),
    timers: rt.timers,
    dueTimers: async () => (await drain(rt.sqs, rt.queues.timers, 1)) as unknown as ScheduledTimer[],
    now: () => Date.now(),
  };
}

async function memory(): Promise<Backend> {
  const clock = manualClock(Date.now());
  const commands = new MemoryCommandBus({ clock });
  const events = new MemoryEventBus();
  const deadLetters = new MemoryDeadLetters();
  const timers = new MemoryTimerQueue();
  const takeAll = <T>(take: () => T | undefined): T[] => {
    const out: T[] = [];
    for (let next = take(); next !== undefined; next = take()) out.push(next);
    return out;
  };
  return {
    instances: new MemoryInstanceStore(),
    smallInstances: (maxItemBytes) => new MemoryInstanceStore({ maxItemBytes }),
    definitions: new MemoryDefinitionStore(), decisions: new MemoryDefinitionStore(), index: new MemoryIndexStore(),
    deadCommands: new MemoryDeadCommandStore(), timerStarts: new MemoryTimerStartRegistry(),
    commands, sentCommands: async () => takeAll(() => commands.take()),
    events, published: async () => events.published.splice(0) as unknown as Array<Record<string, unknown>>,
    deadLetters, letters: async () => deadLetters.letters.splice(0),
    timers, dueTimers: async (now) => takeAll(() => timers.takeDue(now)),
    now: () => clock.now(),
  };
}

export const BACKENDS: Array<[string, () => Promise<Backend>]> = [['DynamoDB + SQS', dynamo], ['memory', memory]];
