/**
 * BPMN XML -> moddle tree, never trusting the XML: the checks of `../../documents.ts` run
 * before parsing, and every bpmn-moddle warning is a deploy error.
 */
import { BpmnModdle, type ModdleElement } from 'bpmn-moddle';
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import { indexLines, malformedXml, refuseUnsafeXml, warningToProblem, type LineIndex, type ModelProblem } from '../../documents.ts';

export type Parsed = { ok: true; definitions: ModdleElement; lines: LineIndex } | { ok: false; errors: ModelProblem[] };

/**
 * Parses BPMN XML with the Zeebe extensions. Refusals name what is wrong and where.
 *
 * @example await parseBpmn('<!DOCTYPE x>') // { ok: false, errors: [{ message: 'DOCTYPE ...' }] }
 */
export async function parseBpmn(xml: string): Promise<Parsed> {
  const refused = refuseUnsafeXml(xml, 'BPMN');
  if (refused) return { ok: false, errors: refused };
  const lines = indexLines(xml);
  const moddle = new BpmnModdle({ zeebe });
  try {
    const { rootElement, warnings } = await moddle.fromXML(xml);
    if (warnings.length > 0) return { ok: false, errors: warnings.map((w) => warningToProblem(w, lines)) };
    if (rootElement?.$type !== 'bpmn:Definitions') {
      return { ok: false, errors: [{ elementId: null, message: 'the document is not BPMN 2.0: its root must be bpmn:definitions' }] };
    }
    return { ok: true, definitions: rootElement, lines };
  } catch (error) {
    return { ok: false, errors: [malformedXml(error, 'BPMN')] };
  }
}
