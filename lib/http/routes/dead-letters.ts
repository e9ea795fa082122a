/** /v1/dead-letters: commands that failed for good (see lib/app/dead-letters.ts): list, read, redrive. */
import { getDeadCommand, listDeadCommands, redrive } from '../../app/service/dead-letters.ts';
import type { ServiceDeps } from '../../app/service/deps.ts';
import { commandOptions, errors, IDEMPOTENCY_HEADER, json, ok } from '../response.ts';
import { route, type Route } from '../router.ts';
import { DeadCommand, DeadCommandList, DeadCommandParam, DeadLettersQuery, RedriveResult, WaitQuery } from '../schemas.ts';

export function deadLetterRoutes(deps: ServiceDeps): Route[] {
  return [
    route({
      method: 'GET', path: '/v1/dead-letters', operationId: 'listDeadLetters', tag: 'operations',
      summary: 'Commands that failed for good', description: 'Each one also shows as an incident on its instance; redrive it once the cause is fixed.',
      query: DeadLettersQuery,
      responses: { 200: { description: 'dead commands, oldest command id first', schema: DeadCommandList }, ...errors([400, 'invalid input']) },
      handle: async ({ query }) => ok(await listDeadCommands(deps, query)),
    }),
    route({
      method: 'GET', path: '/v1/dead-letters/{commandId}', operationId: 'getDeadLetter', tag: 'operations',
      summary: 'One dead command, with the command as it was queued', params: DeadCommandParam,
      responses: { 200: { description: 'the dead command', schema: DeadCommand }, ...errors([404, 'no such dead command']) },
      handle: async ({ params }) => ok(await getDeadCommand(deps, params.commandId)),
    }),
    route({
      method: 'POST', path: '/v1/dead-letters/{commandId}/redrive', operationId: 'redriveDeadLetter', tag: 'operations',
      summary: 'Send a dead command to its instance again', params: DeadCommandParam, query: WaitQuery, headers: [IDEMPOTENCY_HEADER],
      description: 'Resolves its incident when the instance has one (which sends the command), else queues it again. Under its own id: applied at most once.',
      responses: { 202: { description: 'sent again', schema: RedriveResult }, ...errors([404, 'no such dead command'], [409, 'its incident is no longer open']) },
      handle: async (req) => json(202, await redrive(deps, req.params.commandId, commandOptions(req))),
    }),
  ];
}
