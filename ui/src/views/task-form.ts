/**
 * The two ways to fill in a task: its embedded form (form-js, loaded on first use) or
 * a JSON editor for the variables, validated as you type (a JSON object, nothing else).
 */
import { h } from '../dom.ts';
import type { Variables } from '../types.ts';

export type Values = { ok: true; variables: Variables } | { ok: false; error: string };

export interface TaskForm {
  values(): Values;
  destroy(): void;
}

export function parseVariables(text: string): Values {
  let value: unknown;
  try {
    value = JSON.parse(text.trim() === '' ? '{}' : text);
  } catch (error) {
    return { ok: false, error: `not JSON: ${(error as Error).message}` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, error: 'give a JSON object, like {"approved": true}' };
  return { ok: true, variables: value as Variables };
}

export function variablesEditor(holder: HTMLElement, current: Variables): TaskForm {
  const hint = h('p', { id: 'task-variables-hint', class: 'hint' }, 'A JSON object: these variables are set when the task completes.');
  const problem = h('p', { id: 'task-variables-error', class: 'field-error', 'aria-live': 'polite' });
  const area = h('textarea', { id: 'task-variables', rows: 6, spellcheck: 'false', 'aria-describedby': 'task-variables-hint task-variables-error' });
  area.value = '{\n  \n}';
  const check = (): Values => {
    const values = parseVariables(area.value);
    area.setAttribute('aria-invalid', String(!values.ok));
    problem.textContent = values.ok ? '' : values.error;
    return values;
  };
  area.addEventListener('input', check);
  holder.append(
    h('details', {}, h('summary', {}, 'The variables the task sees'), h('pre', { tabindex: 0 }, JSON.stringify(current, null, 2))),
    h('label', { for: 'task-variables' }, 'Variables to set'), hint, area, problem);
  return { values: check, destroy: () => undefined };
}

export async function embeddedForm(holder: HTMLElement, schema: unknown, data: Variables): Promise<TaskForm> {
  const [{ Form }] = await Promise.all([import('@bpmn-io/form-js-viewer'), import('@bpmn-io/form-js-viewer/dist/assets/form-js.css')]);
  const container = h('div', { class: 'embedded-form' });
  holder.append(container);
  const form = new Form({ container });
  await form.importSchema(schema, data);
  return {
    values: () => {
      const { data: submitted, errors } = form.submit() as { data: Variables; errors: Record<string, string[]> };
      // form-js marks each field with its message; errors are keyed by internal field ids.
      const count = Object.values(errors).filter((list) => list.length > 0).length;
      return count > 0 ? { ok: false, error: `${count} field(s) in the form need attention.` } : { ok: true, variables: submitted };
    },
    destroy: () => form.destroy(),
  };
}
