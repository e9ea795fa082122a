/**
 * A weak SQS: middleware on a real SQSClient that makes fauxqs behave like SQS at its
 * weakest (visibility timeouts that run out under a busy consumer, FIFO messages that come
 * back after the deduplication window, partial batch failures, throttling, 500s, latency).
 * Every request still goes to the emulator; what the layer does to a queue it does with
 * real requests through a clean client built from the same config.
 *
 * @example
 * const weak = weakSqs(sqs, { seed: 7, faults: { replayAfterDedupWindow: { probability: 0.2 } } });
 * await bus.send(commands);
 * await weak.flushReplays(); // the replayed copies arrive now
 */
import {
  ChangeMessageVisibilityCommand, SQSClient, type ServiceInputTypes, type ServiceOutputTypes, type BatchResultErrorEntry, type Message, type SendMessageBatchRequestEntry,
  type SendMessageCommandInput,
} from '@aws-sdk/client-sqs';
import type { HandlerExecutionContext, InitializeHandlerArguments, InitializeHandlerOutput, InitializeMiddleware } from '@smithy/types';
import { addTransport, FaultSwitch, type Placement, type TransportFaults, type WeakControl } from './control.ts';
import { sqsServerError, sqsThrottle } from './errors.ts';
import { fires } from './random.ts';
import { Replays } from './sqs-replays.ts';

export interface SqsFaults extends TransportFaults {
  /** Per received message: its visibility timeout "expires" at once (ChangeMessageVisibility 0 on the real queue) so a second consumer receives it while the first still handles it (two handlers on one message). */
  visibilityExpiry?: { probability: number };
  /** Per sent FIFO message: a copy is re-sent later (after `afterMs`, or on flushReplays()) with another MessageDeduplicationId, as if it came back after the 5-minute deduplication window (the body, and so the engine's command id, unchanged). */
  replayAfterDedupWindow?: { probability: number; afterMs?: number };
  /** SendMessageBatch: each entry dropped with this probability and reported in `Failed` (partial batch failure). */
  partialBatchFailures?: { probability: number };
  throttle?: { probability: number };
  serverErrors?: { probability: number };
  latency?: { maxMs: number };
}

export interface WeakSqsOptions {
  seed: number;
  faults?: SqsFaults;
  /** Where throttling, 500s and latency strike (see control.ts); default 'call'. */
  placement?: Placement;
}

export interface WeakSqs extends WeakControl<SqsFaults> {
  /** Sends every pending replay now; resolves to how many were sent. */
  flushReplays(): Promise<number>;
  pendingReplays(): number;
  /** Removes the middleware, drops pending replays and closes the clean client. */
  dispose(): void;
}

type Input = Record<string, unknown>;
type Args = InitializeHandlerArguments<Input>;
type Out = InitializeHandlerOutput<Record<string, unknown>>;
type Next = (args: Args) => Promise<Out>;

const NAME = 'weakAwsSqs';
const isFifo = (queueUrl: unknown): boolean => typeof queueUrl === 'string' && queueUrl.endsWith('.fifo');

/** A SendMessageBatch entry as the SendMessage request that would send it alone. */
function single(queueUrl: string, entry: SendMessageBatchRequestEntry): SendMessageCommandInput {
  const { Id: _id, ...message } = entry;
  return { QueueUrl: queueUrl, ...message };
}

const notSent = (Id: string | undefined): BatchResultErrorEntry => ({ Id, SenderFault: false, Code: 'InternalError', Message: 'entry not sent (injected by weak-aws)' });

/** What SendMessageBatch answers when every entry was dropped (an empty batch is never sent: SQS refuses it). */
const allDropped = { response: { statusCode: 200, headers: {} }, output: { $metadata: { httpStatusCode: 200, attempts: 1, totalRetryDelay: 0 }, Successful: [] } } as unknown as Out;

/** The semantic faults of one client; what it does to a queue goes through the clean client. */
class SqsLayer {
  readonly replays: Replays;

  constructor(private readonly control: FaultSwitch<SqsFaults>, private readonly clean: SQSClient) {
    this.replays = new Replays(clean, (fault) => control.count(fault));
  }

  /** The initialize-step middleware: routes each command by name. */
  readonly middleware = (next: Next, context: HandlerExecutionContext) => (args: Args): Promise<Out> => {
    switch ((context.commandName ?? '').replace(/Command$/, '')) {
      case 'ReceiveMessage': return this.receive(args, next);
      case 'SendMessageBatch': return this.sendBatch(args, next);
      case 'SendMessage': return this.send(args, next);
      default: return next(args);
    }
  };

  /** One draw per received message while visibilityExpiry is on; the caller still gets every message. */
  private async receive(args: Args, next: Next): Promise<Out> {
    const result = await next(args);
    const expiry = this.control.faults?.visibilityExpiry;
    if (!expiry) return result;
    for (const message of (result.output as { Messages?: Message[] }).Messages ?? []) {
      if (!fires(this.control.random.next(), expiry.probability)) continue;
      try {
        await this.clean.send(new ChangeMessageVisibilityCommand({ QueueUrl: args.input['QueueUrl'] as string, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 0 }));
        this.control.count('visibilityExpiries');
      } catch {
        this.control.count('visibilityExpiryErrors');
      }
    }
    return result;
  }

  /** One draw per entry while partialBatchFailures is on, then one per accepted FIFO entry while replays are on. */
  private async sendBatch(args: Args, next: Next): Promise<Out> {
    const entries = (args.input['Entries'] ?? []) as SendMessageBatchRequestEntry[];
    const p = this.control.faults?.partialBatchFailures?.probability;
    const dropped = new Set(p ? entries.filter(() => fires(this.control.random.next(), p)).map((e) => e.Id) : []);
    const kept = entries.filter((e) => !dropped.has(e.Id));
    this.control.count('partialBatchFailures', dropped.size);
    const result = kept.length > 0 ? await next({ ...args, input: { ...args.input, Entries: kept } }) : allDropped;
    const output = result.output as { Successful?: Array<{ Id?: string }>; Failed?: BatchResultErrorEntry[] };
    const accepted = new Set((output.Successful ?? []).map((e) => e.Id));
    this.maybeReplay(kept.filter((e) => accepted.has(e.Id)).map((e) => single(args.input['QueueUrl'] as string, e)));
    if (dropped.size === 0) return result;
    return { ...result, output: { ...result.output, Failed: [...(output.Failed ?? []), ...[...dropped].map(notSent)] } as Out['output'] };
  }

  private async send(args: Args, next: Next): Promise<Out> {
    const result = await next(args);
    this.maybeReplay([args.input as unknown as SendMessageCommandInput]);
    return result;
  }

  /** One draw per message SQS accepted on a FIFO queue. */
  private maybeReplay(messages: SendMessageCommandInput[]): void {
    const replay = this.control.faults?.replayAfterDedupWindow;
    if (!replay) return;
    for (const message of messages) {
      if (isFifo(message.QueueUrl) && fires(this.control.random.next(), replay.probability)) this.replays.schedule(message, replay.afterMs);
    }
  }
}

/**
 * Adds the weak layer to `client` (once per client) and returns its switch.
 * The semantic faults sit in the initialize step, the transport faults where `placement` says.
 */
export function weakSqs(client: SQSClient, options: WeakSqsOptions): WeakSqs {
  const control = new FaultSwitch<SqsFaults>(options.seed, options.faults);
  // Its own request handler, not the client's: dispose() destroys the clean client.
  const { endpoint, region, credentials, maxAttempts } = client.config;
  const clean = new SQSClient({ endpoint, region, credentials, maxAttempts });
  const layer = new SqsLayer(control, clean);
  client.middlewareStack.add(layer.middleware as unknown as InitializeMiddleware<ServiceInputTypes, ServiceOutputTypes>, { step: 'initialize', priority: 'high', name: NAME });
  addTransport(client.middlewareStack, control, { throttle: sqsThrottle, server: sqsServerError }, `${NAME}Transport`, options.placement ?? 'call');
  return Object.assign(control, {
    flushReplays: () => layer.replays.flush(),
    pendingReplays: () => layer.replays.size,
    dispose(): void {
      client.middlewareStack.remove(NAME);
      client.middlewareStack.remove(`${NAME}Transport`);
      layer.replays.drop();
      clean.destroy();
    },
  });
}
