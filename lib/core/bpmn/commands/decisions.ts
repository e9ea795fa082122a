/**
 * The answers to a business rule task's `decision.evaluate` effect. A stale answer (the
 * task ended, the request was answered already or replaced by a rollback) is a rejection.
 *
 *   task activated -> DecisionRequested + effect decision.evaluate -> (waits)
 *   completeDecision -> DecisionEvaluated -> resultVariable set -> output mappings -> completed
 *   failDecision     -> DecisionFailed -> incident (resolve: the task is entered again,
 *                       which requests the decision again)
 */
import type { Command, Rejection } from '../../commands.ts';
import { REJECTIONS } from '../../commands.ts';
import { toJson } from '../../json.ts';
import type { Context } from '../context.ts';
import { splitGlobalId, type DecisionRequest } from '../../state/types.ts';

const reject = (code: Rejection['code'], message: string): Rejection => ({ code, message });

function findRequest(run: Context, requestId: string): DecisionRequest | Rejection {
  const parts = splitGlobalId(String(requestId));
  const request = parts && parts.instanceId === run.state.instanceId ? run.state.decisions?.[parts.key] : undefined;
  return request ?? reject(REJECTIONS.notFound, `decision request '${requestId}' is not open (answered, canceled or never made)`);
}

export function completeDecision(run: Context, command: Extract<Command, { type: 'completeDecision' }>): Rejection | null {
  const request = findRequest(run, command.requestId);
  if ('code' in request) return request;
  if (command.decisionId !== request.decisionId) {
    return reject(REJECTIONS.invalidCommand, `decision request '${command.requestId}' asked for decision '${request.decisionId}', not '${command.decisionId}'`);
  }
  if (!Number.isInteger(command.decisionVersion) || command.decisionVersion < 1) return reject(REJECTIONS.invalidCommand, 'decisionVersion must be a positive whole number');
  const result = toJson(command.result);
  if (result === undefined) return reject(REJECTIONS.invalidCommand, 'result must be JSON data');
  const el = run.element(run.instance(request.ei)?.elementId ?? '');
  run.emit({ type: 'DecisionEvaluated', key: request.key, decisionId: request.decisionId, decisionVersion: command.decisionVersion });
  const resultVariable = el.kind === 'businessRuleTask' && el.decision ? el.decision.resultVariable : 'result';
  run.acceptVariables(request.ei, { [resultVariable]: result });
  run.later(() => run.complete(request.ei));
  return null;
}

export function failDecision(run: Context, command: Extract<Command, { type: 'failDecision' }>): Rejection | null {
  const request = findRequest(run, command.requestId);
  if ('code' in request) return request;
  const message = String(command.message ?? 'decision evaluation failed');
  run.emit({ type: 'DecisionFailed', key: request.key, message });
  run.incident(request.ei, 'decision', message, 'activate');
  return null;
}

/** Rollback: each request open in the restored state is made again under a new id. */
export function reopenDecisions(run: Context): void {
  for (const request of Object.values(run.state.decisions ?? {})) {
    const ei = run.instance(request.ei);
    if (!ei) continue;
    const key = run.newKey();
    const { decisionId, bindingType, versionTag } = request;
    run.emit({ type: 'DecisionCanceled', key: request.key });
    run.emit({ type: 'DecisionRequested', key, ei: request.ei, decisionId, bindingType, versionTag });
    run.effect({
      type: 'decision.evaluate', requestId: run.id(key), instanceId: run.state.instanceId, elementId: ei.elementId,
      decisionId, bindingType, versionTag, variables: run.visible(request.ei),
    });
  }
}
