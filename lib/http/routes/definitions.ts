/** /v1/definitions: deploy BPMN, list and read definitions. */
import type { ServiceDeps } from '../../app/service/deps.ts';
import { deployDefinitions, getDefinition, getDefinitionXml, listDefinitions } from '../../app/service/definitions.ts';
import { errors, json, ok } from '../response.ts';
import { route, type Route } from '../router.ts';
import { Definition, DefinitionKeyParam, DefinitionList, DefinitionVersionParams, DeployResponse, ErrorBody } from '../schemas.ts';

export function definitionRoutes(deps: ServiceDeps): Route[] {
  return [
    route({
      method: 'POST', path: '/v1/definitions', operationId: 'deployDefinitions', tag: 'definitions',
      summary: 'Deploy a BPMN or DMN document',
      description: 'Body: the BPMN 2.0 XML (Camunda 8 / zeebe extensions), at most 2 MB. Every executable process becomes a new version of its key; the same XML again keeps its versions (200). A DMN 1.3 document (told apart by its root namespace) deploys its decisions instead: each becomes a new version of its decision id (see /v1/decisions). A document with problems is refused whole: 400 with `details: [{ elementId, message, line }]`.',
      body: { xml: true },
      responses: {
        201: { description: 'deployed (at least one new version)', schema: DeployResponse },
        200: { description: 'this XML was deployed before: the same versions', schema: DeployResponse },
        400: { description: "refused: code 'invalid-bpmn', one detail per problem", schema: ErrorBody },
        ...errors([413, 'larger than 2 MB'], [415, 'not application/xml or text/xml']),
      },
      handle: async ({ body }) => {
        const deployed = await deployDefinitions(deps, body);
        return json(deployed.some((d) => d.created) ? 201 : 200, { deployed: deployed.map((d) => ({ key: d.key, version: d.version })) });
      },
    }),
    route({
      method: 'GET', path: '/v1/definitions', operationId: 'listDefinitions', tag: 'definitions',
      summary: 'List deployed definitions with their latest version',
      responses: { 200: { description: 'every definition key', schema: DefinitionList } },
      handle: async () => ok({ items: await listDefinitions(deps) }),
    }),
    route({
      method: 'GET', path: '/v1/definitions/{key}', operationId: 'getDefinition', tag: 'definitions',
      summary: "A definition's versions", params: DefinitionKeyParam,
      responses: { 200: { description: 'its versions, oldest first', schema: Definition }, ...errors([404, 'unknown key']) },
      handle: async ({ params }) => ok(await getDefinition(deps, params.key)),
    }),
    route({
      method: 'GET', path: '/v1/definitions/{key}/versions/{version}/xml', operationId: 'getDefinitionXml', tag: 'definitions',
      summary: 'The BPMN XML of a definition version', params: DefinitionVersionParams,
      responses: { 200: { description: 'the XML as deployed', contentType: 'application/xml' }, ...errors([404, 'unknown key or version']) },
      handle: async ({ params }) => ({ status: 200, text: { value: await getDefinitionXml(deps, params.key, params.version), contentType: 'application/xml; charset=utf-8' } }),
    }),
  ];
}
