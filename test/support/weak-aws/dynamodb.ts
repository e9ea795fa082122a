/**
 * A weak DynamoDB: middleware on a real DynamoDBClient that makes DynamoDB Local behave
 * like DynamoDB at its weakest (stale eventually consistent reads, throttling, 500s,
 * writes applied but answered with an error, latency). Every request still goes to the
 * emulator; a clean client built from the same config reads table shapes and item images.
 *
 * @example
 * const dynamodb = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials });
 * const weak = weakDynamo(dynamodb, { seed: 42, faults: { ambiguousWrites: { probability: 0.1 } } });
 * // ... run the engine on `dynamodb` ...
 * weak.off(); expect(weak.stats['ambiguousWrites']).toBeGreaterThan(0);
 */
import { DynamoDBClient, type ServiceInputTypes, type ServiceOutputTypes } from '@aws-sdk/client-dynamodb';
import type { InitializeHandlerArguments, InitializeHandlerOutput, InitializeMiddleware, HandlerExecutionContext } from '@smithy/types';
import { addTransport, FaultSwitch, type Placement, type TransportFaults, type WeakControl } from './control.ts';
import { WRITES, WriteRecorder } from './dynamodb-history.ts';
import { isEventual, needsUnlimited, READS, StaleReader } from './dynamodb-stale.ts';
import { dynamoServerError, dynamoThrottle, timeoutError } from './errors.ts';
import { fires } from './random.ts';
import { TableShapes } from './tables.ts';

export interface DynamoFaults extends TransportFaults {
  /** Eventually consistent reads (GetItem/Query/BatchGetItem without ConsistentRead: true) served, with this probability per read, from a per-item lagging snapshot: each item as it was `lagMs` ago (an item created less than lagMs ago is absent, an updated one shows its older image). */
  staleReads?: { probability: number; lagMs: number };
  /** ProvisionedThroughputExceededException / ThrottlingException before the request is sent (nothing applied). */
  throttle?: { probability: number };
  /** 500 InternalServerError before sending (nothing applied). */
  serverErrors?: { probability: number };
  /** Writes (PutItem, UpdateItem, DeleteItem, BatchWriteItem, TransactWriteItems) that ARE applied, then the client sees a 500 or a timeout error. */
  ambiguousWrites?: { probability: number };
  /** Extra latency, uniform in [0, maxMs]. */
  latency?: { maxMs: number };
}

export interface WeakDynamoOptions {
  seed: number;
  faults?: DynamoFaults;
  /** Time for the history of writes and the stale cutoff (default Date.now). */
  clock?: () => number;
  /** Where throttling, 500s and latency strike (see control.ts); default 'call'. */
  placement?: Placement;
  /** Record item images on writes (needed by staleReads; costs clean reads); default true. */
  recordHistory?: boolean;
}

export interface WeakDynamo extends WeakControl<DynamoFaults> {
  /** Removes the middleware from the client and closes the clean client. */
  dispose(): void;
}

type Args = InitializeHandlerArguments<Record<string, unknown>>;
type Out = InitializeHandlerOutput<Record<string, unknown>>;
type Next = (args: Args) => Promise<Out>;

const NAME = 'weakAwsDynamo';

/** The semantic faults of one client: writes recorded (and maybe answered ambiguously), reads maybe served stale. */
class DynamoLayer {
  private readonly recorder: WriteRecorder | null;
  private readonly stale: StaleReader | null;

  constructor(private readonly control: FaultSwitch<DynamoFaults>, clean: DynamoDBClient, private readonly clock: () => number, record: boolean) {
    const shapes = new TableShapes(clean);
    this.recorder = record ? new WriteRecorder(clean, shapes, clock) : null;
    this.stale = this.recorder ? new StaleReader(this.recorder.history, shapes) : null;
  }

  /** The initialize-step middleware: routes each command by name. */
  readonly middleware = (next: Next, context: HandlerExecutionContext) => (args: Args): Promise<Out> => {
    const operation = (context.commandName ?? '').replace(/Command$/, '');
    if (WRITES.has(operation)) return this.write(operation, args, next);
    if (READS.has(operation)) return this.read(operation, args, next);
    return next(args);
  };

  /** Two draws per write while faults are on: ambiguous or not, 500 or timeout. */
  private async write(operation: string, args: Args, next: Next): Promise<Out> {
    const [u, variant] = this.control.faults ? (this.control.random.draws(2) as [number, number]) : [1, 0];
    const targets = this.recorder ? await this.recorder.prepare(operation, args.input) : [];
    const result = await next(args);
    if (this.recorder) await this.recorder.commit(targets, result.output as Record<string, unknown>);
    if (fires(u, this.control.faults?.ambiguousWrites?.probability)) {
      this.control.count('ambiguousWrites');
      throw variant < 0.5 ? dynamoServerError() : timeoutError();
    }
    return result;
  }

  /** One draw per read while staleReads is on; a Query with Limit is sent without it and cut afterwards. */
  private async read(operation: string, args: Args, next: Next): Promise<Out> {
    const lag = this.control.faults?.staleReads;
    const u = lag ? this.control.random.next() : 1;
    if (!this.stale || !lag || !isEventual(operation, args.input) || !fires(u, lag.probability)) return next(args);
    this.control.count('staleReads');
    const before = this.stale.changed;
    const sent = needsUnlimited(operation, args.input) ? { ...args, input: { ...args.input, Limit: undefined } } : args;
    const result = await next(sent);
    const output = await this.stale.serve(operation, args.input, result.output as Record<string, unknown>, this.clock() - lag.lagMs);
    this.control.count('staleItems', this.stale.changed - before);
    return { ...result, output: output as Out['output'] };
  }
}

/**
 * Adds the weak layer to `client` (once per client) and returns its switch.
 * The semantic faults sit in the initialize step, the transport faults where `placement` says.
 */
export function weakDynamo(client: DynamoDBClient, options: WeakDynamoOptions): WeakDynamo {
  const control = new FaultSwitch<DynamoFaults>(options.seed, options.faults);
  // Its own request handler, not the client's: dispose() destroys the clean client.
  const { endpoint, region, credentials, maxAttempts } = client.config;
  const clean = new DynamoDBClient({ endpoint, region, credentials, maxAttempts });
  const layer = new DynamoLayer(control, clean, options.clock ?? Date.now, options.recordHistory !== false);
  client.middlewareStack.add(layer.middleware as unknown as InitializeMiddleware<ServiceInputTypes, ServiceOutputTypes>, { step: 'initialize', priority: 'high', name: NAME });
  addTransport(client.middlewareStack, control, { throttle: (u) => dynamoThrottle(u >= 0.5), server: dynamoServerError }, `${NAME}Transport`, options.placement ?? 'call');
  return Object.assign(control, {
    dispose(): void {
      client.middlewareStack.remove(NAME);
      client.middlewareStack.remove(`${NAME}Transport`);
      clean.destroy();
    },
  });
}
