/** /v1/instances: start, list, read (now, at a version, history), and commands on an instance. */
import type { ServiceDeps } from '../../app/service/deps.ts';
import {
  cancelInstance, getInstance, getInstanceVersion, history, listInstances, resolveIncident, rollbackInstance, setVariables, startInstance,
} from '../../app/service/instances.ts';
import { commandOptions, commandResponse, commandResponses, errors, IDEMPOTENCY_HEADER, ok } from '../response.ts';
import { route, type Route } from '../router.ts';
import {
  CommandAccepted, CommandApplied, ErrorBody, History, HistoryQuery, IncidentParams, Instance, InstanceAtVersion, InstanceList, InstanceParam,
  InstanceVersionParams, ListInstancesQuery, ResolveIncidentRequest, RollbackRequest, SetVariablesRequest, StartInstanceRequest, WaitQuery,
} from '../schemas.ts';

export function instanceRoutes(deps: ServiceDeps): Route[] {
  return [
    route({
      method: 'POST', path: '/v1/instances', operationId: 'startInstance', tag: 'instances',
      summary: 'Start an instance of a definition (by default its latest version)',
      description: 'With an Idempotency-Key the instance id derives from the key: a retried request starts nothing new.',
      query: WaitQuery, body: { json: StartInstanceRequest }, headers: [IDEMPOTENCY_HEADER],
      responses: {
        201: { description: 'started', schema: CommandApplied },
        202: { description: 'queued; not started within `wait` (it will be)', schema: CommandAccepted },
        400: { description: 'invalid input', schema: ErrorBody },
        404: { description: 'unknown definition (key or version)', schema: ErrorBody },
        409: { description: 'refused (e.g. the process has no none start event)', schema: ErrorBody },
      },
      handle: async (req) => commandResponse(await startInstance(deps, req.body, commandOptions(req)), 201),
    }),
    route({
      method: 'GET', path: '/v1/instances', operationId: 'listInstances', tag: 'instances',
      summary: "List a definition's instances by status, newest first",
      description: 'Pages through the byStatus index: finished instances never slow down listing active ones.',
      query: ListInstancesQuery,
      responses: { 200: { description: 'a page', schema: InstanceList }, ...errors([400, 'invalid query']) },
      handle: async ({ query }) => ok(await listInstances(deps, query)),
    }),
    route({
      method: 'GET', path: '/v1/instances/{id}', operationId: 'getInstance', tag: 'instances',
      summary: 'An instance now: status, variables, tokens, incidents, open jobs and tasks', params: InstanceParam,
      responses: { 200: { description: 'the instance', schema: Instance }, ...errors([404, 'unknown instance']) },
      handle: async ({ params }) => ok(await getInstance(deps, params.id)),
    }),
    route({
      method: 'GET', path: '/v1/instances/{id}/history', operationId: 'getInstanceHistory', tag: 'instances',
      summary: "An instance's versions: each command with the events it caused", params: InstanceParam, query: HistoryQuery,
      responses: { 200: { description: 'versions after `after`, oldest first', schema: History }, ...errors([404, 'unknown instance']) },
      handle: async ({ params, query }) => ok(await history(deps, params.id, query)),
    }),
    route({
      method: 'GET', path: '/v1/instances/{id}/versions/{version}', operationId: 'getInstanceVersion', tag: 'instances',
      summary: 'An instance as one version left it (time travel)', params: InstanceVersionParams,
      responses: { 200: { description: 'the state at that version', schema: InstanceAtVersion }, ...errors([404, 'unknown instance or version']) },
      handle: async ({ params }) => ok(await getInstanceVersion(deps, params.id, params.version)),
    }),
    route({
      method: 'POST', path: '/v1/instances/{id}/cancel', operationId: 'cancelInstance', tag: 'instances',
      summary: 'Cancel an instance', params: InstanceParam, query: WaitQuery, headers: [IDEMPOTENCY_HEADER],
      responses: commandResponses(),
      handle: async (req) => commandResponse(await cancelInstance(deps, req.params.id, commandOptions(req))),
    }),
    route({
      method: 'POST', path: '/v1/instances/{id}/rollback', operationId: 'rollbackInstance', tag: 'instances',
      summary: 'Continue from the state of an earlier version',
      description: 'A new version whose state is that of `toVersion`; nothing is rewritten. Open jobs and tasks get new ids. Works on ended instances too.',
      params: InstanceParam, query: WaitQuery, body: { json: RollbackRequest }, headers: [IDEMPOTENCY_HEADER],
      responses: commandResponses(),
      handle: async (req) => commandResponse(await rollbackInstance(deps, req.params.id, req.body.toVersion, commandOptions(req))),
    }),
    route({
      method: 'POST', path: '/v1/instances/{id}/variables', operationId: 'setVariables', tag: 'instances',
      summary: "Set variables in the instance's root scope", params: InstanceParam, query: WaitQuery, body: { json: SetVariablesRequest }, headers: [IDEMPOTENCY_HEADER],
      responses: commandResponses(),
      handle: async (req) => commandResponse(await setVariables(deps, req.params.id, req.body.variables, commandOptions(req))),
    }),
    route({
      method: 'POST', path: '/v1/instances/{id}/incidents/{incidentId}/resolve', operationId: 'resolveIncident', tag: 'instances',
      summary: 'Resolve an incident (a failed job gets `retries` back)', params: IncidentParams, query: WaitQuery, body: { json: ResolveIncidentRequest }, headers: [IDEMPOTENCY_HEADER],
      responses: commandResponses(),
      handle: async (req) => commandResponse(await resolveIncident(deps, req.params.id, req.params.incidentId, req.body.retries, commandOptions(req))),
    }),
  ];
}
