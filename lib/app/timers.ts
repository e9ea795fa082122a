/**
 * The timers queue handler's logic: a due timer becomes a `fireTimer` command (its id
 * derives from the timer, so a duplicate delivery is deduplicated); one not due yet
 * (a long timer hopping in 15-minute steps) is delayed again.
 */
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import type { Clock, CommandBus, Logger, TimerScheduler } from '../ports.ts';

export interface TimerDeps {
  commands: CommandBus;
  timers: TimerScheduler;
  clock: Clock;
  logger: Logger;
}

export async function processTimerBatch(deps: TimerDeps, records: SQSRecord[]): Promise<SQSBatchResponse> {
  const failures: string[] = [];
  await Promise.all(records.map(async (record) => {
    let timer: { timerId?: unknown; instanceId?: unknown; dueAt?: unknown };
    try {
      timer = JSON.parse(record.body) as typeof timer;
    } catch {
      deps.logger.error('dropped timer: body is not JSON', { messageId: record.messageId });
      return;
    }
    const { timerId, instanceId, dueAt } = timer;
    if (typeof timerId !== 'string' || typeof instanceId !== 'string' || typeof dueAt !== 'number') {
      deps.logger.error('dropped timer: invalid', { messageId: record.messageId });
      return;
    }
    try {
      if (dueAt - deps.clock.now() > 1000) await deps.timers.schedule({ timerId, instanceId, dueAt, effectId: timerId });
      else await deps.commands.send([{ id: `timer:${timerId}`, instanceId, command: { type: 'fireTimer', timerId } }]);
    } catch (error) {
      deps.logger.error('timer forwarding failed; will be retried', { timerId, error: (error as Error).message });
      failures.push(record.messageId);
    }
  }));
  return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
}
