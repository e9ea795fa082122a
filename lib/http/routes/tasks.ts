/** /v1/tasks: user tasks for people (find, read with the form, complete). */
import type { ServiceDeps } from '../../app/service/deps.ts';
import { completeTask, getTask, listTasks } from '../../app/service/tasks.ts';
import { commandOptions, commandResponse, commandResponses, errors, IDEMPOTENCY_HEADER, ok } from '../response.ts';
import { route, type Route } from '../router.ts';
import { CompleteTaskRequest, TaskList, TaskParam, TasksQuery, TaskWithForm, WaitQuery } from '../schemas.ts';

export function taskRoutes(deps: ServiceDeps): Route[] {
  return [
    route({
      method: 'GET', path: '/v1/tasks', operationId: 'listTasks', tag: 'tasks',
      summary: 'Open user tasks by candidate group, assignee or instance', description: 'At least one of `candidateGroup`, `assignee`, `instanceId`; several narrow the list.',
      query: TasksQuery,
      responses: { 200: { description: 'open tasks', schema: TaskList }, ...errors([400, 'no filter given'], [404, 'unknown instance']) },
      handle: async ({ query }) => ok({ items: await listTasks(deps, query) }),
    }),
    route({
      method: 'GET', path: '/v1/tasks/{taskId}', operationId: 'getTask', tag: 'tasks',
      summary: 'An open task, with its embedded form', params: TaskParam,
      responses: { 200: { description: 'the task; `form` when the model embeds one (zeebe:userTaskForm)', schema: TaskWithForm }, ...errors([404, 'unknown or no longer open']) },
      handle: async ({ params }) => ok(await getTask(deps, params.taskId)),
    }),
    route({
      method: 'POST', path: '/v1/tasks/{taskId}/complete', operationId: 'completeTask', tag: 'tasks',
      summary: 'Complete a user task', params: TaskParam, query: WaitQuery, body: { json: CompleteTaskRequest }, headers: [IDEMPOTENCY_HEADER],
      responses: commandResponses(),
      handle: async (req) => commandResponse(await completeTask(deps, req.params.taskId, req.body.variables, commandOptions(req))),
    }),
  ];
}
