/**
 * One `dmn:decisionTable` -> a DecisionTable, with its problems. Every input entry is
 * checked as FEEL unary tests (syntax and a dry run, which catches tests such as
 * `>>5` that parse but cannot run), every expression for syntax.
 */
import type { ModdleElement } from 'bpmn-moddle';
import { checkSyntax, evaluateFeel, evaluateGuarded } from '../expressions/feel.ts';
import type { Json } from '../json.ts';
import { AGGREGATIONS, HIT_POLICIES, type Aggregation, type DecisionTable, type HitPolicy, type Rule, type TableOutput } from './types.ts';

/** Receives a problem; `at`: the id of the element it is on (a rule), for its line. */
type Report = (message: string, at?: string) => void;

const text = (element: unknown): string => {
  const value = (element as ModdleElement | undefined)?.['text'];
  return typeof value === 'string' ? value.trim() : '';
};
const list = (element: ModdleElement, property: string): ModdleElement[] => (element[property] as ModdleElement[] | undefined) ?? [];
const attr = (element: ModdleElement | undefined, property: string): string | null => {
  const value = element?.[property];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
};

/** An input entry that matches any value. */
export function isAnyValue(entry: string): boolean {
  return entry === '' || entry === '-';
}

/** Checks unary tests without data: a syntax error or a test that cannot run is a problem. */
function unaryTestProblem(entry: string): string | null {
  if (isAnyValue(entry)) return null;
  const result = evaluateGuarded(entry, {}, 0, { input: null });
  return result.ok ? null : result.message;
}

function readOutputValues(clause: ModdleElement, name: string, report: Report): Json[] | null {
  const values = text(clause['outputValues']);
  if (values === '') return null;
  const parsed = evaluateFeel(`[${values}]`, {}, 0);
  if (parsed.ok && Array.isArray(parsed.value)) return parsed.value;
  report(`output values of output '${name}' must be a list of literals, got '${values}'`);
  return null;
}

function readOutputs(table: ModdleElement, report: Report): TableOutput[] {
  const clauses = list(table, 'output');
  if (clauses.length === 0) report('a decision table needs at least one output');
  const names = new Set<string>();
  return clauses.map((clause, i) => {
    const name = attr(clause, 'name') ?? '';
    if (clauses.length > 1 && name === '') report(`output ${i + 1} needs a name (the key of the result)`);
    if (name !== '' && names.has(name)) report(`output name '${name}' is used twice`);
    names.add(name);
    return { name, typeRef: attr(clause, 'typeRef'), values: readOutputValues(clause, name || String(i + 1), report) };
  });
}

function readPolicy(table: ModdleElement, outputs: TableOutput[], report: Report): { hitPolicy: HitPolicy; aggregation: Aggregation | null } {
  const raw = attr(table, 'hitPolicy') ?? 'UNIQUE';
  const hitPolicy = HIT_POLICIES.find((p) => p === raw) ?? 'UNIQUE';
  if (hitPolicy !== raw) report(`hit policy '${raw}' is not supported (supported: ${HIT_POLICIES.join(', ')})`);
  const rawAggregation = attr(table, 'aggregation');
  const aggregation = AGGREGATIONS.find((a) => a === rawAggregation) ?? null;
  if (rawAggregation && !aggregation) report(`aggregation '${rawAggregation}' is not supported (supported: ${AGGREGATIONS.join(', ')})`);
  if (aggregation && hitPolicy !== 'COLLECT') report(`aggregation ${aggregation} needs hit policy COLLECT, not ${hitPolicy}`);
  if (aggregation && aggregation !== 'COUNT' && outputs.length !== 1) report(`aggregation ${aggregation} needs exactly one output`);
  if ((hitPolicy === 'PRIORITY' || hitPolicy === 'OUTPUT ORDER') && !outputs.some((o) => o.values)) {
    report(`hit policy ${hitPolicy} needs output values on an output (they give the priority)`);
  }
  return { hitPolicy, aggregation };
}

function readRule(rule: ModdleElement, index: number, inputs: number, outputs: number, reportTo: Report): Rule {
  const at = `rule ${index}`;
  const ruleId = typeof rule.id === 'string' ? rule.id : undefined;
  const report = (message: string): void => reportTo(message, ruleId);
  const inputEntries = list(rule, 'inputEntry').map(text);
  const outputEntries = list(rule, 'outputEntry').map(text);
  if (inputEntries.length !== inputs) report(`${at} has ${inputEntries.length} input entries for ${inputs} inputs`);
  if (outputEntries.length !== outputs) report(`${at} has ${outputEntries.length} output entries for ${outputs} outputs`);
  inputEntries.forEach((entry) => {
    const problem = unaryTestProblem(entry);
    if (problem) report(`${at}: invalid unary test '${entry}' (${problem})`);
  });
  outputEntries.forEach((entry) => {
    const problem = entry === '' ? null : checkSyntax(entry);
    if (problem) report(`${at}: invalid output entry '${entry}' (${problem})`);
  });
  return { index, id: typeof rule.id === 'string' ? rule.id : null, inputs: inputEntries, outputs: outputEntries };
}

/** Compiles a decision table; `report` receives each problem (the caller names the decision). */
export function compileTable(table: ModdleElement, report: Report): DecisionTable {
  const inputs = list(table, 'input').map((clause, i) => {
    const expression = text(clause['inputExpression']);
    const label = attr(clause, 'label');
    if (expression === '') report(`input ${i + 1}${label ? ` '${label}'` : ''} needs an input expression`);
    else {
      const problem = checkSyntax(expression);
      if (problem) report(`input ${i + 1}${label ? ` '${label}'` : ''}: invalid input expression '${expression}' (${problem})`);
    }
    return { label, expression, typeRef: attr(clause['inputExpression'] as ModdleElement | undefined, 'typeRef') };
  });
  const outputs = readOutputs(table, report);
  const { hitPolicy, aggregation } = readPolicy(table, outputs, report);
  const rules = list(table, 'rule').map((rule, i) => readRule(rule, i + 1, inputs.length, outputs.length, report));
  return { type: 'table', hitPolicy, aggregation, inputs, outputs, rules };
}
