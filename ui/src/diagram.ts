/**
 * A BPMN diagram (bpmn-js NavigatedViewer: pan and zoom, no editing) with the state of
 * an instance painted on: marker classes on elements (styles.css) and overlays.
 *
 *   const d = await Diagram.open(container, xml);
 *   d.paint({ active: ['ApproveOrder'], completed: [...], taken: [...], incidents: [...] });
 */
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import { h } from './dom.ts';

export const MARKERS = { active: 'sbpmn-active', completed: 'sbpmn-completed', taken: 'sbpmn-taken', incident: 'sbpmn-incident' } as const;

export interface Painting {
  active: string[];
  completed: Iterable<string>;
  taken: Iterable<string>;
  /** An overlay per incident: its message and an optional action. */
  incidents: Array<{ elementId: string; message: string; action?: { label: string; run: () => void } }>;
}

interface Canvas {
  addMarker(id: string, marker: string): void;
  removeMarker(id: string, marker: string): void;
  zoom(mode: 'fit-viewport', center?: 'auto'): number;
}
interface Overlays { add(id: string, type: string, overlay: { position: { top?: number; left?: number; bottom?: number; right?: number }; html: HTMLElement }): string; remove(filter: { type: string }): void }
interface Registry { get(id: string): unknown }

export class Diagram {
  private painted: Array<[string, string]> = [];

  private constructor(private readonly viewer: NavigatedViewer, private readonly container: HTMLElement) {}

  static async open(container: HTMLElement, xml: string): Promise<Diagram> {
    const viewer = new NavigatedViewer({ container });
    const { warnings } = await viewer.importXML(xml);
    if (warnings.length > 0) console.warn('diagram warnings', warnings);
    const diagram = new Diagram(viewer, container);
    diagram.fit();
    return diagram;
  }

  /** Zooms to show the whole diagram (once its container has a size). */
  fit(): void {
    if (this.container.clientWidth === 0 || this.container.clientHeight === 0) return;
    this.viewer.get<Canvas>('canvas').zoom('fit-viewport', 'auto');
  }

  paint(p: Painting): void {
    const canvas = this.viewer.get<Canvas>('canvas');
    const registry = this.viewer.get<Registry>('elementRegistry');
    const overlays = this.viewer.get<Overlays>('overlays');
    for (const [id, marker] of this.painted) canvas.removeMarker(id, marker);
    overlays.remove({ type: 'incident' });
    this.painted = [];
    const mark = (id: string, marker: string) => {
      if (!registry.get(id)) return; // an element without a shape (or of another diagram)
      canvas.addMarker(id, marker);
      this.painted.push([id, marker]);
    };
    for (const id of p.completed) mark(id, MARKERS.completed);
    for (const id of p.taken) mark(id, MARKERS.taken);
    for (const id of p.active) mark(id, MARKERS.active);
    for (const incident of p.incidents) {
      mark(incident.elementId, MARKERS.incident);
      if (!registry.get(incident.elementId)) continue;
      const action = incident.action;
      const html = h('div', { class: 'incident-overlay', role: 'note' },
        h('span', { class: 'message' }, `⚠ ${incident.message}`),
        action ? h('button', { type: 'button', onclick: () => action.run() }, action.label) : null);
      // Under the element, centred on a 100 px task (the full message is its title).
      html.title = incident.message;
      overlays.add(incident.elementId, 'incident', { position: { top: 86, left: -45 }, html });
    }
  }

  destroy(): void {
    this.viewer.destroy();
  }
}
