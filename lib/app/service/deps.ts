/** What the API's use cases need: the ports, and time (injected, so tests can drive it). */
import type { Clock, CommandBus, DeadCommandStore, DefinitionResolver, DefinitionStore, IndexStore, InstanceStore, Logger, TimerStartRegistry } from '../../ports.ts';
import type { CachedDecisions } from '../decisions.ts';
import type { TimerTargets } from '../timers.ts';

export interface ServiceDeps {
  instances: InstanceStore;
  definitions: DefinitionStore;
  /** DMN decisions, versioned like definitions (compiled documents cached per warm Lambda); absent: DMN deploys fail. */
  decisions?: CachedDecisions;
  /** Compiled definitions (cached per warm Lambda). */
  resolver: DefinitionResolver;
  index: IndexStore;
  /** Commands that failed for good (absent: the dead-letter routes answer 404). */
  deadCommands?: DeadCommandStore;
  commands: CommandBus;
  clock: Clock;
  logger: Logger;
  /** Where deploys register and schedule timer start events (absent: they are not scheduled). */
  timerStarts?: TimerTargets & { timerStarts: TimerStartRegistry | null };
  sleep?: (ms: number) => Promise<void>;
  /** How often a waiting request looks for its command's outcome. */
  pollMs?: number;
}
