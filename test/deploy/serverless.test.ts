/**
 * serverless.yml, read as plain YAML (no packaging, no AWS): the deployed table matches
 * the one the code creates locally, every queue has a DLQ, every function has its own
 * least-privilege role. `npm run package` checks that the framework accepts the file.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { GSI_BY_STATUS, TTL_ATTRIBUTE, tableDefinition } from '../../lib/adapters/dynamodb/table.ts';
import { runtimeFromEnv } from '../../lib/composition/aws.ts';
import { MAX_RECEIVE_COUNT } from '../../lib/local/queues.ts';

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}
interface SqsEvent {
  arn: { 'Fn::GetAtt': [string, string] };
  functionResponseType?: string;
  batchSize?: number;
}
interface HttpApiEvent {
  method: string;
  path: string;
  authorizer?: { name: string };
}
interface FunctionConfig {
  handler: string;
  role?: string;
  timeout?: number;
  environment?: Record<string, string>;
  package?: { patterns?: string[] };
  events?: Array<{ sqs?: SqsEvent; httpApi?: HttpApiEvent; rabbitmq?: { arn: string; queue: string; basicAuthArn: string; batchSize?: number } }>;
}
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}
interface ServerlessConfig {
  service: string;
  plugins: string[];
  provider: {
    runtime: string; architecture: string; timeout: number; environment: Record<string, unknown>; iam?: unknown; iamRoleStatements?: unknown;
    httpApi?: { authorizers?: Record<string, { type?: string; identitySource: string; issuerUrl: string; audience: string[] }> };
  };
  params: Record<string, Record<string, string>> & { default: Record<string, string> };
  package?: { individually?: boolean };
  custom: { esbuild: Record<string, unknown>; localstack?: { stages?: string[]; host?: string; edgePort?: number; autostart?: boolean; lambda?: { mountCode?: boolean } } };
  functions: Record<string, FunctionConfig>;
  resources: { Resources: Record<string, Resource>; Outputs: Record<string, { Value: unknown }> };
}

const config = parse(readFileSync(new URL('../../serverless.yml', import.meta.url), 'utf8')) as ServerlessConfig;
const resources = config.resources.Resources;
const ofType = (type: string): Array<[string, Resource]> => Object.entries(resources).filter(([, r]) => r.Type === type);
const getAtt = (value: unknown): string | undefined => (value as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt']?.[0];
const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const queues = ofType('AWS::SQS::Queue');
const redrive = (queue: Resource) => queue.Properties['RedrivePolicy'] as { deadLetterTargetArn: unknown; maxReceiveCount: number } | undefined;
const deadLetterQueues = new Set(queues.flatMap(([, q]) => { const r = redrive(q); return r ? [getAtt(r.deadLetterTargetArn) as string] : []; }));

function statementsOf(role: Resource): Statement[] {
  const policies = role.Properties['Policies'] as Array<{ PolicyDocument: { Statement: Statement[] } }>;
  return policies.flatMap((p) => p.PolicyDocument.Statement);
}

function grants(roleId: string, action: string, resourceId: string): boolean {
  const role = resources[roleId] as Resource;
  return statementsOf(role).some((s) => s.Effect === 'Allow' && asArray(s.Action).includes(action)
    && asArray(s.Resource).some((r) => typeof r === 'object' && getAtt(r) === resourceId));
}

/** The operations an adapter file sends, e.g. `new PutItemCommand(` -> PutItem. */
function operationsIn(path: string): string[] {
  const source = readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
  return [...source.matchAll(/new (\w+)Command\(/g)].map((m) => m[1] as string);
}

describe('serverless.yml', () => {
  it('runs on Node 22 on arm64 and names resources per stage', () => {
    expect(config.provider.runtime).toBe('nodejs22.x');
    expect(config.provider.architecture).toBe('arm64');
    for (const [, queue] of queues) expect(queue.Properties['QueueName']).toContain('${sls:stage}');
    expect((resources['Table'] as Resource).Properties['TableName']).toContain('${sls:stage}');
  });

  it('packages each function on its own as one minified ESM bundle, with no source maps at run time', () => {
    expect(config.package?.individually).toBe(true);
    const esbuild = config.custom.esbuild;
    expect(esbuild).toMatchObject({ bundle: true, minify: true, format: 'esm', platform: 'node', target: 'node22' });
    // Error classes name themselves with `new.target.name`: minification must keep class names.
    expect(esbuild['keepNames']).toBe(true);
    // Neither a map in the zip (true, 'inline', 'both') nor one produced beside it ('external', 'linked').
    expect(esbuild['sourcemap'] ?? false).toBe(false);
    const nodeOptions = [config.provider.environment['NODE_OPTIONS'], ...Object.values(config.functions).map((fn) => fn.environment?.['NODE_OPTIONS'])];
    for (const options of nodeOptions) expect(String(options ?? '')).not.toContain('--enable-source-maps');
    // The runtime provides the AWS SDK v3: bundling it would only make every zip heavier.
    expect(esbuild['exclude']).toEqual(['@aws-sdk/*']);
  });

  it('declares the table exactly as tableDefinition(), plus TTL, point-in-time recovery and a keys-only stream', () => {
    const table = resources['Table'] as Resource;
    expect(table.Type).toBe('AWS::DynamoDB::Table');
    const { TableName: _name, ...expected } = tableDefinition('ignored');
    const { TableName: _deployed, TimeToLiveSpecification, PointInTimeRecoverySpecification, StreamSpecification, ...actual } = table.Properties;
    expect(StreamSpecification).toEqual({ StreamViewType: 'KEYS_ONLY' });
    expect(actual).toEqual(expected);
    expect(expected.GlobalSecondaryIndexes?.[0]?.IndexName).toBe(GSI_BY_STATUS);
    expect(TimeToLiveSpecification).toEqual({ AttributeName: TTL_ATTRIBUTE, Enabled: true });
    expect(PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
  });

  it('runs the commands queue in high-throughput FIFO mode (per message group = per instance)', () => {
    const commands = resources['CommandsQueue'] as Resource;
    expect(commands.Properties).toMatchObject({ FifoQueue: true, DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' });
  });

  it('gives every queue a DLQ after 5 receives that keeps messages for 14 days', () => {
    expect(queues.length).toBeGreaterThanOrEqual(8);
    for (const [id, queue] of queues) {
      if (deadLetterQueues.has(id)) {
        expect(redrive(queue), `${id} is a DLQ`).toBeUndefined();
        expect(queue.Properties['MessageRetentionPeriod'], id).toBe(14 * 24 * 3600);
        continue;
      }
      const policy = redrive(queue);
      expect(policy, `${id} has a RedrivePolicy`).toBeDefined();
      expect(policy?.maxReceiveCount).toBe(MAX_RECEIVE_COUNT);
      const dlq = resources[getAtt(policy?.deadLetterTargetArn) as string] as Resource;
      expect(dlq.Type).toBe('AWS::SQS::Queue');
      expect(dlq.Properties['FifoQueue'] ?? false, `${id}'s DLQ has the same kind`).toBe(queue.Properties['FifoQueue'] ?? false);
    }
    const commands = (resources['CommandsQueue'] as Resource).Properties;
    expect(commands).toMatchObject({ FifoQueue: true, ContentBasedDeduplication: false });
  });

  it('feeds functions from SQS with partial batch failures and a visibility timeout of at least 6x the function timeout', () => {
    const sqsEvents = Object.entries(config.functions).flatMap(([name, fn]) => (fn.events ?? []).flatMap((e) => (e.sqs ? [{ name, fn, sqs: e.sqs }] : [])));
    expect(sqsEvents.map((e) => e.name).sort()).toEqual(['commands', 'events', 'outbox', 'timers']);
    for (const { name, fn, sqs } of sqsEvents) {
      expect(sqs.functionResponseType, name).toBe('ReportBatchItemFailures');
      const queue = resources[getAtt(sqs.arn) as string] as Resource;
      const timeout = fn.timeout ?? config.provider.timeout;
      expect(queue.Properties['VisibilityTimeout'] as number, name).toBeGreaterThanOrEqual(6 * timeout);
    }
  });

  it('sets every environment variable the functions read', () => {
    const literal: Record<string, string | undefined> = { RETENTION_DAYS: '30', DURABLE_TIMERS: config.params.default['durableTimers'] };
    const env = Object.fromEntries(Object.keys(config.provider.environment).map((key) => [key, literal[key] ?? `value-of-${key}`]));
    expect(() => runtimeFromEnv(env)).not.toThrow();
  });

  it('gives each function its own role and no shared provider-level one', () => {
    expect(config.provider.iam).toBeUndefined();
    expect(config.provider.iamRoleStatements).toBeUndefined();
    const roles = Object.values(config.functions).map((fn) => fn.role);
    for (const role of roles) expect((resources[role ?? ''] as Resource | undefined)?.Type).toBe('AWS::IAM::Role');
    expect(new Set(roles).size).toBe(roles.length);
  });

  it('grants no wildcard action and no wildcard DynamoDB or SQS resource', () => {
    for (const [id, role] of ofType('AWS::IAM::Role')) {
      for (const statement of statementsOf(role)) {
        const actions = asArray(statement.Action);
        for (const action of actions) expect(action, id).not.toMatch(/\*/);
        if (!actions.some((a) => a.startsWith('dynamodb:') || a.startsWith('sqs:'))) continue;
        for (const resource of asArray(statement.Resource)) {
          expect(typeof resource, `${id}: ${JSON.stringify(resource)}`).toBe('object');
          expect(JSON.stringify(resource), id).not.toContain('*');
        }
      }
    }
  });

  it('lets commands call every item operation of the DynamoDB adapters and send to every queue', () => {
    // TransactWriteItems has no IAM action of its own: its Puts are authorised as PutItem.
    const iamAction = (op: string) => (op === 'TransactWriteItems' ? 'PutItem' : op);
    // BatchWriteItem is DynamoInstanceStore.purge: the retention function's, not the transition's.
    const operations = ['instances', 'definitions', 'indexes'].flatMap((f) => operationsIn(`lib/adapters/dynamodb/${f}.ts`)).filter((op) => op !== 'BatchWriteItem');
    expect(operations.length).toBeGreaterThan(0);
    for (const op of new Set(operations)) expect(grants('CommandsRole', `dynamodb:${iamAction(op)}`, 'Table'), op).toBe(true);
    for (const queue of ['CommandsQueue', 'TimersQueue', 'OutboxQueue']) expect(grants('CommandsRole', 'sqs:SendMessage', queue), queue).toBe(true);
    expect(grants('CommandsRole', 'sqs:SendMessage', 'EventsQueue'), 'inbound events come from the bridge, not from transitions').toBe(false);
    expect(grants('CommandsRole', 'sqs:ReceiveMessage', 'CommandsQueue')).toBe(true);
  });

  it('lets timers forward to commands and re-delay on timers, and on the table only take timer start fires', () => {
    expect(grants('TimersRole', 'sqs:SendMessage', 'CommandsQueue')).toBe(true);
    expect(grants('TimersRole', 'sqs:SendMessage', 'TimersQueue')).toBe(true);
    expect(grants('TimersRole', 'sqs:ReceiveMessage', 'TimersQueue')).toBe(true);
    expect(grants('TimersRole', 'sqs:SendMessage', 'EventsQueue')).toBe(false);
    expect(grants('TimersRole', 'sqs:SendMessage', 'OutboxQueue')).toBe(false);
    const actions = statementsOf(resources['TimersRole'] as Resource).flatMap((s) => asArray(s.Action));
    // The timer start registry (GetItem, UpdateItem) and the next fire as a due-time item (BatchWriteItem).
    expect(actions.filter((a) => a.startsWith('dynamodb:')).sort()).toEqual(['dynamodb:BatchWriteItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem']);
  });

  it('delivers long timers through EventBridge Scheduler: a group, a role it assumes that may only send to the timers queue, and PassRole for whoever schedules', () => {
    expect(config.params.default['durableTimers']).toBe('scheduler');
    expect((resources['TimersScheduleGroup'] as Resource).Type).toBe('AWS::Scheduler::ScheduleGroup');
    const role = resources['SchedulerRole'] as Resource;
    const trust = (role.Properties['AssumeRolePolicyDocument'] as { Statement: Array<{ Principal: { Service: string } }> }).Statement;
    expect(trust.map((s) => s.Principal.Service)).toEqual(['scheduler.amazonaws.com']);
    expect(statementsOf(role).flatMap((s) => asArray(s.Action))).toEqual(['sqs:SendMessage']);
    expect(grants('SchedulerRole', 'sqs:SendMessage', 'TimersQueue')).toBe(true);
    expect(grants('SchedulerRole', 'sqs:SendMessage', 'CommandsQueue')).toBe(false);
    for (const scheduling of ['CommandsRole', 'TimersRole', 'ApiRole']) {
      const statements = statementsOf(resources[scheduling] as Resource);
      const actions = statements.flatMap((s) => asArray(s.Action));
      expect(actions, scheduling).toEqual(expect.arrayContaining(['scheduler:CreateSchedule', 'scheduler:DeleteSchedule']));
      expect(grants(scheduling, 'iam:PassRole', 'SchedulerRole'), scheduling).toBe(true);
      const onSchedules = statements.filter((s) => asArray(s.Action).includes('scheduler:CreateSchedule'));
      expect(JSON.stringify(onSchedules.map((s) => s.Resource)), scheduling).toContain('TimersScheduleGroup');
    }
    for (const key of ['DURABLE_TIMERS', 'SCHEDULER_GROUP', 'TIMERS_QUEUE_ARN', 'SCHEDULER_ROLE_ARN']) expect(config.provider.environment, key).toHaveProperty(key);
  });

  it('purges expired instances from the table stream, on TTL deletions only', () => {
    const retention = config.functions['retention'] as FunctionConfig & { events?: Array<{ stream?: { type: string; filterPatterns: unknown[] } }> };
    expect(retention.handler).toBe('functions/retention.handler');
    const stream = retention.events?.[0]?.stream;
    expect(stream?.type).toBe('dynamodb');
    expect(stream?.filterPatterns).toEqual([{ eventName: ['REMOVE'], userIdentity: { type: ['Service'], principalId: ['dynamodb.amazonaws.com'] } }]);
    const actions = statementsOf(resources['RetentionRole'] as Resource).flatMap((s) => asArray(s.Action));
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:BatchWriteItem', 'dynamodb:GetRecords']));
  });

  it('alarms as soon as any DLQ holds a message', () => {
    for (const q of ['Commands', 'Timers', 'Outbox', 'Events']) {
      const alarm = resources[`${q}DeadLetterAlarm`] as Resource;
      expect(alarm?.Type, q).toBe('AWS::CloudWatch::Alarm');
      expect(alarm.Properties).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
      expect(JSON.stringify(alarm.Properties['Dimensions'])).toContain(`${q}DeadLetterQueue`);
    }
  });

  it('sweeps due-time timer items and the commands DLQ every minute, one sweep at a time', () => {
    const sweep = config.functions['sweep'] as FunctionConfig & { reservedConcurrency?: number; events?: Array<{ schedule?: string }> };
    expect(sweep.handler).toBe('functions/sweep.handler');
    expect(sweep.reservedConcurrency).toBe(1);
    expect((sweep.events ?? []).map((e) => (e as { schedule?: string }).schedule)).toEqual(['rate(1 minute)']);
    expect(grants('SweepRole', 'sqs:SendMessage', 'TimersQueue')).toBe(true);
    const actions = statementsOf(resources['SweepRole'] as Resource).flatMap((s) => asArray(s.Action));
    // A dead command tried once more is a whole transition: the item operations of the commands role.
    expect(actions.filter((a) => a.startsWith('dynamodb:')).sort()).toEqual(['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
    expect(grants('SweepRole', 'sqs:ReceiveMessage', 'CommandsDeadLetterQueue')).toBe(true);
    expect(grants('SweepRole', 'sqs:DeleteMessage', 'CommandsDeadLetterQueue')).toBe(true);
  });

  it('lets the API call the item operations of its DynamoDB adapters, query the byStatus index, and only send commands', () => {
    // TransactWriteItems' Puts are authorised as PutItem; BatchWriteItem is the retention purge, never called by the API.
    const iamAction = (op: string) => (op === 'TransactWriteItems' ? 'PutItem' : op);
    const operations = ['instances', 'definitions', 'indexes'].flatMap((f) => operationsIn(`lib/adapters/dynamodb/${f}.ts`)).filter((op) => op !== 'BatchWriteItem');
    for (const op of new Set(operations)) expect(grants('ApiRole', `dynamodb:${iamAction(op)}`, 'Table'), op).toBe(true);
    const statements = statementsOf(resources['ApiRole'] as Resource);
    const onIndex = statements.filter((s) => JSON.stringify(s.Resource).includes('/index/byStatus'));
    expect(onIndex.flatMap((s) => asArray(s.Action))).toEqual(['dynamodb:Query']);
    expect(grants('ApiRole', 'sqs:SendMessage', 'CommandsQueue')).toBe(true);
    // A deploy schedules the first fire of each timer start event (due within 15 minutes: on the timers queue).
    expect(grants('ApiRole', 'sqs:SendMessage', 'TimersQueue')).toBe(true);
    const sqsActions = statements.flatMap((s) => asArray(s.Action)).filter((a) => a.startsWith('sqs:'));
    expect(sqsActions).toEqual(['sqs:SendMessage']);
    expect(grants('ApiRole', 'sqs:SendMessage', 'EventsQueue')).toBe(false);
    expect(grants('ApiRole', 'sqs:SendMessage', 'OutboxQueue')).toBe(false);
    expect(statements.flatMap((s) => asArray(s.Action))).not.toContain('dynamodb:Scan');
  });

  it('puts every /v1 route of the API behind the JWT authorizer (issuer and audience from params), and only /v1', () => {
    const api = config.functions['api'] as FunctionConfig;
    expect(api.handler).toBe('functions/api.handler');
    expect(api.environment?.['REQUIRE_JWT']).toBe('true');
    expect(api.timeout ?? config.provider.timeout).toBeLessThan(30); // API Gateway's integration timeout
    const routes = (api.events ?? []).flatMap((e) => (e.httpApi ? [e.httpApi] : []));
    expect(routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(['* /v1/{proxy+}', 'GET /', 'GET /assets/{file}', 'GET /health', 'GET /openapi.json']);
    for (const r of routes) expect(r.authorizer?.name, r.path).toBe(r.path.startsWith('/v1/') ? 'jwt' : undefined);
    expect(api.package?.patterns, 'the web page is packaged with the api function').toContain('ui/dist/**');
    const jwt = config.provider.httpApi?.authorizers?.['jwt'];
    expect(jwt).toEqual({ type: 'jwt', identitySource: '$request.header.Authorization', issuerUrl: '${param:jwtIssuer}', audience: ['${param:jwtAudience}'] });
    expect(config.params.default['jwtIssuer']).toMatch(/^https:\/\//);
    expect(config.params.default['jwtAudience']).toBeTruthy();
  });

  it('bridges RabbitMQ: Amazon MQ event source -> events queue, events -> commands (malformed -> DLQ), outbox -> broker', () => {
    const bridge = config.functions['eventsBridge'] as FunctionConfig;
    expect(bridge.handler).toBe('functions/events-bridge.handler');
    const [source] = (bridge.events ?? []).flatMap((e) => (e.rabbitmq ? [e.rabbitmq] : []));
    expect(source).toMatchObject({ arn: '${param:rabbitmqBrokerArn}', queue: 'sbpmn.inbound', basicAuthArn: '${param:rabbitmqSecretArn}' });
    expect(config.params.default['rabbitmqBrokerArn']).toMatch(/^arn:[a-z-]+:mq:[a-z0-9-]+:\d+:broker:[A-Za-z0-9/_+=.@-]+:b-[a-z0-9-]+$/);
    expect(config.params.default['rabbitmqSecretArn']).toMatch(/^arn:[a-z-]+:secretsmanager:[a-z0-9-]+:\d+:secret:/);
    for (const queue of ['EventsQueue', 'EventsDeadLetterQueue']) expect(grants('EventsBridgeRole', 'sqs:SendMessage', queue), queue).toBe(true);
    const bridgeActions = statementsOf(resources['EventsBridgeRole'] as Resource).flatMap((s) => asArray(s.Action));
    expect(bridgeActions).toEqual(expect.arrayContaining(['mq:DescribeBroker', 'secretsmanager:GetSecretValue', 'ec2:CreateNetworkInterface']));
    expect(bridgeActions.filter((a) => a.startsWith('dynamodb:'))).toEqual([]);

    expect(grants('EventsRole', 'sqs:ReceiveMessage', 'EventsQueue')).toBe(true);
    for (const queue of ['CommandsQueue', 'EventsDeadLetterQueue']) expect(grants('EventsRole', 'sqs:SendMessage', queue), queue).toBe(true);
    const eventsActions = statementsOf(resources['EventsRole'] as Resource).flatMap((s) => asArray(s.Action));
    // Subscriptions, message starts and definitions are Queries by key (never a Scan); the message buffer is a PutItem.
    expect(eventsActions.filter((a) => a.startsWith('dynamodb:')).sort()).toEqual(['dynamodb:PutItem', 'dynamodb:Query']);

    const outbox = config.functions['outbox'] as FunctionConfig;
    expect(outbox.environment).toEqual({ RABBITMQ_URL: '${param:rabbitmqUrl}', RABBITMQ_SECRET_ARN: '${param:rabbitmqSecretArn}' });
    expect(grants('OutboxRole', 'sqs:ReceiveMessage', 'OutboxQueue')).toBe(true);
    expect(statementsOf(resources['OutboxRole'] as Resource).flatMap((s) => asArray(s.Action))).toContain('secretsmanager:GetSecretValue');
    for (const key of ['OUTBOX_QUEUE_URL', 'EVENTS_QUEUE_URL', 'EVENTS_DLQ_URL', 'PUBLISH_LIFECYCLE']) expect(config.provider.environment, key).toHaveProperty(key);
    expect((resources['EventsQueue'] as Resource).Properties['MaximumMessageSize']).toBe(1024 * 1024);
  });

  it('outputs the table name and the queue URLs', () => {
    for (const id of ['Table', 'CommandsQueue', 'TimersQueue', 'OutboxQueue', 'EventsQueue', 'EventsDeadLetterQueue']) {
      expect(Object.values(config.resources.Outputs).some((o) => JSON.stringify(o.Value) === JSON.stringify({ Ref: id })), id).toBe(true);
    }
  });

  it('deploys the `local` stage, and only it, to LocalStack through serverless-localstack', () => {
    expect(config.plugins).toEqual(['serverless-esbuild', 'serverless-localstack']);
    const localstack = config.custom.localstack;
    // The plugin redirects only the stages it lists: ci (npm run package), dev and prod stay on AWS.
    expect(localstack?.stages).toEqual(['local']);
    // Packaging never starts Docker, and the zips are deployed (not the source mounted).
    expect(localstack).toMatchObject({ autostart: false, edgePort: 4566, lambda: { mountCode: false } });
    expect(localstack?.host).toMatch(/^https?:\/\//);
    expect(Object.keys(config.params.local ?? {}).every((name) => name in config.params.default), 'local overrides known params only').toBe(true);
    // serverless-localstack replaces serverless-esbuild's hooks, the one disposing build contexts too.
    expect(config.custom.esbuild['skipRebuild']).toBe(true);
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string>; devDependencies: Record<string, string> };
    expect(pkg.devDependencies['serverless-localstack']).toBeDefined();
    expect(pkg.scripts['package:local']).toContain('--stage local');
    expect(pkg.scripts['deploy:local']).toContain('--stage local');
  });

  it('leaves X-Ray tracing to one param: the Lambda setting, the bundles\' tracer switch and every role\'s right to send segments', () => {
    expect(config.params.default['tracing']).toBe('PassThrough');
    expect((config.provider as { tracing?: { lambda?: string } }).tracing?.lambda).toBe('${param:tracing}');
    expect((config.custom.esbuild['define'] as Record<string, string>)['SBPMN_TRACING']).toBe('"${param:tracing}"');
    for (const fn of Object.values(config.functions)) {
      const role = resources[fn.role ?? ''] as Resource;
      expect(JSON.stringify(role.Properties['ManagedPolicyArns']), fn.role).toContain('AWSXRayDaemonWriteAccess');
    }
  });
});
