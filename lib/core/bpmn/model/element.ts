/**
 * One moddle flow node -> one ElementDef, with the problems found on it: the fields every
 * kind has, then the compile rule of its kind (`rules/`), then what no rule read (`ElementReader.leftovers`).
 * Structure (flows, scopes, gateways) is checked in `compile.ts` once all nodes exist.
 */
import type { ModdleElement } from 'bpmn-moddle';
import { ioMappings, str, unsupportedExtensions } from './extensions.ts';
import { readLoop } from './loops.ts';
import { ElementReader } from './reader.ts';
import { COMPILE_RULES } from './rules/index.ts';
import type { ElementDef, ElementKind, NodeDef } from './types.ts';
import { checkMappings } from './values.ts';

export interface ElementCompile {
  def: ElementDef;
  problems: string[];
}

function baseOf<K extends ElementKind>(node: ModdleElement, kind: K, parent: string | null, problems: string[]): NodeDef<K> {
  const { inputs, outputs } = ioMappings(node);
  checkMappings('input', inputs, problems);
  checkMappings('output', outputs, problems);
  return {
    id: String(node.id),
    kind,
    name: str(node, 'name'),
    parent,
    incoming: [],
    outgoing: [],
    defaultFlow: (node['default'] as ModdleElement | undefined)?.id ?? null,
    inputs,
    outputs,
    boundaries: [],
    loop: readLoop(node, problems),
    ...(node['isForCompensation'] === true ? { forCompensation: true } : {}),
  };
}

/** Compiles one flow node. `parent` is the enclosing subprocess id (null at process level). */
export function compileElement<K extends ElementKind>(node: ModdleElement, kind: K, parent: string | null, forms: Map<string, string>): ElementCompile {
  const problems = unsupportedExtensions(node);
  const read = new ElementReader(node, kind, problems, forms);
  const def = COMPILE_RULES[kind](baseOf(node, kind, parent, problems), read);
  read.leftovers();
  return { def, problems };
}
