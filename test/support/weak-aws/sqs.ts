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

export function weakSqs(client: SQSClient, options: WeakSqsOptions): WeakSqs {
  const control = new FaultSwitch<SqsFaults>(options.seed, options.faults);
  // Not the client's own request handler: dispose() destroys the clean client.
  const { endpoint, region, credentials, maxAttempts } = client.config;
  const clean = new SQSClient({ endpoint, region, credentials, maxAttempts });
  const replays = new Replays(clean, (fault) => control.count(fault));

  /** One draw per message that SQS accepted, for FIFO queues only. */
  const maybeReplay = (messages: SendMessageCommandInput[]): void => {
    const replay = control.faults?.replayAfterDedupWindow;
    if (!replay) return;
    for (const message of messages) {
      if (isFifo(message.QueueUrl) && fires(control.random.next(), replay.probability)) replays.schedule(message, replay.afterMs);
    }
  };

  const receive = async (args: Args, next: Next): Promise<Out> => {
    const result = await next(args);
    const expiry = control.faults?.visibilityExpiry;
    const messages = ((result.output as { Messages?: Message[] }).Messages ?? []);
    if (!expiry) return result;
    for (const message of messages) {
      if (!fires(control.random.next(), expiry.probability)) continue;
      await clean.send(new ChangeMessageVisibilityCommand({ QueueUrl: args.input['QueueUrl'] as string, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 0 }));
      control.count('visibilityExpiries');
    }
    return result;
  };

  const sendBatch = async (args: Args, next: Next): Promise<Out> => {
    const queueUrl = args.input['QueueUrl'] as string;
    const entries = (args.input['Entries'] ?? []) as SendMessageBatchRequestEntry[];
    const p = control.faults?.partialBatchFailures?.probability;
    const dropped = new Set(p ? entries.filter(() => fires(control.random.next(), p)).map((e) => e.Id) : []);
    const kept = entries.filter((e) => !dropped.has(e.Id));
    const failed: BatchResultErrorEntry[] = [...dropped].map((Id) => ({ Id, SenderFault: false, Code: 'InternalError', Message: 'entry not sent (injected by weak-aws)' }));
    control.count('partialBatchFailures', failed.length);
    const result = kept.length > 0
      ? await next({ ...args, input: { ...args.input, Entries: kept } })
      : { response: { statusCode: 200, headers: {} }, output: { $metadata: { httpStatusCode: 200, attempts: 1, totalRetryDelay: 0 }, Successful: [] } } as unknown as Out;
    const output = result.output as { Successful?: Array<{ Id?: string }>; Failed?: BatchResultErrorEntry[] };
    const accepted = new Set((output.Successful ?? []).map((s) => s.Id));
    maybeReplay(kept.filter((e) => accepted.has(e.Id)).map((e) => single(queueUrl, e)));
    return failed.length > 0 ? { ...result, output: { ...result.output, Failed: [...(output.Failed ?? []), ...failed] } as Out['output'] } : result;
  };

  const send = async (args: Args, next: Next): Promise<Out> => {
    const result = await next(args);
    maybeReplay([args.input as unknown as SendMessageCommandInput]);
    return result;
  };

  const middleware = (next: Next, context: HandlerExecutionContext) => (args: Args): Promise<Out> => {
    switch ((context.commandName ?? '').replace(/Command$/, '')) {
      case 'ReceiveMessage': return receive(args, next);
      case 'SendMessageBatch': return sendBatch(args, next);
      case 'SendMessage': return send(args, next);
      default: return next(args);
    }
  };
  client.middlewareStack.add(middleware as unknown as InitializeMiddleware<ServiceInputTypes, ServiceOutputTypes>, { step: 'initialize', priority: 'high', name: NAME });
  addTransport(client.middlewareStack, control, { throttle: sqsThrottle, server: sqsServerError }, `${NAME}Transport`, options.placement ?? 'call');

  return Object.assign(control, {
    flushReplays: () => replays.flush(),
    pendingReplays: () => replays.size,
    dispose(): void {
      client.middlewareStack.remove(NAME);
      client.middlewareStack.remove(`${NAME}Transport`);
      replays.drop();
      clean.destroy();
    },
  });
}
