/**
 * `sbpmn deploy <files...>` and `sbpmn definitions [key]`.
 *
 * Deploy sends each file on its own (`POST /v1/definitions`), so one invalid model
 * neither hides nor blocks the others: exit 1 when some file failed, 3 at once when
 * the API does not answer.
 */
import type { Command } from 'commander';
import { ApiError, ApiUnreachableError } from '../worker/errors.ts';
import type { DecisionDetail, DecisionSummary, DefinitionDetail, DefinitionSummary, DeployResult, ErrorDetail } from '../worker/types.ts';
import { EXIT, type CliContext } from './context.ts';
import { inert } from './output.ts';
import { readBpmnFile } from './read.ts';
import { apiCommand, clientFor, describeApiError, json, reportFailure, withApi, type RemoteOptions } from './remote.ts';
import { spin } from './spinner.ts';
import { cell, table, time } from './table.ts';

/** One file of `deploy --json`. */
export type DeployOutcome =
  | { file: string; ok: true; deployed: DeployResult['deployed'] }
  | { file: string; ok: false; error: { status: number | null; code: string; message: string; details: ErrorDetail[] } };

function renderDeployed(outcomes: readonly DeployOutcome[]): string {
  const rows = outcomes.flatMap((o) => (o.ok ? o.deployed.map((d) => [inert(o.file), cell(d.key), cell(d.version)]) : []));
  return rows.length > 0 ? table(['FILE', 'KEY', 'VERSION'], rows) : '';
}

async function deployFiles(ctx: CliContext, command: Command, files: readonly string[], options: RemoteOptions): Promise<void> {
  const client = clientFor(ctx, command, options);
  const outcomes: DeployOutcome[] = [];
  for (const file of files) {
    const read = await readBpmnFile(file);
    if (!read.ok) {
      outcomes.push({ file, ok: false, error: { status: null, code: 'unreadable', message: read.message, details: [] } });
      ctx.err(`error: ${inert(read.message)}\n`);
      continue;
    }
    try {
      const result = await spin(ctx, `deploying ${file}`, () => client.deploy(read.text));
      outcomes.push({ file, ok: true, deployed: Array.isArray(result.deployed) ? result.deployed : [] });
    } catch (error) {
      if (error instanceof ApiUnreachableError) {
        reportFailure(ctx, error);
        return;
      }
      if (!(error instanceof ApiError)) throw error;
      outcomes.push({ file, ok: false, error: { status: error.status, code: error.code, message: error.message, details: error.details } });
      ctx.err(describeApiError(error, `${file}: `));
    }
  }
  ctx.out(options.json ? json(outcomes) : renderDeployed(outcomes));
  ctx.exit(outcomes.every((o) => o.ok) ? EXIT.ok : EXIT.failed);
}

function renderDefinitions(answer: { items: DefinitionSummary[] } | DefinitionDetail): string {
  if ('versions' in answer) {
    const versions = Array.isArray(answer.versions) ? answer.versions : [];
    return `${cell(answer.key)}\n${table(['VERSION', 'DEPLOYED', 'HASH'], versions.map((v) => [cell(v.version), time(v.deployedAt), cell(v.hash)]))}`;
  }
  const items = Array.isArray(answer.items) ? answer.items : [];
  if (items.length === 0) return 'no definitions deployed\n';
  return table(['KEY', 'LATEST VERSION', 'DEPLOYED'], items.map((d) => [cell(d.key), cell(d.latestVersion), time(d.deployedAt)]));
}

function renderDecisions(answer: { items: DecisionSummary[] } | DecisionDetail): string {
  if ('versions' in answer) {
    const versions = Array.isArray(answer.versions) ? answer.versions : [];
    return `${cell(answer.decisionId)}\n${table(['VERSION', 'NAME', 'TAG', 'DEPLOYED', 'HASH'], versions.map((v) => [cell(v.version), cell(v.name ?? ''), cell(v.versionTag ?? ''), time(v.deployedAt), cell(v.hash)]))}`;
  }
  const items = Array.isArray(answer.items) ? answer.items : [];
  if (items.length === 0) return 'no decisions deployed\n';
  return table(['DECISION', 'LATEST VERSION', 'DEPLOYED'], items.map((d) => [cell(d.decisionId), cell(d.latestVersion), time(d.deployedAt)]));
}

export function registerDeploy(program: Command, ctx: CliContext): void {
  apiCommand(program, 'deploy', 'deploy BPMN and DMN files to the engine (each file on its own)')
    .argument('<files...>', 'BPMN 2.0 or DMN 1.3 XML files')
    .action(async (files: string[], options: RemoteOptions, command: Command) => {
      await deployFiles(ctx, command, files, options);
    });

  apiCommand(program, 'definitions', 'list the deployed definitions, or the versions of one')
    .argument('[key]', 'a definition key (process id)')
    .action(async (key: string | undefined, options: RemoteOptions, command: Command) => {
      await withApi(ctx, command, options, key ? `loading ${key}` : 'loading definitions',
        (client): Promise<{ items: DefinitionSummary[] } | DefinitionDetail> => (key ? client.getDefinition(key) : client.listDefinitions()),
        (answer) => ctx.out(options.json ? json(answer) : renderDefinitions(answer)));
    });

  apiCommand(program, 'decisions', 'list the deployed DMN decisions, or the versions of one')
    .argument('[decisionId]', 'a decision id')
    .action(async (decisionId: string | undefined, options: RemoteOptions, command: Command) => {
      await withApi(ctx, command, options, decisionId ? `loading ${decisionId}` : 'loading decisions',
        (client): Promise<{ items: DecisionSummary[] } | DecisionDetail> => (decisionId ? client.getDecision(decisionId) : client.listDecisions()),
        (answer) => ctx.out(options.json ? json(answer) : renderDecisions(answer)));
    });
}
