/**
 * Rendering validation results. JSON is the contract for machines; the human form
 * is for terminals, so everything that comes from the file (paths, ids, messages)
 * is made inert there: control and bidi characters are escaped, long values cut.
 */

export interface ProblemRow {
  elementId: string | null;
  message: string;
  /** 1-based line of the element in the XML, null when unknown. */
  line: number | null;
}

export interface FileResult {
  file: string;
  ok: boolean;
  errors: ProblemRow[];
  /** Keys of the compiled processes, when ok. */
  processes?: string[];
  /** Ids of the compiled decisions, when the file is a valid DMN document. */
  decisions?: string[];
}

/** `[{ "file", "ok", "errors": [{ "elementId", "message", "line" }], "processes"? }]` */
export function formatJson(results: readonly FileResult[]): string {
  return `${JSON.stringify(results, null, 2)}\n`;
}

const MAX_FIELD = 300;
const MAX_ID_COLUMN = 40;
// C0/C1 controls and DEL, plus the bidi overrides and isolates ("Trojan Source").
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Terminal-safe, single-line, bounded: `a\u001b[31m` -> `a\u{1b}[31m`. */
export function inert(text: string, max = MAX_FIELD): string {
  const cut = text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
  return cut.replace(UNSAFE, (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`);
}

function problemRows(errors: readonly ProblemRow[]): string[] {
  const cells = errors.map((e) => ({
    line: e.line === null ? 'line ?' : `line ${e.line}`,
    id: inert(e.elementId ?? '-', MAX_ID_COLUMN),
    message: inert(e.message),
  }));
  const lineWidth = Math.max(...cells.map((c) => c.line.length));
  const idWidth = Math.max(...cells.map((c) => c.id.length));
  return cells.map((c) => `  ${c.line.padEnd(lineWidth)}  ${c.id.padEnd(idWidth)}  ${c.message}`);
}

/**
 * ```
 * ✓ examples/telecom-order.bpmn (processes: telecom-order)
 * ✗ broken.bpmn
 *   line 12  Gateway_1  a exclusiveGateway needs at least one outgoing flow
 * ```
 */
export function formatHuman(results: readonly FileResult[]): string {
  const lines: string[] = [];
  for (const result of results) {
    if (result.ok) {
      const [what, keys] = result.decisions ? ['decisions', result.decisions] : ['processes', result.processes ?? []];
      lines.push(`✓ ${inert(result.file)} (${what}: ${keys.map((k) => inert(k)).join(', ')})`);
    } else {
      lines.push(`✗ ${inert(result.file)}`, ...problemRows(result.errors));
    }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
