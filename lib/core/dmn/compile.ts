/**
 * DMN XML -> compiled decisions, or every problem found (lenient parser, loud deploy,
 * as for BPMN). Each problem names its decision: "rule 3 of decision 'discount': ...".
 */
import type { ModdleElement } from 'bpmn-moddle';
import { checkSyntax } from '../expressions/feel.ts';
import { sha256, type LineIndex, type ModelProblem } from '../documents.ts';
import { parseDmn } from './parse.ts';
import { compileTable } from './table.ts';
import type { DecisionDef, DmnCompileResult, DmnDefinitions } from './types.ts';

/** DRG elements that carry documentation only. */
const PASSIVE = new Set(['dmn:InputData', 'dmn:KnowledgeSource', 'dmn:TextAnnotation', 'dmn:Association']);

const DECISION_ID = /^[A-Za-z_][\w-]{0,254}$/;
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

function versionTagOf(decision: ModdleElement): string | null {
  const values = ((decision['extensionElements'] as ModdleElement | undefined)?.['values'] as ModdleElement[] | undefined) ?? [];
  const tag = values.find((v) => v.$type === 'zeebe:VersionTag')?.['value'];
  return typeof tag === 'string' && tag.trim() !== '' ? tag.trim() : null;
}

function requiredDecisions(decision: ModdleElement): string[] {
  const requirements = (decision['informationRequirement'] as ModdleElement[] | undefined) ?? [];
  return requirements.flatMap((r) => {
    const href = (r['requiredDecision'] as ModdleElement | undefined)?.['href'];
    return typeof href === 'string' ? [href.replace(/^#/, '')] : [];
  });
}

function compileDecision(decision: ModdleElement, report: (message: string, at?: string) => void): DecisionDef | null {
  const id = String(decision.id ?? '');
  const logic = decision['decisionLogic'] as ModdleElement | undefined;
  const common = { id, name: typeof decision.name === 'string' ? decision.name : null, versionTag: versionTagOf(decision), requires: requiredDecisions(decision) };
  if (!DECISION_ID.test(id) || RESERVED.has(id)) report('a decision needs an id made of letters, digits, _ and - (not __proto__, constructor or prototype)');
  if (logic?.$type === 'dmn:DecisionTable') return { ...common, logic: compileTable(logic, report) };
  if (logic?.$type === 'dmn:LiteralExpression') {
    const expression = typeof logic['text'] === 'string' ? logic['text'].trim() : '';
    const problem = expression === '' ? 'it is empty' : checkSyntax(expression);
    if (problem) report(`invalid literal expression '${expression}' (${problem})`);
    return { ...common, logic: { type: 'literal', expression, typeRef: typeof logic['typeRef'] === 'string' ? logic['typeRef'] : null } };
  }
  report(logic ? `decision logic ${logic.$type} is not supported (supported: decision tables and literal expressions)` : 'a decision needs a decision table or a literal expression');
  return null;
}

/** Required decisions must exist and must not require each other in a cycle. */
function checkRequirements(decisions: Record<string, DecisionDef>, add: (id: string, message: string) => void): void {
  for (const decision of Object.values(decisions)) {
    for (const required of decision.requires) if (!decisions[required]) add(decision.id, `decision '${decision.id}' requires decision '${required}', which is not in this document`);
  }
  const done = new Set<string>();
  const visit = (id: string, path: string[]): void => {
    if (path.includes(id)) {
      add(id, `decisions require each other in a cycle: ${[...path.slice(path.indexOf(id)), id].join(' -> ')}`);
      return;
    }
    if (done.has(id)) return;
    for (const required of decisions[id]?.requires ?? []) visit(required, [...path, id]);
    done.add(id);
  };
  for (const id of Object.keys(decisions)) visit(id, []);
}

function compileDefinitions(root: ModdleElement, hash: string, lines: LineIndex): DmnCompileResult {
  const errors: ModelProblem[] = [];
  const add = (elementId: string | null, message: string, at: string | null = elementId): void => {
    const line = (at ? lines.get(at) : undefined) ?? (elementId ? lines.get(elementId) : undefined);
    errors.push(line === undefined ? { elementId, message } : { elementId, message, line });
  };
  const decisions: Record<string, DecisionDef> = Object.create(null) as Record<string, DecisionDef>;
  for (const element of (root['drgElement'] as ModdleElement[] | undefined) ?? []) {
    if (PASSIVE.has(element.$type)) continue;
    const id = String(element.id ?? '');
    if (element.$type !== 'dmn:Decision') {
      add(id || null, `${element.$type} '${id}' is not supported (decisions with decision tables or literal expressions are)`);
      continue;
    }
    const named = (message: string): string => (/^rule \d+/.test(message) ? message.replace(/^(rule \d+)/, `$1 of decision '${id}'`) : `decision '${id}': ${message}`);
    const compiled = compileDecision(element, (message, at) => add(id, named(message), at ?? id));
    if (compiled) decisions[id] = compiled;
  }
  if (Object.keys(decisions).length === 0 && errors.length === 0) add(null, 'the DMN document has no decision');
  checkRequirements(decisions, add);
  if (errors.length > 0) return { ok: false, hash, errors };
  const name = typeof root.name === 'string' ? root.name : null;
  const definitions: DmnDefinitions = { hash, id: String(root.id ?? ''), name, decisions: { ...decisions } };
  return { ok: true, definitions };
}

const CACHE_LIMIT = 128;
const cache = new Map<string, Promise<DmnCompileResult>>();

/**
 * Compiles a DMN 1.3 document; results are cached by the sha256 of the XML.
 *
 * @example
 * const result = await compileDmn(xml);
 * if (!result.ok) console.log(result.errors); // [{ elementId: 'discount', message: "rule 3 of decision 'discount': invalid unary test '>>5' (...)" }]
 */
export function compileDmn(xml: string): Promise<DmnCompileResult> {
  const text = typeof xml === 'string' ? xml : '';
  const hash = sha256(text);
  const hit = cache.get(hash);
  if (hit) return hit;
  const result = parseDmn(xml).then((parsed) => (parsed.ok ? compileDefinitions(parsed.definitions, hash, parsed.lines) : { ok: false as const, hash, errors: parsed.errors }));
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(hash, result);
  return result;
}
