/**
 * The durable schedule on AWS: one EventBridge Scheduler one-time schedule per timer,
 * `at(dueAt - lead)` in UTC, deleted by the service after it fires
 * (ActionAfterCompletion: DELETE). It targets the (standard) timers queue with the
 * timer message, and the timers handler re-delays it with an SQS delay to the second.
 *
 * Why the timers queue and not the commands queue: Scheduler can target an SQS FIFO
 * queue only when it has content-based deduplication, and the commands queue uses
 * explicit deduplication ids (the command ids). Through the timers queue a schedule that
 * fires early or twice is still handled (re-delayed; deduplicated by the fire's id).
 * https://docs.aws.amazon.com/scheduler/latest/APIReference/API_SqsParameters.html
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#one-time
 *
 * Names are deterministic (a hash of the timer id), so scheduling twice is a conflict
 * (taken as done) and a cancel finds the schedule without a lookup.
 */
import { createHash } from 'node:crypto';
import type { CreateScheduleCommandInput, SchedulerClient } from '@aws-sdk/client-scheduler';
import type { Clock, DurableTimers, ScheduledTimer } from '../../ports.ts';
import { timerMessage } from '../sqs/timers.ts';
import type { HandOff } from './dynamodb.ts';

export const DEFAULT_SCHEDULER_LEAD_MS = 5 * 60_000;

export interface SchedulerTimersOptions {
  /** The schedule group (created by serverless.yml). */
  groupName: string;
  /** ARN of the timers queue. */
  targetArn: string;
  /** The role EventBridge Scheduler assumes to send to the queue. */
  roleArn: string;
  /** A DLQ for deliveries that keep failing (optional). */
  deadLetterArn?: string;
  clock: Clock;
  /** Timers due sooner than this go straight to the SQS delay queue. */
  handOff: HandOff;
  leadMs?: number;
}

/** `t-` + 43 base64url characters: within Scheduler's 64 characters of [0-9a-zA-Z-_.]. */
export function scheduleName(timerId: string): string {
  return `t-${createHash('sha256').update(timerId, 'utf8').digest('base64url')}`;
}

/** `at(2026-01-01T09:00:00)`: Scheduler's one-time expression, to the second. */
export function atExpression(when: number): string {
  return `at(${new Date(Math.ceil(when / 1000) * 1000).toISOString().slice(0, 19)})`;
}

/**
 * A Scheduler client, or a factory called once, on the first request: the SDK module
 * (`@aws-sdk/client-scheduler`) is then loaded only by a function that schedules or
 * cancels a long timer, not on every cold start.
 */
export type SchedulerClientSource = SchedulerClient | (() => Promise<SchedulerClient>);

/** The SDK's module, imported on first use (see SchedulerClientSource). */
const schedulerSdk = () => import('@aws-sdk/client-scheduler');

export class EventBridgeDurableTimers implements DurableTimers {
  private readonly leadMs: number;
  private client: Promise<SchedulerClient> | null = null;

  constructor(private readonly source: SchedulerClientSource, private readonly options: SchedulerTimersOptions) {
    this.leadMs = Math.min(options.leadMs ?? DEFAULT_SCHEDULER_LEAD_MS, 14 * 60_000);
  }

  /** The client, made once; a factory that fails is called again on the next request. */
  private connect(): Promise<SchedulerClient> {
    if (this.client) return this.client;
    const made = typeof this.source === 'function' ? this.source() : Promise.resolve(this.source);
    made.catch(() => { this.client = null; });
    this.client = made;
    return made;
  }

  /** The CreateSchedule request for a timer (exported for tests: no emulator exists). */
  request(timer: ScheduledTimer): CreateScheduleCommandInput {
    const { groupName, targetArn, roleArn, deadLetterArn } = this.options;
    return {
      Name: scheduleName(timer.timerId),
      GroupName: groupName,
      ScheduleExpression: atExpression(timer.dueAt - this.leadMs),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Description: `timer ${timer.timerId}`.slice(0, 512),
      Target: {
        Arn: targetArn,
        RoleArn: roleArn,
        Input: JSON.stringify(timerMessage(timer)),
        // Keep retrying for a day: a timer must not be lost to a short outage.
        RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
        ...(deadLetterArn ? { DeadLetterConfig: { Arn: deadLetterArn } } : {}),
      },
    };
  }

  async schedule(timer: ScheduledTimer): Promise<void> {
    // Too close for a schedule (it would fire in the past): the SQS delay covers it.
    if (timer.dueAt - this.options.clock.now() <= this.leadMs + 60_000) return this.options.handOff.scheduleMany([timer]);
    const [client, { CreateScheduleCommand }] = await Promise.all([this.connect(), schedulerSdk()]);
    try {
      await client.send(new CreateScheduleCommand(this.request(timer)));
    } catch (error) {
      if ((error as { name?: string }).name !== 'ConflictException') throw error; // already scheduled: the same timer
    }
  }

  async cancel(timer: { timerId: string }): Promise<void> {
    const [client, { DeleteScheduleCommand }] = await Promise.all([this.connect(), schedulerSdk()]);
    try {
      await client.send(new DeleteScheduleCommand({ Name: scheduleName(timer.timerId), GroupName: this.options.groupName }));
    } catch (error) {
      if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error; // fired (and deleted), or never scheduled
    }
  }
}
