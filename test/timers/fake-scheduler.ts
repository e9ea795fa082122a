/**
 * A small in-test stand-in for the EventBridge Scheduler HTTP API (there is no emulator
 * here): CreateSchedule (POST /schedules/{Name}) and DeleteSchedule (DELETE
 * /schedules/{Name}?groupName=), with Scheduler's error types for a duplicate name and a
 * missing schedule. `deliver(now)` does what the service does at a one-time schedule's
 * `at(...)`: sends its Input to the target SQS queue, then deletes it (ActionAfterCompletion).
 * It accepts only what the adapter sends; anything else is a 400, so a changed request fails.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

export interface FakeSchedule {
  name: string;
  group: string;
  at: number;
  body: Record<string, unknown> & { Target: { Arn: string; Input: string; RoleArn: string } };
}

export class FakeScheduler {
  readonly schedules = new Map<string, FakeSchedule>();
  readonly requests: Array<{ method: string; path: string }> = [];
  private server: Server | null = null;
  endpoint = '';

  constructor(private readonly sqs: SQSClient, private readonly queueUrlOf: (arn: string) => string) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, body, type }) => {
        res.writeHead(status, { 'content-type': 'application/json', ...(type ? { 'x-amzn-errortype': type } : {}) });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown; type?: string }> {
    const url = new URL(req.url ?? '/', 'http://x');
    this.requests.push({ method: req.method ?? '', path: url.pathname });
    const match = /^\/schedules\/([^/]+)$/.exec(url.pathname);
    if (!match) return { status: 400, body: { Message: `unknown path ${url.pathname}` }, type: 'ValidationException' };
    const name = decodeURIComponent(match[1] ?? '');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method === 'POST') {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as FakeSchedule['body'];
      const group = String(body['GroupName'] ?? 'default');
      const at = /^at\((\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\)$/.exec(String(body['ScheduleExpression']));
      if (!at || body['ScheduleExpressionTimezone'] !== 'UTC' || body['ActionAfterCompletion'] !== 'DELETE' || !body.Target?.Arn || !body.Target.RoleArn) {
        return { status: 400, body: { Message: 'unsupported schedule' }, type: 'ValidationException' };
      }
      const key = `${group}/${name}`;
      if (this.schedules.has(key)) return { status: 409, body: { Message: `schedule ${name} already exists` }, type: 'ConflictException' };
      this.schedules.set(key, { name, group, at: Date.parse(`${at[1]}Z`), body });
      return { status: 200, body: { ScheduleArn: `arn:aws:scheduler:us-east-1:000000000000:schedule/${key}` } };
    }
    if (req.method === 'DELETE') {
      const key = `${url.searchParams.get('groupName') ?? 'default'}/${name}`;
      if (!this.schedules.delete(key)) return { status: 404, body: { Message: `schedule ${name} does not exist` }, type: 'ResourceNotFoundException' };
      return { status: 200, body: {} };
    }
    return { status: 400, body: { Message: 'unsupported method' }, type: 'ValidationException' };
  }

  /** Fires every schedule whose time has come: its Input goes to the target queue, then it is deleted. */
  async deliver(now: number): Promise<number> {
    const due = [...this.schedules.entries()].filter(([, s]) => s.at <= now);
    for (const [key, schedule] of due) {
      await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrlOf(schedule.body.Target.Arn), MessageBody: schedule.body.Target.Input }));
      this.schedules.delete(key);
    }
    return due.length;
  }
}
