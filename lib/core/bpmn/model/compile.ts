/**
 * BPMN XML -> compiled process definitions, or every problem found.
 * Lenient parser, loud deploy: any warning, unsupported element or invalid
 * expression refuses the whole document, each problem naming its element and line.
 */
import type { ModdleElement } from 'bpmn-moddle';
import { checkSyntax } from '../../expressions/feel.ts';
import { checkCompensation } from './compensation.ts';
import { checkDeploymentBindings } from './call.ts';
import { compileElement } from './element.ts';
import { str, unsupportedExtensions, zeebeProperty } from './extensions.ts';
import { sha256, type LineIndex, type ModelProblem } from '../../documents.ts';
import { parseBpmn } from './parse.ts';
import { computeReachability } from './reachability.ts';
import { KIND_OF_TYPE, PASSIVE_TYPES, REFUSED_TYPES } from './registry.ts';
import { checkStructure } from './structure.ts';
import type { ElementDef, FlowDef, ProcessDefinition } from './types.ts';

export type CompileResult =
  | { ok: true; hash: string; processes: ProcessDefinition[] }
  | { ok: false; hash: string; errors: ModelProblem[] };

class Problems {
  readonly list: ModelProblem[] = [];
  constructor(private readonly lines: LineIndex) {}
  add(elementId: string | null, rawMessage: string): void {
    // Messages may quote the model; keep them readable whatever the model holds.
    const message = rawMessage.length > 500 ? `${rawMessage.slice(0, 500)}…` : rawMessage;
    const line = elementId ? this.lines.get(elementId) : undefined;
    this.list.push(line === undefined ? { elementId, message } : { elementId, message, line });
  }
}

/** Camunda 7 attributes (camunda:assignee, camunda:class, ...) would be silently ignored: refuse them. */
const CAMUNDA7 = 'http://camunda.org/schema/1.0/bpmn';

function checkForeignAttributes(definitions: ModdleElement, problems: Problems): void {
  const attrs = definitions.$attrs ?? {};
  const prefixes = Object.entries(attrs).filter(([name, uri]) => name.startsWith('xmlns:') && uri === CAMUNDA7).map(([name]) => `${name.slice(6)}:`);
  if (prefixes.length === 0) return;
  const seen = new Set<object>();
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) return node.forEach(visit);
    const el = node as ModdleElement;
    const names = Object.keys(el.$attrs ?? {}).filter((name) => prefixes.some((p) => name.startsWith(p)));
    if (names.length > 0) problems.add(typeof el.id === 'string' ? el.id : null, `Camunda 7 attributes are not supported (use zeebe: extensions): ${names.join(', ')}`);
    for (const [key, value] of Object.entries(el)) if (!key.startsWith('$') && key !== 'di') visit(value);
  };
  visit(definitions['rootElements']);
}

interface Builder {
  key: string;
  elements: Record<string, ElementDef>;
  flows: Record<string, FlowDef>;
  forms: Map<string, string>;
  problems: Problems;
  /** Elements refused at deploy: their flows are not reported again. */
  refused: Set<string>;
}

function addFlow(node: ModdleElement, b: Builder): void {
  const id = String(node.id);
  const source = (node['sourceRef'] as ModdleElement | undefined)?.id;
  const target = (node['targetRef'] as ModdleElement | undefined)?.id;
  if (!source || !target) {
    b.problems.add(id, 'sequence flow needs a source and a target');
    return;
  }
  const expression = node['conditionExpression'] as ModdleElement | undefined;
  const condition = expression ? str(expression, 'body') : null;
  if (expression && !condition) b.problems.add(id, 'condition expression is empty');
  if (condition) {
    const syntax = checkSyntax(condition);
    if (syntax) b.problems.add(id, `condition: ${syntax}`);
  }
  b.flows[id] = { id, name: str(node, 'name'), source, target, condition: condition?.trim() ?? null };
}

/** Ids that would collide with what every JavaScript object has (`constructor`, `toString`, ...). */
const RESERVED_IDS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);
const MAX_NESTING = 100;

function walk(container: ModdleElement, parent: string | null, b: Builder, depth = 0): void {
  const nodes = (container['flowElements'] as ModdleElement[] | undefined) ?? [];
  if (depth > MAX_NESTING) {
    b.problems.add(parent, `subprocesses are nested more than ${MAX_NESTING} levels deep`);
    return;
  }
  for (const node of nodes) {
    const id = typeof node.id === 'string' ? node.id : null;
    if (id !== null && RESERVED_IDS.has(id)) {
      b.problems.add(id, `the id '${id}' is reserved; rename the element`);
      if (node.$type !== 'bpmn:SequenceFlow') b.refused.add(id);
      continue;
    }
    if (node.$type === 'bpmn:SequenceFlow') {
      if (id) addFlow(node, b);
      else b.problems.add(null, 'a sequence flow has no id');
      continue;
    }
    if (PASSIVE_TYPES.has(node.$type)) continue;
    if (!id) {
      b.problems.add(null, `a ${node.$type} has no id`);
      continue;
    }
    const kind = KIND_OF_TYPE[node.$type];
    if (!kind) {
      b.problems.add(id, REFUSED_TYPES[node.$type] ?? `unsupported element type ${node.$type}`);
      b.refused.add(id);
      continue;
    }
    const { def, problems } = compileElement(node, kind, parent, b.forms);
    for (const message of problems) b.problems.add(id, message);
    b.elements[id] = def;
    if (kind === 'subProcess' || kind === 'adHocSubProcess') walk(node, id, b, depth + 1);
  }
}

function embeddedForms(process: ModdleElement): Map<string, string> {
  const forms = new Map<string, string>();
  const ext = process['extensionElements'] as { values?: ModdleElement[] } | undefined;
  for (const value of ext?.values ?? []) {
    const id = str(value, 'id');
    const body = str(value, 'body');
    if (value.$type === 'zeebe:UserTaskForm' && id && body) forms.set(id, body);
  }
  return forms;
}

function compileProcess(process: ModdleElement, hash: string, problems: Problems): ProcessDefinition | null {
  const key = String(process.id ?? '');
  if (!/^[A-Za-z_][\w.-]{0,254}$/.test(key)) {
    problems.add(key || null, `process id '${key}' must start with a letter or _ and use only letters, digits, _ . -`);
    return null;
  }
  for (const message of unsupportedExtensions(process)) problems.add(key, message);
  const b: Builder = { key, elements: {}, flows: {}, forms: embeddedForms(process), problems, refused: new Set() };
  walk(process, null, b);
  const flows = Object.fromEntries(Object.entries(b.flows).filter(([, f]) => !b.refused.has(f.source) && !b.refused.has(f.target)));
  checkStructure(key, b.elements, flows, (id, message) => problems.add(id, message));
  checkCompensation(process, b.elements, (id, message) => problems.add(id, message));
  b.flows = flows;
  computeReachability(b.elements, b.flows);
  const versionTag = (process['extensionElements'] as { values?: ModdleElement[] } | undefined)?.values
    ?.find((v) => v.$type === 'zeebe:VersionTag');
  return {
    key,
    name: str(process, 'name'),
    hash,
    versionTag: str(versionTag, 'value'),
    retentionDays: retentionDays(process, (message) => problems.add(key, message)),
    elements: b.elements,
    flows: b.flows,
    startEvents: Object.values(b.elements).filter((e) => e.kind === 'startEvent' && e.parent === null).map((e) => e.id),
  };
}

/**
 * How long a finished instance of this process is kept: `<zeebe:property name="retentionDays"
 * value="7"/>` on the process (1 to 3650 days); null: the deployment's default (RETENTION_DAYS).
 */
function retentionDays(process: ModdleElement, problem: (message: string) => void): number | null {
  const value = zeebeProperty(process, 'retentionDays');
  if (value === null) return null;
  const days = Number(value.trim());
  if (Number.isInteger(days) && days >= 1 && days <= 3650) return days;
  problem(`retentionDays must be a whole number of days from 1 to 3650, not '${value}'`);
  return null;
}

async function compileUncached(xml: string, hash: string): Promise<CompileResult> {
  const parsed = await parseBpmn(xml);
  if (!parsed.ok) return { ok: false, hash, errors: parsed.errors };
  const problems = new Problems(parsed.lines);
  const roots = (parsed.definitions['rootElements'] as ModdleElement[] | undefined) ?? [];
  const executable = roots.filter((r) => r.$type === 'bpmn:Process' && r['isExecutable'] === true);
  checkForeignAttributes(parsed.definitions, problems);
  if (executable.length === 0) problems.add(null, 'the document has no executable process (isExecutable="true")');
  const processes: ProcessDefinition[] = [];
  for (const process of executable) {
    const compiled = compileProcess(process, hash, problems);
    if (compiled) processes.push(compiled);
  }
  checkDeploymentBindings(processes, (id, message) => problems.add(id, message));
  if (problems.list.length > 0) return { ok: false, hash, errors: problems.list };
  return { ok: true, hash, processes };
}

const CACHE_LIMIT = 256;
const cache = new Map<string, Promise<CompileResult>>();

/**
 * Compiles a BPMN document (one or more executable processes). Results are cached
 * by the sha256 of the XML, so a warm Lambda compiles each model once.
 *
 * @example
 * const result = await compileBpmn(xml);
 * if (!result.ok) console.log(result.errors); // [{ elementId: 'Gateway_1', message: '...', line: 12 }]
 */
export function compileBpmn(xml: string): Promise<CompileResult> {
  const text = typeof xml === 'string' ? xml : '';
  const hash = sha256(text);
  const hit = cache.get(hash);
  if (hit) return hit;
  const result = compileUncached(text, hash);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(hash, result);
  return result;
}
