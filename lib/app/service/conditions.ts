/**
 * Evaluating conditions (conditional start events at process level): the caller offers
 * variables, and every process (its latest version) with a conditional start event whose
 * FEEL condition holds over them starts there, with those variables. The candidates come
 * from the start registry (one Query, never a scan); each condition is evaluated by the
 * core (`matchingConditionalStarts`).
 *
 * Idempotent per request id: a started instance's id derives from the request id, the
 * definition and the start event, so the same request again starts nothing new.
 */
import { matchingConditionalStarts } from '../../core/bpmn/conditional-starts.ts';
import type { JsonObject } from '../../core/json.ts';
import { CONDITIONAL_STARTS } from '../definitions.ts';
import { envelope } from './commands.ts';
import type { ServiceDeps } from './deps.ts';
import { messageInstanceId, newCommandId } from './ids.ts';

export interface EvaluateConditionsInput {
  variables: JsonObject;
  /** Only this process; all processes with conditional start events otherwise. */
  definitionKey?: string | undefined;
  requestId?: string | undefined;
}

export interface EvaluateConditionsResult {
  requestId: string;
  started: Array<{ definitionKey: string; startEventId: string; instanceId: string }>;
}

export async function evaluateConditions(deps: ServiceDeps, input: EvaluateConditionsInput): Promise<EvaluateConditionsResult> {
  const requestId = input.requestId ?? newCommandId();
  const now = deps.clock.now();
  const candidates = (await deps.definitions.messageStarts(CONDITIONAL_STARTS)).filter((s) => !input.definitionKey || s.definitionKey === input.definitionKey);
  const started: EvaluateConditionsResult['started'] = [];
  const envelopes = [];
  for (const start of candidates) {
    const definition = await deps.resolver.resolve(start.definitionKey, start.version);
    const { startEventIds, problems } = matchingConditionalStarts(definition, input.variables, now);
    for (const problem of problems) deps.logger.warn('conditional start condition failed to evaluate; treated as false', { requestId, definitionKey: start.definitionKey, problem });
    if (!startEventIds.includes(start.startEventId)) continue;
    const instanceId = messageInstanceId(`cond:${requestId}:${start.startEventId}`, start.definitionKey);
    started.push({ definitionKey: start.definitionKey, startEventId: start.startEventId, instanceId });
    envelopes.push(envelope(instanceId, `cond:${requestId}:${instanceId}`, { type: 'start', instanceId, variables: input.variables, startEventId: start.startEventId }, { key: start.definitionKey, version: start.version }));
  }
  if (envelopes.length > 0) await deps.commands.send(envelopes);
  deps.logger.info('conditions evaluated', { requestId, candidates: candidates.length, started: started.length });
  return { requestId, started };
}
