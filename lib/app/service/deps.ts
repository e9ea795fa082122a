/** What the API's use cases need: the ports, and time (injected, so tests can drive it). */
import type { Clock, CommandBus, DefinitionResolver, DefinitionStore, IndexStore, InstanceStore, Logger } from '../../ports.ts';

export interface ServiceDeps {
  instances: InstanceStore;
  definitions: DefinitionStore;
  /** Compiled definitions (cached per warm Lambda). */
  resolver: DefinitionResolver;
  index: IndexStore;
  commands: CommandBus;
  clock: Clock;
  logger: Logger;
  sleep?: (ms: number) => Promise<void>;
  /** How often a waiting request looks for its command's outcome. */
  pollMs?: number;
}
