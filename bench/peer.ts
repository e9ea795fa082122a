/**
 * Drives `bpmn-engine` (v25) through the same scenarios, as charitably as we know:
 *
 * - The XML is parsed and serialised once, and every instance is built from that
 *   serialised source context (`new Engine({ sourceContext })`), as ours compiles once.
 * - Service tasks call the `work` service, which parks its callback; the driver calls
 *   it once the engine has gone quiet. That is the same protocol as our jobs (the
 *   task activates, the instance waits, a worker completes it from outside), not a
 *   synchronous service that would let the engine run start-to-end in one call while
 *   ours takes one `step()` per job.
 * - Persisted user tasks: `getState()` -> JSON text -> `JSON.parse` -> `new
 *   Engine().recover(state)` -> `resume()` -> signal the waiting task, between every
 *   transition. The `source` copy that `getState()` embeds in each definition is
 *   dropped before serialising and given back through `sourceContext` on recover, as
 *   our state names its deployed definition by hash instead of carrying it.
 * - A silent `Logger`: the default one builds `debug` loggers (an `isatty` call each)
 *   for every element of every instance, and ours does not log either.
 */
import { Engine, type BpmnEngineOptions } from 'bpmn-engine';

/** A bpmn-engine service callback: `done(error, ...output)`. */
type Done = (error: Error | null) => void;

export interface PeerModel {
  /** The serialised moddle context bpmn-engine builds from the XML. */
  sourceContext: NonNullable<BpmnEngineOptions['sourceContext']>;
}

/** Parses and serialises the XML once, with bpmn-engine's own parser and type resolver. */
export async function preparePeer(xml: string): Promise<PeerModel> {
  const [definition] = await new Engine({ name: 'compile', source: xml }).getDefinitions();
  // The engine keeps the serialised context it built as the definition's `source` option.
  type WithSource = { environment?: { options?: { source?: PeerModel['sourceContext'] } } };
  const sourceContext = (definition as unknown as WithSource | undefined)?.environment?.options?.source;
  if (!sourceContext) throw new Error('bpmn-engine did not expose the serialised source context');
  return { sourceContext };
}

const silent = (): void => undefined;
const silentLogger = () => ({ debug: silent, warn: silent, error: silent });

/** Options every bench engine gets: the shared source context and the silent logger. */
function base(model: PeerModel) {
  return { name: 'bench', sourceContext: model.sourceContext, Logger: silentLogger };
}

function assertEnded(engine: Engine): void {
  if (engine.state !== 'idle') throw new Error(`bpmn-engine ended ${engine.state}, not idle`);
}

/** Runs one instance of a service-task scenario; returns the number of tasks completed. */
export async function runPeerJobs(model: PeerModel): Promise<number> {
  const parked: Done[] = [];
  const work = (_scope: unknown, done: Done): void => {
    parked.push(done);
  };
  const engine = new Engine({ ...base(model), services: { work } });
  await engine.execute();
  let completed = 0;
  for (let done = parked.shift(); done; done = parked.shift()) {
    done(null);
    completed += 1;
  }
  assertEnded(engine);
  return completed;
}

/** The engine's state as stored text, without the embedded copy of the source. */
async function save(engine: Engine): Promise<string> {
  const state = await engine.getState();
  for (const definition of state.definitions) delete definition.source;
  return JSON.stringify(state);
}

/** Runs one instance of the persisted user-task scenario; returns the number of tasks signalled. */
export async function runPeerPersisted(model: PeerModel): Promise<number> {
  let engine = new Engine(base(model));
  await engine.execute();
  let stored = await save(engine);
  let signalled = 0;
  while (engine.state !== 'idle') {
    engine = new Engine(base(model)).recover(JSON.parse(stored));
    const execution = await engine.resume();
    const [waiting] = execution.getPostponed();
    if (!waiting) throw new Error('bpmn-engine resumed with nothing waiting');
    waiting.signal();
    signalled += 1;
    stored = await save(engine);
  }
  assertEnded(engine);
  return signalled;
}
