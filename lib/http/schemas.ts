/**
 * The API's request and response shapes, as zod schemas: requests are validated with
 * them and `openapi.ts` generates the OpenAPI document from them, so the two never drift.
 * Every named schema is registered in `registry` (its id is the OpenAPI component name).
 * Request bodies are strict (an unknown field is a 400: a typo never goes unnoticed).
 */
import * as z from 'zod';
import { jsonBytes, LIMITS } from '../app/limits.ts';
import { HEAD_STATUSES } from '../ports.ts';

export const registry = z.registry<{ id: string; description?: string }>();

function named<T extends z.ZodType>(id: string, schema: T, description?: string): T {
  registry.add(schema, { id, ...(description ? { description } : {}) });
  return schema;
}

const MAX_ID = 256;
export const MAX_WAIT_MS = 20_000;
export const DEFAULT_WAIT_MS = 5_000;

/** Patterns the engine uses: a process id, an instance id. */
export const DEFINITION_KEY = /^[A-Za-z_][\w.-]{0,254}$/;
export const INSTANCE_ID = /^[A-Za-z0-9_-]{1,64}$/;
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{1,128}$/;

const text = (max = MAX_ID) => z.string().min(1).max(max);
const time = z.string().describe('ISO 8601 date-time (UTC)');

export const JsonValue = named('JsonValue', z.json(), 'Any JSON value');
export const Variables = named('Variables', z.record(z.string(), JsonValue)
  .refine((v) => jsonBytes(v) <= LIMITS.variablesBytes, `variables are larger than ${LIMITS.variablesBytes} bytes`), `Process variables: a JSON object (at most ${LIMITS.variablesBytes} bytes of JSON)`);

export const ErrorBody = named('Error', z.object({
  error: z.object({
    code: z.string().describe("machine-readable: 'invalid-input', 'invalid-bpmn', 'not-found', 'not-open', 'wrong-state', 'unauthorized', ..."),
    message: z.string(),
    details: z.array(z.record(z.string(), JsonValue)).describe('invalid-input: [{ in, path, message }]; invalid-bpmn: [{ elementId, message, line }]'),
  }),
}), 'Every error answer');

// ---- path and query parameters -----------------------------------------------------------

export const DefinitionKeyParam = z.object({ key: z.string().regex(DEFINITION_KEY, 'not a process id') });
export const DefinitionVersionParams = DefinitionKeyParam.extend({ version: z.coerce.number().int().min(1) });
export const InstanceParam = z.object({ id: z.string().regex(INSTANCE_ID, 'not an instance id') });
export const InstanceVersionParams = InstanceParam.extend({ version: z.coerce.number().int().min(1) });
export const IncidentParams = InstanceParam.extend({ incidentId: text() });
export const JobParam = z.object({ jobId: text().describe('<instanceId>.<key>') });
export const TaskParam = z.object({ taskId: text().describe('<instanceId>.<key>') });

const limit = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);

export const WaitQuery = z.object({
  wait: z.coerce.number().int().min(0).default(DEFAULT_WAIT_MS).transform((ms) => Math.min(ms, MAX_WAIT_MS))
    .describe(`ms to wait for the command to be applied (default ${DEFAULT_WAIT_MS}, at most ${MAX_WAIT_MS}; 0: do not wait, answer 202)`),
});
export const ListInstancesQuery = z.object({
  definitionKey: z.string().regex(DEFINITION_KEY, 'not a process id'),
  status: z.enum(HEAD_STATUSES).default('active'),
  limit: limit(500, 50),
  cursor: z.string().max(4096).optional().describe('the cursor of the previous page'),
});
export const HistoryQuery = z.object({
  after: z.coerce.number().int().min(0).default(0).describe('versions after this one'),
  limit: limit(100, 50),
});
export const DeadLettersQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(4096).optional().describe('the cursor of the previous page'),
});
export const DeadCommandParam = z.object({ commandId: text() });
export const DeadCommand = named('DeadCommand', z.object({
  commandId: z.string(), instanceId: z.string(), envelope: z.record(z.string(), JsonValue).describe('the command as it was queued'),
  reason: z.string().describe('the error it failed with when the sweeper tried it once more'), receiveCount: z.number().int(), at: time,
  incidentId: z.string().nullable().describe('its incident on the instance (null when the instance could not take one)'),
}), 'A command that failed for good: moved out of the commands DLQ by the sweeper');
export const DeadCommandList = named('DeadCommandList', z.object({ items: z.array(DeadCommand), cursor: z.string().nullable().describe('null on the last page') }));
export const RedriveResult = named('RedriveResult', z.object({
  commandId: z.string(), instanceId: z.string(), via: z.enum(['incident', 'queue']).describe('incident: its incident was resolved, which sends it; queue: sent again directly'),
}));

export const JobsQuery = z.object({
  type: text().optional(),
  instanceId: z.string().regex(INSTANCE_ID).optional(),
  limit: limit(100, 100),
});
export const TasksQuery = z.object({
  candidateGroup: text().optional(),
  assignee: text().optional(),
  instanceId: z.string().regex(INSTANCE_ID).optional(),
  limit: limit(100, 100),
});

// ---- definitions ----------------------------------------------------------------------------

export const DeployResponse = named('DeployResult', z.object({ deployed: z.array(z.object({ key: z.string(), version: z.number().int() })) }));
export const DefinitionList = named('DefinitionList', z.object({ items: z.array(z.object({ key: z.string(), latestVersion: z.number().int(), deployedAt: time })) }));
/** A DMN decision id (the `id` of a `dmn:decision`). */
export const DecisionParam = z.object({ id: z.string().regex(/^[A-Za-z_][\w-]{0,254}$/, 'not a decision id') });
export const DecisionList = named('DecisionList', z.object({ items: z.array(z.object({ decisionId: z.string(), latestVersion: z.number().int(), deployedAt: time })) }));
export const Decision = named('Decision', z.object({
  decisionId: z.string(),
  versions: z.array(z.object({
    version: z.number().int(), hash: z.string().describe('sha256 of the DMN XML'), deployedAt: time,
    name: z.string().nullable(), versionTag: z.string().nullable().describe('zeebe:versionTag of the decision (bindingType versionTag)'),
  })),
}));
export const Definition = named('Definition', z.object({ key: z.string(), versions: z.array(z.object({ version: z.number().int(), hash: z.string().describe('sha256 of the XML'), deployedAt: time })) }));

// ---- commands -------------------------------------------------------------------------------

export const CommandApplied = named('CommandApplied', z.object({
  status: z.literal('applied'), commandId: z.string(), instanceId: z.string(), version: z.number().int().describe('the instance version the command produced'),
}), 'The command was applied');
export const CommandAccepted = named('CommandAccepted', z.object({
  status: z.literal('accepted'), commandId: z.string(), instanceId: z.string(),
}), 'The command is queued and will be applied; it was not applied within `wait`');

// ---- instances ------------------------------------------------------------------------------

export const StartInstanceRequest = named('StartInstanceRequest', z.strictObject({
  definitionKey: z.string().regex(DEFINITION_KEY, 'not a process id'),
  version: z.number().int().min(1).optional().describe('default: the latest version'),
  variables: Variables.optional(),
  businessKey: z.string().max(MAX_ID).nullable().optional(),
}));
const Status = z.enum(HEAD_STATUSES).describe("'incident': active, with open incidents");
export const InstanceSummary = named('InstanceSummary', z.object({
  instanceId: z.string(), definitionKey: z.string(), definitionVersion: z.number().int(), businessKey: z.string().nullable(), startedAt: time, status: Status,
}));
export const InstanceList = named('InstanceList', z.object({ items: z.array(InstanceSummary), cursor: z.string().nullable().describe('null on the last page') }));
export const Incident = named('Incident', z.object({
  incidentId: z.string(), elementId: z.string(), kind: z.string(), message: z.string(), jobId: z.string().nullable(), at: time,
}));
export const Job = named('Job', z.object({
  jobId: z.string().describe('<instanceId>.<key>'), type: z.string(), instanceId: z.string(), elementId: z.string(),
  variables: Variables, headers: z.record(z.string(), z.string()).describe('zeebe:taskHeaders'), retries: z.number().int(),
}));
export const Task = named('Task', z.object({
  taskId: z.string().describe('<instanceId>.<key>'), instanceId: z.string(), elementId: z.string(), name: z.string().nullable(),
  assignee: z.string().nullable(), candidateGroups: z.array(z.string()), candidateUsers: z.array(z.string()),
  formKey: z.string().nullable(), formId: z.string().nullable(), variables: Variables,
}));
const stateFields = {
  instanceId: z.string(), definitionKey: z.string(), definitionVersion: z.number().int(), businessKey: z.string().nullable(), status: Status,
  version: z.number().int(), startedAt: time, endedAt: time.nullable(), updatedAt: time,
  variables: Variables.describe('the root scope'), activeElements: z.array(z.string()).describe('element ids with a token, one per element instance'),
  incidents: z.array(Incident), jobs: z.array(Job).describe('open jobs (retries 0: waiting for an incident to be resolved)'), tasks: z.array(Task),
  parent: z.object({ instanceId: z.string(), callId: z.string() }).nullable().describe('the call activity that started this instance, if any'),
  calls: z.array(z.object({ callId: z.string(), elementId: z.string(), childInstanceId: z.string(), processId: z.string() })).describe('child instances of waiting call activities'),
};
export const Instance = named('Instance', z.object(stateFields));
const CommandRecord = z.looseObject({ type: z.string() }).describe('the command as applied');
export const InstanceAtVersion = named('InstanceAtVersion', z.object({ ...stateFields, at: time, command: CommandRecord }), 'The instance as one version left it');
export const History = named('History', z.object({
  versions: z.array(z.object({ version: z.number().int(), commandId: z.string(), command: CommandRecord, at: time, events: z.array(z.looseObject({ type: z.string() })) })),
  next: z.number().int().nullable().describe('pass as `after` for the next page; null on the last page'),
}));
export const RollbackRequest = named('RollbackRequest', z.strictObject({ toVersion: z.number().int().min(1) }));
export const ResolveIncidentRequest = named('ResolveIncidentRequest', z.strictObject({ retries: z.number().int().min(1).max(1000).optional().describe('retries a failed job gets back (default 1)') }));
export const SetVariablesRequest = named('SetVariablesRequest', z.strictObject({ variables: Variables }));

// ---- jobs -----------------------------------------------------------------------------------

export const JobList = named('JobList', z.object({ items: z.array(Job) }));
export const ActivateJobsRequest = named('ActivateJobsRequest', z.strictObject({
  type: text(), maxJobs: z.number().int().min(1).max(100),
  timeoutMs: z.number().int().min(1000).max(24 * 3600 * 1000).describe('the lease: no other worker gets these jobs until it passes'),
  worker: text(),
}));
export const CompleteJobRequest = named('CompleteJobRequest', z.strictObject({ variables: Variables.optional() }));
export const FailJobRequest = named('FailJobRequest', z.strictObject({
  retries: z.number().int().min(0).max(1000).describe('retries left; 0 raises an incident'),
  errorMessage: z.string().max(4096).optional(),
  retryBackoffMs: z.number().int().min(0).max(365 * 24 * 3600 * 1000).optional(),
}));
export const ThrowErrorRequest = named('ThrowErrorRequest', z.strictObject({
  errorCode: text(), errorMessage: z.string().max(4096).optional(), variables: Variables.optional(),
}));

// ---- tasks ----------------------------------------------------------------------------------

export const TaskList = named('TaskList', z.object({ items: z.array(Task) }));
export const TaskWithForm = named('TaskWithForm', Task.extend({ form: JsonValue.optional().describe('the embedded form (zeebe:userTaskForm), parsed') }));
export const CompleteTaskRequest = named('CompleteTaskRequest', z.strictObject({ variables: Variables.optional() }));

// ---- messages and signals -------------------------------------------------------------------

export const PublishMessageRequest = named('PublishMessageRequest', z.strictObject({
  name: text(), correlationKey: z.string().max(MAX_ID), variables: Variables.optional(),
  timeToLiveMs: z.number().int().min(0).max(365 * 24 * 3600 * 1000).optional().describe('> 0: kept that long for subscriptions opened later'),
  messageId: text().optional().describe('publishing the same message id again changes nothing'),
}));
export const PublishMessageResponse = named('PublishMessageResult', z.object({
  messageId: z.string(), correlated: z.number().int().describe('instances it was sent to (open subscriptions + instances it starts)'),
  started: z.number().int().describe('of those, instances started by a message start event'), buffered: z.boolean(),
}));
export const BroadcastSignalRequest = named('BroadcastSignalRequest', z.strictObject({
  name: text(), variables: Variables.optional(),
  signalId: text().optional().describe('broadcasting the same signal id again changes nothing'),
}));
export const BroadcastSignalResponse = named('BroadcastSignalResult', z.object({
  signalId: z.string(), signaled: z.number().int().describe('instances it was sent to (waiting instances + instances it starts)'),
  started: z.number().int().describe('of those, instances started by a signal start event'),
}));

export const EvaluateConditionsRequest = named('EvaluateConditionsRequest', z.strictObject({
  variables: Variables, definitionKey: text().optional().describe('only this process'),
  requestId: text().optional().describe('the same request id again starts nothing new'),
}));
export const EvaluateConditionsResponse = named('EvaluateConditionsResult', z.object({
  requestId: z.string(),
  started: z.array(z.object({ definitionKey: z.string(), startEventId: z.string(), instanceId: z.string() })),
}));

export const Health = named('Health', z.object({ status: z.literal('ok') }));
