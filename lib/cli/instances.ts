/**
 * Instance commands: `start`, `get`, `list`, `history`, `rollback`, `cancel`, `resolve`.
 */
import { Option, type Command } from 'commander';
import type { JsonObject } from '../core/json.ts';
import { INSTANCE_STATUSES, type InstanceStatus } from '../worker/types.ts';
import type { CliContext } from './context.ts';
import { renderCommand, renderHistory, renderInstance, renderInstances, renderStart } from './render.ts';
import { apiCommand, json, waitOption, withApi, type RemoteOptions } from './remote.ts';
import { cell } from './table.ts';
import { collectVar, parseVarsJson, wholeNumber } from './vars.ts';

interface StartOptions extends RemoteOptions {
  var?: JsonObject;
  varsJson?: JsonObject;
  businessKey?: string;
  version?: number;
  wait?: number;
}

interface ListOptions extends RemoteOptions {
  definition: string;
  status?: InstanceStatus;
  limit?: number;
  cursor?: string;
}

type WaitOptions = RemoteOptions & { wait?: number };

/** `--var k=v` (repeatable) and `--vars-json '{...}'`, for every command that sends variables. */
export function withVariables(command: Command): Command {
  return command
    .option('--var <k=v>', 'a variable; v is parsed as JSON when it parses, else taken as text (repeatable)', collectVar)
    .option('--vars-json <json>', 'variables as one JSON object (--var wins on the same name)', parseVarsJson);
}

/** The variables of `--vars-json` and `--var`, merged. */
export const variablesOf = (options: { var?: JsonObject; varsJson?: JsonObject }): JsonObject => ({ ...options.varsJson, ...options.var });

const waitMs = (options: { wait?: number }): { waitMs?: number } => (options.wait === undefined ? {} : { waitMs: options.wait });

function registerStart(program: Command, ctx: CliContext): void {
  withVariables(apiCommand(program, 'start', 'start an instance of a deployed definition'))
    .argument('<definitionKey>', 'the process id of the definition')
    .option('--business-key <key>', 'a business key for the instance')
    .option('--version <n>', 'a deployed version (default: the latest)', wholeNumber(1))
    .addOption(waitOption().argParser(wholeNumber()))
    .action(async (definitionKey: string, options: StartOptions, command: Command) => {
      const request = {
        definitionKey,
        variables: variablesOf(options),
        ...(options.businessKey === undefined ? {} : { businessKey: options.businessKey }),
        ...(options.version === undefined ? {} : { version: options.version }),
      };
      await withApi(ctx, command, options, `starting ${definitionKey}`, (client) => client.startInstance(request, waitMs(options)),
        (result) => ctx.out(options.json ? json(result.body) : renderStart(result)));
    });
}

function registerReads(program: Command, ctx: CliContext): void {
  apiCommand(program, 'get', 'show an instance: status, variables, active elements, incidents, jobs, tasks')
    .argument('<instanceId>')
    .action(async (instanceId: string, options: RemoteOptions, command: Command) => {
      await withApi(ctx, command, options, `loading ${instanceId}`, (client) => client.getInstance(instanceId),
        (instance) => ctx.out(options.json ? json(instance) : renderInstance(instance)));
    });

  apiCommand(program, 'list', 'list the instances of a definition')
    .requiredOption('--definition <key>', 'the definition key (process id)')
    .addOption(new Option('--status <status>', 'only instances in this status (the API\'s default: active)').choices(INSTANCE_STATUSES))
    .option('--limit <n>', 'at most this many', wholeNumber(1))
    .option('--cursor <cursor>', 'the next page, from the previous answer')
    .action(async (options: ListOptions, command: Command) => {
      const query = {
        definitionKey: options.definition,
        ...(options.status === undefined ? {} : { status: options.status }),
        ...(options.limit === undefined ? {} : { limit: options.limit }),
        ...(options.cursor === undefined ? {} : { cursor: options.cursor }),
      };
      await withApi(ctx, command, options, 'loading instances', (client) => client.listInstances(query),
        (page) => ctx.out(options.json ? json(page) : renderInstances(page)));
    });

  apiCommand(program, 'history', 'list the versions of an instance: each command and its events')
    .argument('<instanceId>')
    .option('--after <version>', 'versions after this one (the next page)', wholeNumber())
    .option('--limit <n>', 'at most this many', wholeNumber(1))
    .action(async (instanceId: string, options: RemoteOptions & { after?: number; limit?: number }, command: Command) => {
      const query = { ...(options.after === undefined ? {} : { after: options.after }), ...(options.limit === undefined ? {} : { limit: options.limit }) };
      await withApi(ctx, command, options, `loading the history of ${instanceId}`, (client) => client.getHistory(instanceId, query),
        (history) => ctx.out(options.json ? json(history) : renderHistory(history)));
    });
}

function registerCommands(program: Command, ctx: CliContext): void {
  apiCommand(program, 'rollback', 'make a new version of the instance whose state is that of an older version')
    .argument('<instanceId>')
    .argument('<toVersion>', 'the version to go back to', wholeNumber(1))
    .addOption(waitOption().argParser(wholeNumber()))
    .action(async (instanceId: string, toVersion: number, options: WaitOptions, command: Command) => {
      await withApi(ctx, command, options, `rolling back ${instanceId}`, (client) => client.rollback(instanceId, toVersion, waitMs(options)),
        (result) => ctx.out(options.json ? json(result.body) : renderCommand(result, {
          done: `rolled back instance ${cell(instanceId)} to version ${toVersion}`, todo: `roll back instance ${cell(instanceId)} to version ${toVersion}`,
        })));
    });

  apiCommand(program, 'cancel', 'cancel an instance')
    .argument('<instanceId>')
    .addOption(waitOption().argParser(wholeNumber()))
    .action(async (instanceId: string, options: WaitOptions, command: Command) => {
      await withApi(ctx, command, options, `canceling ${instanceId}`, (client) => client.cancel(instanceId, waitMs(options)),
        (result) => ctx.out(options.json ? json(result.body) : renderCommand(result, { done: `canceled instance ${cell(instanceId)}`, todo: `cancel instance ${cell(instanceId)}` })));
    });

  apiCommand(program, 'resolve', 'resolve an incident: retry what failed')
    .argument('<instanceId>')
    .argument('<incidentId>')
    .option('--retries <n>', 'the retries a failed job gets back', wholeNumber(1))
    .addOption(waitOption().argParser(wholeNumber()))
    .action(async (instanceId: string, incidentId: string, options: WaitOptions & { retries?: number }, command: Command) => {
      const request = options.retries === undefined ? {} : { retries: options.retries };
      await withApi(ctx, command, options, `resolving ${incidentId}`, (client) => client.resolveIncident(instanceId, incidentId, request, waitMs(options)),
        (result) => ctx.out(options.json ? json(result.body) : renderCommand(result, { done: `resolved incident ${cell(incidentId)}`, todo: `resolve incident ${cell(incidentId)}` })));
    });
}

export function registerInstances(program: Command, ctx: CliContext): void {
  registerStart(program, ctx);
  registerReads(program, ctx);
  registerCommands(program, ctx);
}
