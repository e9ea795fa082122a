/**
 * For each inclusive join: the elements of its scope from which a token can still
 * reach it without passing through it. At runtime the join waits while any token
 * sits on one of these (BPMN 2.0 section 13.3.5, as Zeebe does for the inclusive join).
 */
import type { ElementDef, FlowDef } from './types.ts';

function predecessors(el: ElementDef, elements: Record<string, ElementDef>, flows: Record<string, FlowDef>): string[] {
  const list = el.incoming.map((id) => flows[id]?.source).filter((id): id is string => Boolean(id));
  if (el.kind === 'boundaryEvent' && el.attachedTo) list.push(el.attachedTo);
  // A link catch event continues the link throw events that jump to it, as if along a flow.
  if (el.kind === 'intermediateCatchEvent' && el.trigger?.type === 'link') {
    for (const other of Object.values(elements)) if (other.kind === 'intermediateThrowEvent' && other.trigger?.type === 'link' && other.trigger.target === el.id) list.push(other.id);
  }
  // A token inside a subprocess is "on" the subprocess for its parent scope.
  return list.filter((id) => elements[id]?.parent === el.parent);
}

export function computeReachability(elements: Record<string, ElementDef>, flows: Record<string, FlowDef>): void {
  for (const join of Object.values(elements)) {
    if (join.kind !== 'inclusiveGateway' || join.incoming.length < 2) continue;
    const seen = new Set<string>();
    const queue = predecessors(join, elements, flows);
    while (queue.length > 0) {
      const id = queue.pop() as string;
      if (id === join.id || seen.has(id)) continue;
      seen.add(id);
      const el = elements[id];
      if (el) queue.push(...predecessors(el, elements, flows));
    }
    join.reachableFrom = [...seen].sort();
  }
}
