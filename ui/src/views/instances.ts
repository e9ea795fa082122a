/**
 * Instances: filtered by definition, status and business key, with a count per status.
 * The API lists one definition and one status at a time (newest first, 500 a page), so
 * "all definitions" asks once per key; counts past a page show as "500+". The business
 * key filter narrows what was listed (the API has no business key index).
 */
import { enc, getJson, q } from '../api.ts';
import { badge, errorBox, fill, h, loading, time } from '../dom.ts';
import { STATUSES, type DefinitionSummary, type InstanceSummary, type Status } from '../types.ts';

const PAGE = 500;

interface Listed { items: InstanceSummary[]; more: boolean }

async function listOf(keys: string[], status: Status): Promise<Listed> {
  const pages = await Promise.all(keys.map((key) => getJson<{ items: InstanceSummary[]; cursor: string | null }>(`/v1/instances${q({ definitionKey: key, status, limit: PAGE })}`)));
  const items = pages.flatMap((p) => p.items).sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  return { items, more: pages.some((p) => p.cursor !== null) };
}

export function instancesView(main: HTMLElement, query: URLSearchParams): () => void {
  const definition = query.get('definition') ?? '';
  const status = (STATUSES as readonly string[]).includes(query.get('status') ?? '') ? query.get('status') as Status : 'active';
  const businessKey = query.get('businessKey') ?? '';
  const defSelect = h('select', { id: 'f-definition', name: 'definition' }, h('option', { value: '' }, 'all definitions'));
  const statusSelect = h('select', { id: 'f-status', name: 'status' }, STATUSES.map((s) => h('option', { value: s }, s)));
  statusSelect.value = status;
  const keyInput = h('input', { id: 'f-business-key', name: 'businessKey', type: 'search', value: businessKey, placeholder: 'e.g. order-7' });
  const form = h('form', { class: 'toolbar filters', role: 'search', 'aria-label': 'Filter instances' },
    h('label', { for: 'f-definition' }, 'Definition'), defSelect,
    h('label', { for: 'f-status' }, 'Status'), statusSelect,
    h('label', { for: 'f-business-key' }, 'Business key'), keyInput,
    h('button', { type: 'submit' }, 'Apply'));
  const counts = h('nav', { class: 'counts', 'aria-label': 'Count per status' });
  const results = h('section', { 'aria-live': 'polite', 'aria-busy': 'true' });
  main.append(h('h1', {}, 'Instances'), form, counts, results);

  const hashFor = (s: Status) => `#/instances${q({ definition: defSelect.value, status: s, businessKey: keyInput.value.trim() })}`;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = hashFor(statusSelect.value as Status);
  });

  void (async () => {
    fill(results, loading('instances'));
    try {
      const { items: defs } = await getJson<{ items: DefinitionSummary[] }>('/v1/definitions');
      for (const d of defs) defSelect.append(h('option', { value: d.key }, d.key));
      defSelect.value = defs.some((d) => d.key === definition) ? definition : '';
      const keys = defSelect.value ? [defSelect.value] : defs.map((d) => d.key);
      if (keys.length === 0) { fill(results, h('p', { class: 'empty' }, 'No definitions yet: ', h('a', { href: '#/definitions' }, 'deploy one'), '.')); return; }
      const listed = await Promise.all(STATUSES.map((s) => listOf(keys, s)));
      const byStatus = new Map(STATUSES.map((s, i) => [s, listed[i] as Listed]));
      const matches = (i: InstanceSummary) => !businessKey || (i.businessKey ?? '').includes(businessKey);
      fill(counts, STATUSES.map((s) => {
        const l = byStatus.get(s) as Listed;
        const n = l.items.filter(matches).length;
        return h('a', { href: hashFor(s), class: `count count-${s}`, 'data-status': s, ...(s === status ? { 'aria-current': 'true' } : {}) },
          h('span', {}, s), h('strong', {}, `${n}${l.more ? '+' : ''}`));
      }));
      const shown = (byStatus.get(status) as Listed).items.filter(matches);
      fill(results, shown.length === 0 ? h('p', { class: 'empty' }, `No ${status} instances${businessKey ? ` with business key "${businessKey}"` : ''}.`)
        : h('table', { class: 'instances' },
          h('caption', {}, `${shown.length} ${status} instance(s)`),
          h('thead', {}, h('tr', {}, ['Instance', 'Definition', 'Business key', 'Started', 'Status'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, shown.map((i) => h('tr', { 'data-instance': i.instanceId },
            h('td', {}, h('a', { href: `#/instances/${enc(i.instanceId)}` }, i.instanceId)),
            h('td', {}, `${i.definitionKey} v${i.definitionVersion}`), h('td', {}, i.businessKey ?? '—'),
            h('td', {}, time(i.startedAt)), h('td', {}, badge(i.status)))))));
    } catch (error) {
      fill(results, errorBox(error, 'Could not list the instances.'));
    } finally {
      results.setAttribute('aria-busy', 'false');
    }
  })();
  return () => undefined;
}
