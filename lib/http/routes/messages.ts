/** /v1/messages, /v1/signals and /v1/conditions: events from outside. */
import type { ServiceDeps } from '../../app/service/deps.ts';
import { publishMessage } from '../../app/service/messages.ts';
import { broadcastSignal } from '../../app/service/signals.ts';
import { evaluateConditions } from '../../app/service/conditions.ts';
import { errors, json } from '../response.ts';
import { route, type Route } from '../router.ts';
import { BroadcastSignalRequest, BroadcastSignalResponse, EvaluateConditionsRequest, EvaluateConditionsResponse, PublishMessageRequest, PublishMessageResponse } from '../schemas.ts';

export function messageRoutes(deps: ServiceDeps): Route[] {
  return [
    route({
      method: 'POST', path: '/v1/messages', operationId: 'publishMessage', tag: 'messages',
      summary: 'Publish a message',
      description: 'Correlates to every instance with an open subscription of that name and correlation key, and starts the latest version of every process whose message start event has that name. With `timeToLiveMs` > 0 the message also waits that long for subscriptions opened later. The correlations are queued (202); the same `messageId` again changes nothing.',
      body: { json: PublishMessageRequest },
      responses: { 202: { description: 'queued for the instances it reaches', schema: PublishMessageResponse }, ...errors([400, 'invalid input']) },
      handle: async ({ body }) => json(202, await publishMessage(deps, body)),
    }),
    route({
      method: 'POST', path: '/v1/signals', operationId: 'broadcastSignal', tag: 'messages',
      summary: 'Broadcast a signal',
      description: 'Reaches every instance waiting for a signal of that name (signal catch events, boundary events and event subprocess starts: all of them in each instance) and starts the latest version of every process with a signal start event of that name. Signals are not kept: one nobody waits for is gone. The deliveries are queued (202); the same `signalId` again changes nothing.',
      body: { json: BroadcastSignalRequest },
      responses: { 202: { description: 'queued for the instances it reaches', schema: BroadcastSignalResponse }, ...errors([400, 'invalid input']) },
      handle: async ({ body }) => json(202, await broadcastSignal(deps, body)),
    }),
    route({
      method: 'POST', path: '/v1/conditions', operationId: 'evaluateConditions', tag: 'messages',
      summary: 'Evaluate conditional start events',
      description: 'Starts the latest version of every process (or of `definitionKey` only) with a conditional start event whose FEEL condition holds over `variables`, at that start event and with those variables. A condition that fails to evaluate counts as false (and is logged). The starts are queued (202); the same `requestId` again starts nothing new.',
      body: { json: EvaluateConditionsRequest },
      responses: { 202: { description: 'the instances it starts', schema: EvaluateConditionsResponse }, ...errors([400, 'invalid input']) },
      handle: async ({ body }) => json(202, await evaluateConditions(deps, body)),
    }),
  ];
}
