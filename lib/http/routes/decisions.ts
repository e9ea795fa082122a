/** /v1/decisions: the DMN decisions deployed (through POST /v1/definitions) and their versions. */
import { getDecision, listDecisions } from '../../app/service/decisions.ts';
import type { ServiceDeps } from '../../app/service/deps.ts';
import { errors, ok } from '../response.ts';
import { route, type Route } from '../router.ts';
import { Decision, DecisionList, DecisionParam } from '../schemas.ts';

export function decisionRoutes(deps: ServiceDeps): Route[] {
  return [
    route({
      method: 'GET', path: '/v1/decisions', operationId: 'listDecisions', tag: 'decisions',
      summary: 'List deployed DMN decisions with their latest version',
      description: 'Decisions are deployed with POST /v1/definitions (a DMN 1.3 document): each decision of the document becomes a new version of its id; the same XML again keeps its versions.',
      responses: { 200: { description: 'every decision id', schema: DecisionList } },
      handle: async () => ok({ items: await listDecisions(deps) }),
    }),
    route({
      method: 'GET', path: '/v1/decisions/{id}', operationId: 'getDecision', tag: 'decisions',
      summary: "A decision's versions", params: DecisionParam,
      responses: { 200: { description: 'its versions, oldest first', schema: Decision }, ...errors([404, 'unknown decision id']) },
      handle: async ({ params }) => ok(await getDecision(deps, params.id)),
    }),
  ];
}
