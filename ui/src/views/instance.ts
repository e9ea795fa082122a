/**
 * One instance: the diagram with its tokens (active), the path taken (completed
 * elements, taken flows) and incidents; its variables, open jobs and tasks; and its
 * history: every version on a timeline and a slider that redraws the diagram and the
 * variables as they were at that version, with "Roll back to this version".
 *
 *   live  ── poll GET /v1/instances/{id} every second; a new version -> history after it
 *   past  ── GET /v1/instances/{id}/versions/{v} (cached), polling paused
 */
import { enc, getJson, getText, postJson } from '../api.ts';
import { Diagram } from '../diagram.ts';
import { badge, errorBox, fill, h, loading, time } from '../dom.ts';
import { pathsByVersion, summarize, tidy, type Path } from '../history.ts';
import type { CommandOutcome, HistoryEntry, HistoryPage, Instance } from '../types.ts';
import { detailPanels } from './panels.ts';

const POLL_MS = 1000;

export function instanceView(main: HTMLElement, id: string): () => void {
  let diagram = null as Diagram | null; // (not narrowed to null: the closures below assign it)
  let now: Instance | null = null;
  let entries: HistoryEntry[] = [];
  let paths = new Map<number, Path>();
  let viewing: number | null = null; // null: live
  let request = 0; // the latest version asked for; older answers are dropped
  const atVersion = new Map<number, Instance>();
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const title = h('h1', {}, 'Instance ', h('code', {}, id));
  const meta = h('p', { class: 'meta' });
  const banner = h('div', { class: 'banner', 'aria-live': 'polite' });
  const notice = h('p', { class: 'notice', role: 'status' });
  const canvas = h('div', { class: 'diagram', id: 'diagram', role: 'region', 'aria-label': 'process diagram with the instance state' });
  const slider = h('input', { type: 'range', id: 'version-slider', min: 1, max: 1, step: 1, value: 1 });
  const sliderValue = h('output', { for: 'version-slider', id: 'version-output' });
  const legend = h('p', { class: 'legend', 'aria-hidden': 'true' }, h('span', { class: 'l-active' }, 'token here'), h('span', { class: 'l-done' }, 'completed / taken'), h('span', { class: 'l-incident' }, 'incident'));
  const travel = h('div', { class: 'toolbar travel' }, h('label', { for: 'version-slider' }, 'Time travel: version'), slider, sliderValue);
  const panels = h('div', { class: 'panels' });
  const timeline = h('ol', { class: 'timeline', 'aria-label': 'versions, oldest first' });
  const body = h('div', { hidden: true }, meta, banner, notice, canvas, legend, travel, panels,
    h('section', { 'aria-labelledby': 'history-title' }, h('h2', { id: 'history-title' }, 'History'), timeline));
  const status = h('div', {}, loading('the instance'));
  main.append(title, status, body);

  slider.addEventListener('input', () => void select(Number(slider.value)));

  async function loadHistory(): Promise<void> {
    for (let after = entries.at(-1)?.version ?? 0; ;) {
      const page = await getJson<HistoryPage>(`/v1/instances/${enc(id)}/history?after=${after}&limit=100`);
      entries = [...entries, ...page.versions];
      if (page.next === null) break;
      after = page.next;
    }
    paths = pathsByVersion(entries);
  }

  async function refresh(force = false): Promise<void> {
    const latest = await getJson<Instance>(`/v1/instances/${enc(id)}`);
    if (now && latest.version < now.version) return; // a slow answer from before a newer one: versions only grow
    const changed = now === null || latest.version !== now.version || latest.status !== now.status;
    now = latest;
    if (!changed && !force) return;
    await loadHistory();
    if (!diagram) {
      const xml = await getText(`/v1/definitions/${enc(latest.definitionKey)}/versions/${latest.definitionVersion}/xml`);
      status.replaceChildren();
      body.hidden = false; // bpmn-js measures its container: it must be visible
      diagram = await Diagram.open(canvas, xml);
    }
    if (viewing === null) show(latest, latest.version);
    else renderChrome();
  }

  async function select(version: number): Promise<void> {
    if (!now) return;
    if (version >= now.version) { viewing = null; show(now, now.version); schedule(); return; }
    viewing = version;
    request = version;
    renderChrome();
    try {
      const state = atVersion.get(version) ?? await getJson<Instance>(`/v1/instances/${enc(id)}/versions/${version}`);
      atVersion.set(version, state);
      if (request === version && viewing === version) show(state, version);
    } catch (error) {
      fill(notice, errorBox(error, `Could not read version ${version}.`));
    }
  }

  function show(state: Instance, version: number): void {
    const path = paths.get(version) ?? { completed: new Set<string>(), taken: new Set<string>() };
    const live = viewing === null;
    diagram?.paint({
      active: state.activeElements, completed: path.completed, taken: path.taken,
      incidents: state.incidents.map((i) => ({ elementId: i.elementId, message: tidy(i.message), ...(live ? { action: { label: 'Resolve / retry', run: () => void resolve(i.incidentId) } } : {}) })),
    });
    fill(panels, detailPanels(state, live ? { resolve: (incidentId) => void resolve(incidentId) } : null));
    canvas.dataset['version'] = String(version);
    renderChrome();
  }

  function renderChrome(): void {
    if (!now) return;
    const shown = viewing ?? now.version;
    fill(meta, h('a', { href: `#/definitions/${enc(now.definitionKey)}` }, `${now.definitionKey} v${now.definitionVersion}`),
      ' · business key ', now.businessKey ?? '—', ' · started ', time(now.startedAt), ' · ', badge(now.status), ' · version ', h('strong', { id: 'current-version' }, String(now.version)),
      ...(now.parent ? [' · called by ', h('a', { href: `#/instances/${enc(now.parent.instanceId)}`, class: 'parent-link' }, now.parent.instanceId)] : []),
      ...(now.calls && now.calls.length > 0
        ? [' · calls ', ...now.calls.flatMap((c, i) => [i > 0 ? ', ' : '', h('a', { href: `#/instances/${enc(c.childInstanceId)}`, class: 'child-link', title: `${c.processId} from ${c.elementId}` }, `${c.processId} (${c.elementId})`)])]
        : []));
    slider.max = String(now.version);
    slider.value = String(shown);
    slider.setAttribute('aria-valuetext', `version ${shown} of ${now.version}`);
    sliderValue.value = `${shown} of ${now.version}`;
    const entry = entries.find((e) => e.version === shown);
    fill(banner, viewing === null
      ? h('p', { class: 'live' }, h('strong', {}, 'Live'), ` · version ${now.version}${now.status === 'active' || now.status === 'incident' ? ' · updates every second' : ''}`)
      : h('div', { class: 'past' },
        h('p', {}, h('strong', {}, `Viewing version ${shown} of ${now.version}`), entry ? ` · as it was on ${time(entry.at)} after ${entry.command.type}` : ''),
        h('button', { type: 'button', onclick: () => void select(now?.version ?? shown) }, 'Back to now'),
        h('button', { type: 'button', class: 'danger', onclick: () => void rollback(shown) }, 'Roll back to this version')));
    fill(timeline, entries.map((e) => h('li', { ...(e.version === shown ? { 'aria-current': 'step' } : {}), 'data-version': e.version },
      h('button', { type: 'button', class: 'link', onclick: () => void select(e.version) },
        h('span', { class: 'v' }, `v${e.version}`), h('span', { class: 'cmd' }, e.command.type), h('time', { datetime: e.at }, time(e.at))),
      h('span', { class: 'what' }, summarize(e)))));
  }

  async function command(what: string, run: () => Promise<CommandOutcome>): Promise<void> {
    fill(notice, loading(what));
    try {
      const outcome = await run();
      viewing = null;
      await refresh(true);
      fill(notice, outcome.status === 'applied' ? `Done: ${what} (version ${outcome.version}).` : `Queued: ${what}; it will apply shortly.`);
      schedule();
    } catch (error) {
      fill(notice, errorBox(error, `Could not ${what}.`));
    }
  }

  const resolve = (incidentId: string) => command('resolve the incident', () => postJson(`/v1/instances/${enc(id)}/incidents/${enc(incidentId)}/resolve`, {}));
  const rollback = (version: number) => command(`roll back to version ${version}`, () => postJson(`/v1/instances/${enc(id)}/rollback`, { toVersion: version }));

  function schedule(): void {
    clearTimeout(timer);
    if (stopped || viewing !== null) return;
    timer = setTimeout(() => {
      refresh().catch((error: unknown) => fill(notice, errorBox(error, 'Could not refresh.'))).finally(schedule);
    }, POLL_MS);
  }

  void (async () => {
    try {
      await refresh();
      schedule();
    } catch (error) {
      fill(status, errorBox(error, 'Could not open the instance.'), h('p', {}, h('a', { href: '#/instances' }, 'Back to the instances')));
    }
  })();

  return () => {
    stopped = true;
    clearTimeout(timer);
    diagram?.destroy();
  };
}
