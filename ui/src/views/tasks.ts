/**
 * The task list: open user tasks by candidate group, assignee or instance. "Complete…"
 * opens the task's embedded form (zeebe:userTaskForm, rendered by form-js) or, without
 * one, a JSON editor for the variables to set; either submits to the complete API.
 */
import { enc, getJson, postJson, q } from '../api.ts';
import { errorBox, fill, h, loading } from '../dom.ts';
import type { CommandOutcome, Task, Variables } from '../types.ts';
import { embeddedForm, variablesEditor, type TaskForm } from './task-form.ts';

export function tasksView(main: HTMLElement, query: URLSearchParams): () => void {
  const group = query.get('group') ?? '';
  const assignee = query.get('assignee') ?? '';
  const instance = query.get('instance') ?? '';
  const groupInput = h('input', { id: 'f-group', name: 'group', value: group, placeholder: 'e.g. sales' });
  const assigneeInput = h('input', { id: 'f-assignee', name: 'assignee', value: assignee });
  const filters = h('form', { class: 'toolbar filters', role: 'search', 'aria-label': 'Find tasks' },
    h('label', { for: 'f-group' }, 'Candidate group'), groupInput,
    h('label', { for: 'f-assignee' }, 'Assignee'), assigneeInput,
    h('button', { type: 'submit' }, 'Show tasks'),
    instance ? h('span', { class: 'chip' }, `instance ${instance} `, h('a', { href: `#/instances/${enc(instance)}` }, 'open')) : null);
  const notice = h('div', { role: 'status', class: 'notice' });
  const list = h('section', { 'aria-live': 'polite' });
  const editor = h('section', { class: 'card task-editor', hidden: true, 'aria-labelledby': 'task-title' });
  main.append(h('h1', {}, 'Tasks'), filters, notice, list, editor);
  let form: TaskForm | null = null;

  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/tasks${q({ group: groupInput.value.trim(), assignee: assigneeInput.value.trim(), instance })}`;
  });

  async function loadList(): Promise<void> {
    if (!group && !assignee && !instance) { fill(list, h('p', { class: 'empty' }, 'Give a candidate group or an assignee to see the open tasks.')); return; }
    fill(list, loading('tasks'));
    try {
      const { items } = await getJson<{ items: Task[] }>(`/v1/tasks${q({ candidateGroup: group, assignee, instanceId: instance })}`);
      fill(list, items.length === 0 ? h('p', { class: 'empty' }, 'No open tasks.') : h('table', { class: 'tasks' },
        h('caption', {}, `${items.length} open task(s)`),
        h('thead', {}, h('tr', {}, ['Task', 'Instance', 'Candidate groups', 'Assignee', ''].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, items.map((t) => h('tr', { 'data-task': t.taskId },
          h('td', {}, h('strong', {}, t.name ?? t.elementId), h('br', {}), h('small', {}, t.elementId)),
          h('td', {}, h('a', { href: `#/instances/${enc(t.instanceId)}` }, t.instanceId)),
          h('td', {}, t.candidateGroups.join(', ') || '—'), h('td', {}, t.assignee ?? '—'),
          h('td', {}, h('button', { type: 'button', onclick: () => void open(t.taskId) }, 'Complete…')))))));
    } catch (error) {
      fill(list, errorBox(error, 'Could not list the tasks.'));
    }
  }

  async function open(taskId: string): Promise<void> {
    form?.destroy();
    form = null;
    editor.hidden = false;
    fill(editor, loading('the task'));
    try {
      const task = await getJson<Task & { form?: unknown }>(`/v1/tasks/${enc(taskId)}`);
      const heading = h('h2', { id: 'task-title', tabindex: -1 }, `Complete: ${task.name ?? task.elementId}`);
      const holder = h('div', {});
      const error = h('div', { 'aria-live': 'assertive' });
      const submit = h('button', { type: 'button' }, 'Complete task');
      const cancel = h('button', { type: 'button', class: 'secondary', onclick: close }, 'Cancel');
      fill(editor, heading, h('p', { class: 'meta' }, 'Instance ', h('a', { href: `#/instances/${enc(task.instanceId)}` }, task.instanceId)), holder);
      form = task.form !== undefined ? await embeddedForm(holder, task.form, task.variables) : variablesEditor(holder, task.variables);
      editor.append(error, h('div', { class: 'actions' }, submit, cancel)); // only once the form can answer
      heading.focus();
      submit.addEventListener('click', () => void (async () => {
        const values = form?.values();
        if (!values || !values.ok) { fill(error, errorBox(values?.error ?? 'invalid input', 'Check the form.')); return; }
        submit.disabled = true;
        try {
          const outcome = await postJson<CommandOutcome>(`/v1/tasks/${enc(taskId)}/complete`, { variables: values.variables satisfies Variables });
          close();
          fill(notice, h('p', { class: 'success' }, `Completed ${task.name ?? task.elementId}`, outcome.version ? ` (instance version ${outcome.version})` : ' (queued)', '. ',
            h('a', { href: `#/instances/${enc(task.instanceId)}` }, 'See the instance')));
          await loadList();
        } catch (e) {
          fill(error, errorBox(e, 'Could not complete the task.'));
        } finally {
          submit.disabled = false;
        }
      })());
    } catch (error) {
      fill(editor, errorBox(error, 'Could not open the task.'));
    }
  }

  function close(): void {
    form?.destroy();
    form = null;
    editor.hidden = true;
    editor.replaceChildren();
  }

  void loadList();
  return () => form?.destroy();
}
