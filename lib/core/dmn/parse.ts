/**
 * DMN XML -> moddle tree, under the BPMN parser's guards (`../model/parse.ts`): size
 * limit, DOCTYPE/ENTITY refused, malformed XML refused, every warning a problem.
 * Camunda Modeler writes DMN 1.3; older DMN namespaces are refused by name.
 */
import type { ModdleElement } from 'bpmn-moddle';
import { DmnModdle } from 'dmn-moddle';
import { indexLines, malformedXml, refuseUnsafeXml, warningToProblem, type LineIndex, type ModelProblem } from '../documents.ts';

export const DMN13_NAMESPACE = 'https://www.omg.org/spec/DMN/20191111/MODEL/';

/** The one Zeebe extension a DMN decision carries: `<zeebe:versionTag value="v1"/>`. */
const ZEEBE_DMN = {
  name: 'Zeebe', uri: 'http://camunda.org/schema/zeebe/1.0', prefix: 'zeebe', xml: { tagAlias: 'lowerCase' },
  types: [{ name: 'VersionTag', superClass: ['Element'], properties: [{ name: 'value', type: 'String', isAttr: true }] }],
};

const ROOT_TAG = /<(?:([\w-]+):)?definitions\b[^>]*>/;

/** The namespace of the root `definitions` element, or null when there is none. */
function rootNamespace(xml: string): string | null {
  const tag = ROOT_TAG.exec(xml.slice(0, 8192));
  if (!tag) return null;
  const attribute = tag[1] ? `xmlns:${tag[1]}` : 'xmlns';
  const declared = new RegExp(`\\s${attribute}\\s*=\\s*["']([^"']*)["']`).exec(tag[0]);
  return declared?.[1] ?? null;
}

/**
 * Whether a document is DMN (any version) rather than BPMN: its root `definitions`
 * is in an OMG DMN namespace.
 *
 * @example isDmnXml('<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" ...') // true
 */
export function isDmnXml(xml: string): boolean {
  return typeof xml === 'string' && /^https?:\/\/www\.omg\.org\/spec\/DMN\//.test(rootNamespace(xml) ?? '');
}

export type ParsedDmn = { ok: true; definitions: ModdleElement; lines: LineIndex } | { ok: false; errors: ModelProblem[] };

/** @example await parseDmn('<!DOCTYPE x>') // { ok: false, errors: [{ message: 'DOCTYPE declarations are not allowed in DMN documents ...' }] } */
export async function parseDmn(xml: string): Promise<ParsedDmn> {
  const refused = refuseUnsafeXml(xml, 'DMN');
  if (refused) return { ok: false, errors: refused };
  const namespace = rootNamespace(xml);
  if (namespace && isDmnXml(xml) && namespace !== DMN13_NAMESPACE) {
    return { ok: false, errors: [{ elementId: null, message: `DMN namespace '${namespace}' is not supported: deploy DMN 1.3 (${DMN13_NAMESPACE}), as Camunda Modeler writes it` }] };
  }
  const lines = indexLines(xml);
  try {
    const { rootElement, warnings } = await new DmnModdle({ zeebe: ZEEBE_DMN }).fromXML(xml);
    if (warnings.length > 0) return { ok: false, errors: warnings.map((w) => warningToProblem(w, lines)) };
    if (rootElement?.$type !== 'dmn:Definitions') return { ok: false, errors: [{ elementId: null, message: 'the document is not DMN 1.3: its root must be dmn:definitions' }] };
    return { ok: true, definitions: rootElement, lines };
  } catch (error) {
    return { ok: false, errors: [malformedXml(error, 'DMN')] };
  }
}
