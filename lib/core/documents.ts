/**
 * What the compiler of every notation (BPMN, DMN, later CMMN) shares: the document hash,
 * the checks made before any XML is parsed, line numbers for problems, and the problem
 * shape a refused deploy reports. Untrusted XML: size first, no DOCTYPE or ENTITY.
 */
import { createHash } from 'node:crypto';
import type { ParseWarning } from 'bpmn-moddle';

/** A deploy-time problem, pointing at the element and, where known, the XML line. */
export interface ModelProblem {
  elementId: string | null;
  message: string;
  line?: number;
}

/** The sha256 of a document: the identity of a deployed version and the key of the compile cache. */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export const MAX_XML_BYTES = 2 * 1024 * 1024;

/** Element id -> 1-based line of the tag that declares it. */
export type LineIndex = Map<string, number>;

export function indexLines(xml: string): LineIndex {
  const lines: LineIndex = new Map();
  const pattern = /\sid\s*=\s*["']([^"']+)["']/g;
  let line = 1;
  let last = 0;
  for (let match = pattern.exec(xml); match; match = pattern.exec(xml)) {
    for (let i = last; i < match.index; i++) if (xml.charCodeAt(i) === 10) line++;
    last = match.index;
    const id = match[1] ?? '';
    if (!lines.has(id)) lines.set(id, line);
  }
  return lines;
}

/** bpmn-moddle reports `line: N` (0-based) inside its messages. */
function lineFromMessage(message: string): number | undefined {
  const match = /line: (\d+)/.exec(message);
  return match ? Number(match[1]) + 1 : undefined;
}

function cleanMessage(message: string): string {
  const nested = /nested error: (.*)$/m.exec(message);
  const head = message.split('\n')[0] ?? message;
  return nested ? `${head}: ${nested[1]}` : head;
}

export function warningToProblem(warning: ParseWarning, lines: LineIndex): ModelProblem {
  const duplicate = /duplicate ID <([^>]+)>/.exec(warning.message)?.[1];
  const elementId = typeof warning.element?.id === 'string' ? warning.element.id : (duplicate ?? null);
  const line = lineFromMessage(warning.message) ?? (elementId ? lines.get(elementId) : undefined);
  const message = warning.property
    ? `${cleanMessage(warning.message)} (in ${warning.property})`
    : cleanMessage(warning.message);
  return line === undefined ? { elementId, message } : { elementId, message, line };
}

/**
 * The checks made before any XML is parsed (BPMN and DMN alike): text, within the size
 * limit, not empty, no DOCTYPE or ENTITY declaration. Null when the XML may be parsed.
 *
 * @example refuseUnsafeXml('<!DOCTYPE x>', 'DMN') // [{ elementId: null, message: 'DOCTYPE declarations are not allowed in DMN documents ...', line: 1 }]
 */
export function refuseUnsafeXml(xml: unknown, label: string): ModelProblem[] | null {
  if (typeof xml !== 'string') return [{ elementId: null, message: `${label} input must be text` }];
  const bytes = Buffer.byteLength(xml, 'utf8');
  if (bytes > MAX_XML_BYTES) {
    return [{ elementId: null, message: `${label} document is ${bytes} bytes; the limit is ${MAX_XML_BYTES} bytes (2 MB)` }];
  }
  const declaration = /<!(DOCTYPE|ENTITY)/i.exec(xml);
  if (declaration) {
    const line = xml.slice(0, declaration.index).split('\n').length;
    return [{ elementId: null, message: `${declaration[1]?.toUpperCase()} declarations are not allowed in ${label} documents (entity expansion and external entities are refused)`, line }];
  }
  if (xml.trim() === '') return [{ elementId: null, message: `${label} document is empty` }];
  return null;
}

/** A parser exception (malformed XML) as a problem, with its line when the message has one. */
export function malformedXml(error: unknown, label: string): ModelProblem {
  const message = error instanceof Error ? error.message : String(error);
  const line = lineFromMessage(message);
  const problem: ModelProblem = { elementId: null, message: `malformed ${label} XML: ${cleanMessage(message)}` };
  return line === undefined ? problem : { ...problem, line };
}
