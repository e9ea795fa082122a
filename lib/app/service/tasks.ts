/** User tasks: find them (by candidate group, assignee or instance), read one with its form, complete it. */
import type { Json, JsonObject } from '../../core/json.ts';
import { userTaskOf } from '../../core/bpmn/model/types.ts';
import { submitCommand, type CommandOptions, type CommandOutcome } from './commands.ts';
import type { ServiceDeps } from './deps.ts';
import { instanceOf } from './ids.ts';
import { InvalidRequest, NotFound } from './errors.ts';
import { definitionOf, latestOf } from './instances.ts';
import { tasksWithVariables } from './open-items.ts';
import { taskFromEffect, tasksOf, type TaskView } from './views.ts';

export interface TaskQuery {
  candidateGroup?: string | undefined;
  assignee?: string | undefined;
  instanceId?: string | undefined;
  limit: number;
}

export async function listTasks(deps: ServiceDeps, query: TaskQuery): Promise<TaskView[]> {
  const matches = (t: TaskView): boolean => (query.candidateGroup === undefined || t.candidateGroups.includes(query.candidateGroup))
    && (query.assignee === undefined || t.assignee === query.assignee)
    && (query.instanceId === undefined || t.instanceId === query.instanceId);
  if (query.instanceId !== undefined) {
    const latest = await latestOf(deps, query.instanceId);
    const def = await definitionOf(deps, latest.definitionKey, latest.definitionVersion);
    return tasksOf(latest.state, def).filter(matches).slice(0, query.limit);
  }
  if (query.assignee === undefined && query.candidateGroup === undefined) {
    throw new InvalidRequest('give a candidate group, an assignee or an instance id', [{ path: 'candidateGroup', message: 'candidateGroup, assignee or instanceId is required' }]);
  }
  const found = query.assignee !== undefined ? await deps.index.listTasks({ assignee: query.assignee, limit: query.limit })
    : await deps.index.listTasks({ candidateGroup: query.candidateGroup as string, limit: query.limit });
  return (await tasksWithVariables(deps.instances, found)).map(taskFromEffect).filter(matches);
}

/** An open task, with its embedded form (the zeebe:userTaskForm JSON) when the model has one. */
export async function getTask(deps: ServiceDeps, taskId: string): Promise<TaskView & { form?: Json }> {
  const instanceId = instanceOf(taskId);
  if (!instanceId) throw new NotFound('task', taskId);
  const latest = await latestOf(deps, instanceId);
  const def = await definitionOf(deps, latest.definitionKey, latest.definitionVersion);
  const task = tasksOf(latest.state, def).find((t) => t.taskId === taskId);
  if (!task) throw new NotFound('task', taskId);
  const body = userTaskOf(def.elements[task.elementId])?.formBody;
  const form = body ? parseForm(body) : undefined;
  return form === undefined ? task : { ...task, form };
}

function parseForm(body: string): Json | undefined {
  try {
    return JSON.parse(body) as Json;
  } catch {
    return undefined;
  }
}

export async function completeTask(deps: ServiceDeps, taskId: string, variables: JsonObject | undefined, options: CommandOptions): Promise<CommandOutcome> {
  const instanceId = instanceOf(taskId);
  if (!instanceId) throw new NotFound('task', taskId);
  return submitCommand(deps, { instanceId, command: { type: 'completeTask', taskId, ...(variables ? { variables } : {}) } }, options);
}
