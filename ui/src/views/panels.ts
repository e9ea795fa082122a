/** The panels beside an instance's diagram: incidents, open jobs, tasks, variables. */
import { enc } from '../api.ts';
import { h } from '../dom.ts';
import { tidy } from '../history.ts';
import type { Instance } from '../types.ts';

export function detailPanels(state: Instance, actions: { resolve: (incidentId: string) => void } | null): HTMLElement[] {
  const empty = (what: string) => h('p', { class: 'empty' }, what);
  return [
    h('section', { class: 'card', 'aria-labelledby': 'p-incidents' }, h('h2', { id: 'p-incidents' }, `Incidents (${state.incidents.length})`),
      state.incidents.length === 0 ? empty('None.') : h('ul', { class: 'incidents' }, state.incidents.map((i) => h('li', { 'data-incident': i.incidentId },
        h('strong', {}, i.elementId), ` · ${i.kind} · `, tidy(i.message),
        actions ? h('button', { type: 'button', onclick: () => actions.resolve(i.incidentId) }, 'Resolve / retry') : null)))),
    h('section', { class: 'card', 'aria-labelledby': 'p-jobs' }, h('h2', { id: 'p-jobs' }, `Open jobs (${state.jobs.length})`),
      state.jobs.length === 0 ? empty('None.') : h('ul', { class: 'jobs' }, state.jobs.map((j) => h('li', { 'data-job': j.jobId },
        h('strong', {}, j.elementId), ' · ', h('code', {}, j.type), ` · ${j.retries} ${j.retries === 1 ? 'retry' : 'retries'} left`,
        h('code', { class: 'id', title: 'job id' }, j.jobId))))),
    h('section', { class: 'card', 'aria-labelledby': 'p-tasks' }, h('h2', { id: 'p-tasks' }, `Tasks (${state.tasks.length})`),
      state.tasks.length === 0 ? empty('None.') : h('ul', {}, state.tasks.map((t) => h('li', {},
        h('strong', {}, t.name ?? t.elementId), ` · ${t.candidateGroups.length ? `group ${t.candidateGroups.join(', ')}` : ''}${t.assignee ? ` · assignee ${t.assignee}` : ''} `,
        actions ? h('a', { href: `#/tasks?instance=${enc(t.instanceId)}` }, 'Open in the task list') : null)))),
    h('section', { class: 'card variables', 'aria-labelledby': 'p-vars' }, h('h2', { id: 'p-vars' }, 'Variables'),
      h('pre', { id: 'variables', tabindex: 0 }, JSON.stringify(state.variables, null, 2))),
  ];
}
