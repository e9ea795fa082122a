/**
 * Definitions: every key with its latest version, a key's versions with the diagram of
 * the one chosen, and deploying a `.bpmn` file. A refused model lists each problem with
 * its element, line and message.
 */
import { ApiError, enc, getJson, getText, postXml } from '../api.ts';
import { Diagram } from '../diagram.ts';
import { errorBox, fill, h, loading, time } from '../dom.ts';
import type { Definition, DefinitionSummary, DeployResult } from '../types.ts';

export function definitionsView(main: HTMLElement, key: string | undefined): () => void {
  let diagram: Diagram | null = null;
  const list = h('section', { 'aria-labelledby': 'defs-title' });
  const detail = h('section', { 'aria-live': 'polite' });
  main.append(h('h1', { id: 'defs-title' }, 'Definitions'), deployForm(() => void loadList()), list, detail);

  async function loadList(): Promise<void> {
    fill(list, loading('definitions'));
    try {
      const { items } = await getJson<{ items: DefinitionSummary[] }>('/v1/definitions');
      if (items.length === 0) { fill(list, h('p', { class: 'empty' }, 'Nothing deployed yet: deploy a .bpmn file above.')); return; }
      fill(list, h('table', {},
        h('caption', {}, `${items.length} process definition(s)`),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Key'), h('th', { scope: 'col' }, 'Latest version'), h('th', { scope: 'col' }, 'Deployed'), h('th', { scope: 'col' }, 'Instances'))),
        h('tbody', {}, items.map((d) => h('tr', { 'data-key': d.key },
          h('td', {}, h('a', { href: `#/definitions/${enc(d.key)}` }, d.key)),
          h('td', {}, `v${d.latestVersion}`), h('td', {}, time(d.deployedAt)),
          h('td', {}, h('a', { href: `#/instances?definition=${enc(d.key)}` }, 'instances')))))));
    } catch (error) {
      fill(list, errorBox(error, 'Could not list the definitions.'));
    }
  }

  async function loadDetail(k: string): Promise<void> {
    fill(detail, loading(k));
    try {
      const def = await getJson<Definition>(`/v1/definitions/${enc(k)}`);
      const canvas = h('div', { class: 'diagram', role: 'region', 'aria-label': `diagram of ${k}` });
      const picker = h('select', { id: 'def-version' }, def.versions.map((v) => h('option', { value: v.version }, `v${v.version} · ${time(v.deployedAt)}`)));
      picker.value = String(def.versions.at(-1)?.version ?? 1);
      const show = async () => {
        diagram?.destroy();
        diagram = null;
        try {
          diagram = await Diagram.open(canvas, await getText(`/v1/definitions/${enc(k)}/versions/${picker.value}/xml`));
        } catch (error) {
          fill(canvas, errorBox(error, 'Could not draw the diagram.'));
        }
      };
      picker.addEventListener('change', () => void show());
      fill(detail, h('h2', {}, k), h('div', { class: 'toolbar' }, h('label', { for: 'def-version' }, 'Version'), picker,
        h('a', { href: `#/instances?definition=${enc(k)}` }, 'Its instances')), canvas);
      await show();
    } catch (error) {
      fill(detail, errorBox(error, `Could not read ${k}.`));
    }
  }

  void loadList();
  if (key) void loadDetail(key);
  return () => diagram?.destroy();
}

function deployForm(deployed: () => void): HTMLElement {
  const file = h('input', { id: 'bpmn-file', type: 'file', accept: '.bpmn,.xml,application/xml,text/xml', required: true });
  const result = h('div', { class: 'deploy-result', 'aria-live': 'polite' });
  const button = h('button', { type: 'submit' }, 'Deploy');
  const form = h('form', { class: 'card deploy', 'aria-labelledby': 'deploy-title' },
    h('h2', { id: 'deploy-title' }, 'Deploy a model'),
    h('div', { class: 'toolbar' }, h('label', { for: 'bpmn-file' }, 'BPMN file'), file, button), result);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = file.files?.[0];
    if (!chosen) { fill(result, errorBox('choose a .bpmn file first', 'Nothing to deploy.')); return; }
    void (async () => {
      button.disabled = true;
      fill(result, loading(`deploying ${chosen.name}`));
      try {
        const { deployed: versions } = await postXml<DeployResult>('/v1/definitions', await chosen.text());
        fill(result, h('p', { class: 'success', role: 'status' }, `Deployed ${chosen.name}: `,
          versions.map((d, i) => [i > 0 ? ', ' : '', h('a', { href: `#/definitions/${enc(d.key)}` }, `${d.key} v${d.version}`)]).flat()));
        deployed();
      } catch (error) {
        fill(result, refusal(chosen.name, error));
      } finally {
        button.disabled = false;
      }
    })();
  });
  return form;
}

/** A refused deploy: one row per problem (element, line, message). */
function refusal(name: string, error: unknown): HTMLElement {
  if (!(error instanceof ApiError) || error.details.length === 0) return errorBox(error, `${name} was not deployed.`);
  return h('div', { class: 'error refusal', role: 'alert' },
    h('strong', {}, `${name} was refused: `), error.message,
    h('table', {},
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Element'), h('th', { scope: 'col' }, 'Line'), h('th', { scope: 'col' }, 'Problem'))),
      h('tbody', {}, error.details.map((d) => h('tr', {},
        h('td', {}, h('code', {}, String(d['elementId'] ?? d['path'] ?? '—'))),
        h('td', {}, d['line'] === null || d['line'] === undefined ? '—' : String(d['line'])),
        h('td', {}, String(d['message'] ?? '')))))));
}
