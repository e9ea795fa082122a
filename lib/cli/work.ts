/**
 * Work and events: `jobs`, `complete-job`, `tasks`, `complete-task`, `message`, `signal`.
 */
import type { Command } from 'commander';
import type { JsonObject } from '../core/json.ts';
import type { ActivatedJob, PublishMessageResult, UserTask } from '../worker/types.ts';
import type { CliContext } from './context.ts';
import { variablesOf, withVariables } from './instances.ts';
import { renderCommand } from './render.ts';
import { apiCommand, json, usageError, waitOption, withApi, type RemoteOptions } from './remote.ts';
import { cell, table } from './table.ts';
import { wholeNumber } from './vars.ts';

type VarOptions = RemoteOptions & { var?: JsonObject; varsJson?: JsonObject; wait?: number };

const list = <T>(value: T[] | undefined): T[] => (Array.isArray(value) ? value : []);
const waitMs = (options: { wait?: number }): { waitMs?: number } => (options.wait === undefined ? {} : { waitMs: options.wait });

function renderJobs(jobs: ActivatedJob[]): string {
  if (jobs.length === 0) return 'no jobs\n';
  return table(['JOB', 'TYPE', 'INSTANCE', 'ELEMENT', 'RETRIES'], jobs.map((j) => [cell(j.jobId), cell(j.type), cell(j.instanceId), cell(j.elementId), cell(j.retries)]));
}

function renderTasks(tasks: UserTask[]): string {
  if (tasks.length === 0) return 'no tasks\n';
  const rows = tasks.map((t) => [cell(t.taskId), cell(t.name), cell(t.elementId), cell(t.instanceId), cell(t.assignee), cell(t.candidateGroups)]);
  return table(['TASK', 'NAME', 'ELEMENT', 'INSTANCE', 'ASSIGNEE', 'GROUPS'], rows);
}

const instances = (n: number): string => `${n} instance${n === 1 ? '' : 's'}`;

/** `published message paid (m-1): correlated to 1 instance` */
function renderMessage(name: string, result: PublishMessageResult): string {
  const { correlated, started, buffered } = result;
  const count = typeof correlated === 'number' ? correlated : correlated ? 1 : 0;
  let outcome = typeof correlated === 'number' ? `correlated to ${instances(count)}` : 'correlated';
  if (count === 0) outcome = buffered === false ? 'not correlated (nothing waits for it)' : 'not correlated yet (kept until it expires)';
  else if (started) outcome += ` (${started} started by it)`;
  return `published message ${cell(name)} (${cell(result.messageId)}): ${outcome}\n`;
}

function registerJobs(program: Command, ctx: CliContext): void {
  apiCommand(program, 'jobs', 'list the open jobs of a type or of an instance')
    .option('--type <type>', 'the job type (zeebe:taskDefinition type)')
    .option('--instance <instanceId>', 'the jobs of one instance')
    .action(async (options: RemoteOptions & { type?: string; instance?: string }, command: Command) => {
      if (options.type === undefined && options.instance === undefined) usageError(command, 'jobs needs --type <type> or --instance <instanceId>');
      const query = { ...(options.type === undefined ? {} : { type: options.type }), ...(options.instance === undefined ? {} : { instanceId: options.instance }) };
      await withApi(ctx, command, options, 'loading jobs', (client) => client.listJobs(query),
        (answer) => ctx.out(options.json ? json(answer) : renderJobs(list(answer.items))));
    });

  withVariables(apiCommand(program, 'complete-job', 'complete a job, with variables'))
    .argument('<jobId>')
    .addOption(waitOption().argParser(wholeNumber()))
    .action(async (jobId: string, options: VarOptions, command: Command) => {
      await withApi(ctx, command, options, `completing ${jobId}`, (client) => client.completeJob(jobId, variablesOf(options), waitMs(options)),
        (result) => ctx.out(options.json ? json(result.body) : renderCommand(result, { done: `completed job ${cell(jobId)}`, todo: `complete job ${cell(jobId)}` })));
    });
}

function registerTasks(program: Command, ctx: CliContext): void {
  apiCommand(program, 'tasks', 'list open user tasks')
    .option('--group <group>', 'tasks offered to this candidate group')
    .option('--assignee <user>', 'tasks assigned to this user')
    .option('--instance <instanceId>', 'the tasks of one instance')
    .action(async (options: RemoteOptions & { group?: string; assignee?: string; instance?: string }, command: Command) => {
      const query = {
        ...(options.group === undefined ? {} : { candidateGroup: options.group }),
        ...(options.assignee === undefined ? {} : { assignee: options.assignee }),
        ...(options.instance === undefined ? {} : { instanceId: options.instance }),
      };
      await withApi(ctx, command, options, 'loading tasks', (client) => client.listTasks(query),
        (answer) => ctx.out(options.json ? json(answer) : renderTasks(list(answer.items))));
    });

  withVariables(apiCommand(program, 'complete-task', 'complete a user task, with variables'))
    .argument('<taskId>')
    .addOption(waitOption().argParser(wholeNumber()))
    .action(async (taskId: string, options: VarOptions, command: Command) => {
      await withApi(ctx, command, options, `completing ${taskId}`, (client) => client.completeTask(taskId, variablesOf(options), waitMs(options)),
        (result) => ctx.out(options.json ? json(result.body) : renderCommand(result, { done: `completed task ${cell(taskId)}`, todo: `complete task ${cell(taskId)}` })));
    });
}

function registerEvents(program: Command, ctx: CliContext): void {
  withVariables(apiCommand(program, 'message', 'publish a message; it correlates to the instance waiting for it'))
    .argument('<name>', 'the message name')
    .argument('<correlationKey>')
    .option('--ttl <ms>', 'how long an uncorrelated message waits for a subscriber', wholeNumber())
    .action(async (name: string, correlationKey: string, options: VarOptions & { ttl?: number }, command: Command) => {
      const request = { name, correlationKey, variables: variablesOf(options), ...(options.ttl === undefined ? {} : { timeToLiveMs: options.ttl }) };
      await withApi(ctx, command, options, `publishing ${name}`, (client) => client.publishMessage(request),
        (result) => ctx.out(options.json ? json(result) : renderMessage(name, result)));
    });

  withVariables(apiCommand(program, 'signal', 'broadcast a signal to every instance that waits for it, and start its signal start events'))
    .argument('<name>', 'the signal name')
    .option('--id <signalId>', 'the same signal id again changes nothing')
    .action(async (name: string, options: VarOptions & { id?: string }, command: Command) => {
      const request = { name, variables: variablesOf(options), ...(options.id === undefined ? {} : { signalId: options.id }) };
      await withApi(ctx, command, options, `broadcasting ${name}`, (client) => client.broadcastSignal(request),
        (result) => ctx.out(options.json ? json(result) : `broadcast signal ${cell(name)}${typeof result.signaled === 'number' ? ` to ${instances(result.signaled)}` : ''}`
          + `${typeof result.started === 'number' && result.started > 0 ? ` (${instances(result.started)} started)` : ''}\n`));
    });

  withVariables(apiCommand(program, 'conditions', 'offer variables to the conditional start events: start every process whose condition holds'))
    .option('--definition <key>', 'only this process')
    .option('--id <requestId>', 'the same request id again starts nothing new')
    .action(async (options: VarOptions & { definition?: string; id?: string }, command: Command) => {
      const request = {
        variables: variablesOf(options),
        ...(options.definition === undefined ? {} : { definitionKey: options.definition }),
        ...(options.id === undefined ? {} : { requestId: options.id }),
      };
      await withApi(ctx, command, options, 'evaluating conditions', (client) => client.evaluateConditions(request),
        (result) => ctx.out(options.json ? json(result) : renderStarted(result.started)));
    });
}

function renderStarted(started: Array<{ definitionKey: string; startEventId: string; instanceId: string }>): string {
  if (!Array.isArray(started) || started.length === 0) return 'no conditional start event holds: nothing started\n';
  return table(['DEFINITION', 'START EVENT', 'INSTANCE'], started.map((s) => [cell(s.definitionKey), cell(s.startEventId), cell(s.instanceId)]));
}

export function registerWork(program: Command, ctx: CliContext): void {
  registerJobs(program, ctx);
  registerTasks(program, ctx);
  registerEvents(program, ctx);
}
