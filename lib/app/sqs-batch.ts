/**
 * The one batch loop of every SQS handler (commands, timers, events, outbox): Powertools'
 * batch processor with partial batch failures, plus the one bounded-concurrency helper.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
 *
 *   records ──groupOf──► groups (batch order kept inside each)
 *      at most `concurrency` groups at once; inside a group, one record after the other:
 *        the handler returns ─► success (nothing reported)
 *        the handler throws  ─► that record AND the rest of its group are reported as
 *                               batchItemFailures (SQS redelivers them, in order)
 *      no `groupOf`: every record is its own group (independent records, bounded concurrency)
 *
 * Why not Powertools' SqsFifoPartialProcessorAsync: without `skipGroupOnError` it fails the
 * whole rest of the batch at the first failure (one broken instance would hold back the
 * others); with it, it fails only the rest of the group, which is our rule, but it runs the
 * batch strictly one record after another (no concurrency between instances), and it groups
 * by the `MessageGroupId` attribute, which the in-process pollers and handler tests do not
 * set. So this processor keeps its record-level machinery (processRecord, success/failure
 * handlers, the response) and replaces only the scheduling.
 */
import { BatchProcessor, EventType, SqsFifoMessageGroupShortCircuitError } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';

/**
 * Runs `work` on every item, at most `limit` at once (a pool of `limit` workers taking the
 * next item in order). Resolves when all are done; `work` should not throw (a throw rejects
 * the whole call, as Promise.all does, while the other workers finish their current item).
 *
 * @example await mapLimit(groups, 16, async (group, i) => { ... })
 */
export async function mapLimit<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i] as T, i);
    }
  });
  await Promise.all(workers);
}

export interface SqsBatchOptions {
  /** Records of one group run in batch order, and a failure fails the rest of its group (default: each record alone). */
  groupOf?: (record: SQSRecord) => string;
  /** Groups handled at once (default: all). */
  concurrency?: number;
}

/**
 * The processor: Powertools' BatchProcessor (SQS) with the group scheduling above. Failures
 * are reported in batch order; a batch whose records all failed is reported as such (every
 * id in batchItemFailures), never thrown, so a handler's response does not depend on
 * whether one record or all of them failed.
 */
export class GroupedSqsProcessor extends BatchProcessor {
  constructor(private readonly grouping: SqsBatchOptions = {}) {
    super(EventType.SQS);
  }

  override async process(): Promise<Array<Awaited<ReturnType<BatchProcessor['processRecord']>>>> {
    this.prepare();
    const records = this.records as SQSRecord[];
    const results: Array<Awaited<ReturnType<BatchProcessor['processRecord']>>> = new Array(records.length);
    const groups = new Map<string, number[]>();
    records.forEach((record, i) => {
      const key = this.grouping.groupOf ? this.grouping.groupOf(record) : `#${i}`;
      groups.set(key, [...(groups.get(key) ?? []), i]);
    });
    await mapLimit([...groups.values()], this.grouping.concurrency ?? records.length, async (indexes) => {
      for (const [n, i] of indexes.entries()) {
        const result = await this.processRecord(records[i] as SQSRecord);
        results[i] = result;
        if (result[0] === 'success') continue;
        for (const j of indexes.slice(n + 1)) results[j] = this.failureHandler(records[j] as SQSRecord, new SqsFifoMessageGroupShortCircuitError());
        return;
      }
    });
    const order = new Map(records.map((record, i) => [record, i]));
    this.failureMessages = [...this.failureMessages].sort((a, b) => (order.get(a as SQSRecord) ?? 0) - (order.get(b as SQSRecord) ?? 0));
    this.clean();
    return results;
  }
}

/**
 * Runs `handler` over an SQS batch (see the module comment for order and concurrency) and
 * returns the partial batch response: the ids of the records whose handler threw, or that
 * came after such a record in their group.
 *
 * @example
 * const response = await processSqsBatch(event.Records, async (record) => { await forward(parse(record)); }, { concurrency: 8 });
 * // { batchItemFailures: [{ itemIdentifier: '<messageId of a record that threw>' }] }
 */
export async function processSqsBatch(records: SQSRecord[], handler: (record: SQSRecord) => Promise<unknown>, options: SqsBatchOptions = {}): Promise<SQSBatchResponse> {
  if (records.length === 0) return { batchItemFailures: [] };
  const processor = new GroupedSqsProcessor(options);
  processor.register(records, handler, { throwOnFullBatchFailure: false });
  await processor.process();
  return { batchItemFailures: [...processor.response().batchItemFailures] };
}
