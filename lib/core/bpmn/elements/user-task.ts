/**
 * User tasks: a task for people, assigned by `zeebe:assignmentDefinition` (FEEL or
 * static; candidate lists as FEEL lists or comma-separated text), with its form.
 */
import type { Json } from '../../json.ts';
import type { ElementOf } from '../model/types.ts';
import type { Context } from '../context.ts';
import type { Behaviour } from '../context.ts';

type Read<T> = { ok: true; value: T } | { ok: false; message: string };

function text(run: Context, ei: string, raw: string | null): Read<string | null> {
  if (raw === null) return { ok: true, value: null };
  const result = run.value(raw, ei);
  if (!result.ok) return result;
  return { ok: true, value: result.value === null ? null : String(result.value) };
}

function list(run: Context, ei: string, raw: string | null): Read<string[]> {
  if (raw === null) return { ok: true, value: [] };
  const result = run.value(raw, ei);
  if (!result.ok) return result;
  const value: Json = result.value;
  const items = Array.isArray(value) ? value.map(String) : value === null ? [] : String(value).split(',');
  return { ok: true, value: items.map((s) => s.trim()).filter(Boolean) };
}

function createTask(run: Context, ei: string, el: ElementOf<'userTask'>): 'wait' {
  const spec = el.userTask;
  const assignee = text(run, ei, spec.assignee);
  const groups = list(run, ei, spec.candidateGroups);
  const users = list(run, ei, spec.candidateUsers);
  const due = text(run, ei, spec.dueDate);
  const followUp = text(run, ei, spec.followUpDate);
  for (const [label, read] of [['assignee', assignee], ['candidateGroups', groups], ['candidateUsers', users], ['dueDate', due], ['followUpDate', followUp]] as const) {
    if (!read.ok) {
      run.incident(ei, 'expression', `${label} of '${el.id}': ${read.message}`, 'activate');
      return 'wait';
    }
  }
  if (!assignee.ok || !groups.ok || !users.ok || !due.ok || !followUp.ok) return 'wait';
  const key = run.newKey();
  run.emit({ type: 'TaskCreated', key, ei, assignee: assignee.value, candidateGroups: groups.value, candidateUsers: users.value });
  run.effect({
    type: 'task.created', taskId: run.id(key), instanceId: run.state.instanceId, elementId: el.id, name: el.name,
    assignee: assignee.value, candidateGroups: groups.value, candidateUsers: users.value,
    formKey: spec.formKey, formId: spec.formId, dueDate: due.value, followUpDate: followUp.value, variables: run.visible(ei),
  });
  return 'wait';
}

export const userTask: Behaviour<ElementOf<'userTask'>> = {
  activate: (run, key, el) => createTask(run, key, el),
};
