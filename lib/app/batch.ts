/**
 * An SQS batch of commands -> transitions, with partial batch failure:
 * - commands of one instance run in order; after a failure the rest of that
 *   instance's commands are failed too (they must not overtake it);
 * - instances run concurrently (bounded);
 * - an invalid command is dropped with its reason, never retried forever;
 * - a transient failure is reported for retry; after 5 receives SQS moves it to the DLQ.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
 */
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import type { Rejection } from '../core/commands.ts';
import type { CommandEnvelope, Logger } from '../ports.ts';
import { failedChildStart } from './calls.ts';
import { NotFound } from './errors.ts';
import { envelopeSchema } from './schemas.ts';
import { processSqsBatch } from './sqs-batch.ts';
import { applyCommand, type TransitionDeps, type TransitionOutcome } from './transition.ts';

export interface BatchStats {
  applied: number;
  duplicates: number;
  rejected: number;
  dropped: number;
  failed: number;
  retries: number;
}

/** A queued message's body as a command envelope, or null (logged with why) when it is not one. */
export function parseEnvelope(text: string, messageId: string, logger: Logger): CommandEnvelope | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    logger.error('dropped command: body is not JSON', { messageId });
    return null;
  }
  const parsed = envelopeSchema.safeParse(body);
  if (!parsed.success) {
    logger.error('dropped command: invalid', { messageId, issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`) });
    return null;
  }
  return parsed.data as CommandEnvelope;
}

/** Keeps why a command changed nothing (for its sender), and tells a waiting parent when its child could not start. */
export async function recordRejection(deps: TransitionDeps, envelope: CommandEnvelope, rejection: Rejection): Promise<void> {
  await deps.instances.putRejection({ commandId: envelope.id, instanceId: envelope.instanceId, code: rejection.code, message: rejection.message, at: deps.clock.now() });
  const failed = failedChildStart(envelope, rejection);
  if (failed && deps.commands) await deps.commands.send([failed]);
  else if (failed) deps.logger.error('a called instance could not start and its parent cannot be told (no commands bus)', { commandId: envelope.id, parent: failed.instanceId });
}

/**
 * One queued command, as the commands handler applies it: the transition, and for a
 * rejection its record (and a waiting parent told). Every runtime that consumes the
 * commands queue (the Lambda batch, the in-memory drain of lib/testing and lib/local) calls this.
 */
export async function handleCommand(deps: TransitionDeps, envelope: CommandEnvelope): Promise<TransitionOutcome> {
  const outcome = await applyCommand(deps, envelope);
  if (outcome.status === 'rejected') await recordRejection(deps, envelope, outcome.rejection);
  return outcome;
}

/** The logger of one command: every line it writes names the command and its instance (correlation ids). */
function commandLogger(logger: Logger, envelope: CommandEnvelope): Logger {
  const keys = { commandId: envelope.id, instanceId: envelope.instanceId };
  // Fields merged per line, not Powertools' appendKeys: that would be shared by the
  // instances this batch runs concurrently.
  return {
    info: (message, data) => logger.info(message, { ...keys, ...data }),
    warn: (message, data) => logger.warn(message, { ...keys, ...data }),
    error: (message, data) => logger.error(message, { ...keys, ...data }),
  };
}

/**
 * An SQS FIFO batch of commands -> transitions (lib/app/sqs-batch.ts runs it: one group per
 * instance, 16 instances at once). Returns the partial batch response.
 */
export async function processBatch(deps: TransitionDeps, records: SQSRecord[], stats?: BatchStats): Promise<SQSBatchResponse> {
  const envelopes = new Map(records.map((record) => [record, parseEnvelope(record.body, record.messageId, deps.logger)]));
  for (const envelope of envelopes.values()) if (!envelope && stats) stats.dropped++;
  const valid = records.filter((record) => envelopes.get(record));
  const response = await processSqsBatch(valid, async (record) => {
    const envelope = envelopes.get(record) as CommandEnvelope;
    const logger = commandLogger(deps.logger, envelope);
    try {
      const outcome = await handleCommand({ ...deps, logger }, envelope);
      if (stats) {
        stats.retries += outcome.retries;
        if (outcome.status === 'applied') stats.applied++;
        else if (outcome.status === 'duplicate') stats.duplicates++;
        else stats.rejected++;
      }
    } catch (error) {
      if (error instanceof NotFound) {
        logger.error('dropped command: it refers to something that does not exist', { messageId: record.messageId, reason: error.message });
        if (stats) stats.dropped++;
        return;
      }
      logger.error('command failed; will be retried', { messageId: record.messageId, receiveCount: record.attributes?.ApproximateReceiveCount, error: (error as Error).message });
      throw error; // it fails, and so do the rest of its instance's commands in this batch
    }
  }, { groupOf: (record) => (envelopes.get(record) as CommandEnvelope).instanceId, concurrency: 16 });
  if (stats) stats.failed += response.batchItemFailures.length;
  return response;
}
