/**
 * The compiled, JSON-serialisable form of a DMN document: its decisions, each a
 * decision table or a literal expression. Expressions are kept as written (FEEL);
 * the evaluator (`evaluate.ts`) never sees moddle objects.
 */
import type { Json } from '../json.ts';
import type { ModelProblem } from '../documents.ts';

/** Hit policies that evaluate; the others of DMN 1.3 are refused at deploy. */
export const HIT_POLICIES = ['UNIQUE', 'FIRST', 'PRIORITY', 'ANY', 'COLLECT', 'RULE ORDER', 'OUTPUT ORDER'] as const;
export type HitPolicy = (typeof HIT_POLICIES)[number];

/** COLLECT aggregations (`aggregation` attribute); null: the list of matches. */
export const AGGREGATIONS = ['SUM', 'MIN', 'MAX', 'COUNT'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

export interface TableInput {
  label: string | null;
  /** FEEL expression whose value the input entries test. */
  expression: string;
  typeRef: string | null;
}

export interface TableOutput {
  /** Key of this output in a multi-output result. */
  name: string;
  typeRef: string | null;
  /** Output values in priority order (PRIORITY, OUTPUT ORDER), or null when not given. */
  values: Json[] | null;
}

export interface Rule {
  /** 1-based, as the modeler shows rules. */
  index: number;
  id: string | null;
  /** One FEEL unary test per input (`-` matches anything). */
  inputs: string[];
  /** One FEEL expression per output (empty: null). */
  outputs: string[];
}

export interface DecisionTable {
  type: 'table';
  hitPolicy: HitPolicy;
  aggregation: Aggregation | null;
  inputs: TableInput[];
  outputs: TableOutput[];
  rules: Rule[];
}

export interface LiteralExpression {
  type: 'literal';
  expression: string;
  typeRef: string | null;
}

export interface DecisionDef {
  id: string;
  name: string | null;
  /** `zeebe:versionTag` of the decision, for bindingType="versionTag". */
  versionTag: string | null;
  /** Decisions evaluated first; each result is visible under its decision id. */
  requires: string[];
  logic: DecisionTable | LiteralExpression;
}

export interface DmnDefinitions {
  /** sha256 of the XML: the same document is the same version of each decision. */
  hash: string;
  /** The `id` of the `definitions` element. */
  id: string;
  name: string | null;
  decisions: Record<string, DecisionDef>;
}

/** The decision `id` of a compiled document, or undefined (never an inherited property such as `constructor`). */
export function decisionOf(definitions: DmnDefinitions, id: string): DecisionDef | undefined {
  return Object.hasOwn(definitions.decisions, id) ? definitions.decisions[id] : undefined;
}

export type DmnCompileResult = { ok: true; definitions: DmnDefinitions } | { ok: false; hash: string; errors: ModelProblem[] };
