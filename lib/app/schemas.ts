/**
 * Wire schemas (zod) for commands: what arrives on the queue or the API is checked
 * here, once, before the core sees it.
 */
// A namespace import lets the bundler drop the parts of zod nobody calls (its locales: ~270 KB).
import * as z from 'zod';
import { jsonBytes, LIMITS } from './limits.ts';

const MAX_ID = 256;
const id = z.string().min(1).max(MAX_ID);
export const variablesSchema = z.record(z.string(), z.json()).refine((v) => jsonBytes(v) <= LIMITS.variablesBytes, `variables are larger than ${LIMITS.variablesBytes} bytes`);

export const commandSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'), instanceId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), variables: variablesSchema.optional(), businessKey: z.string().max(MAX_ID).nullable().optional(), startEventId: id.optional(),
    parent: z.object({ instanceId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), callId: id }).optional(),
  }),
  z.object({ type: z.literal('completeJob'), jobId: id, variables: variablesSchema.optional() }),
  z.object({ type: z.literal('failJob'), jobId: id, retries: z.number().int().min(0).max(1000), errorMessage: z.string().max(4096).optional(), retryBackoffMs: z.number().int().min(0).max(365 * 24 * 3600 * 1000).optional() }),
  z.object({ type: z.literal('throwError'), jobId: id, errorCode: z.string().min(1).max(MAX_ID), errorMessage: z.string().max(4096).optional(), variables: variablesSchema.optional() }),
  z.object({ type: z.literal('completeTask'), taskId: id, variables: variablesSchema.optional() }),
  z.object({ type: z.literal('correlateMessage'), name: z.string().min(1).max(MAX_ID), correlationKey: z.string().max(MAX_ID), variables: variablesSchema.optional(), messageId: id.optional(), subscriptionId: id.optional() }),
  z.object({ type: z.literal('broadcastSignal'), name: z.string().min(1).max(MAX_ID), variables: variablesSchema.optional(), signalId: id.optional() }),
  z.object({ type: z.literal('fireTimer'), timerId: id }),
  z.object({ type: z.literal('resolveIncident'), incidentId: id, retries: z.number().int().min(1).max(1000).optional() }),
  z.object({ type: z.literal('deadCommand'), commandId: id, commandType: z.string().min(1).max(64), message: z.string().max(4096) }),
  z.object({ type: z.literal('setVariables'), variables: variablesSchema }),
  z.object({ type: z.literal('cancel'), byParent: z.boolean().optional() }),
  z.object({ type: z.literal('completeCall'), callId: id, childInstanceId: id, variables: variablesSchema.optional() }),
  z.object({ type: z.literal('callThrown'), callId: id, childInstanceId: id, kind: z.enum(['error', 'escalation']), code: z.string().min(1).max(MAX_ID), message: z.string().max(4096).nullable().optional() }),
  z.object({ type: z.literal('failCall'), callId: id, childInstanceId: id, message: z.string().max(4096) }),
  z.object({ type: z.literal('rollback'), toVersion: z.number().int().min(1) }),
  z.object({ type: z.literal('completeDecision'), requestId: id, decisionId: id, decisionVersion: z.number().int().min(1), result: z.json() }),
  z.object({ type: z.literal('failDecision'), requestId: id, message: z.string().max(4096) }),
]);

export const envelopeSchema = z.object({
  id: id,
  instanceId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  command: commandSchema,
  definition: z.object({ key: z.string().min(1).max(MAX_ID), version: z.number().int().min(1) }).optional(),
});
