/** The compile rules of subprocesses, ad-hoc subprocesses and call activities. */
import { readAdHoc } from '../ad-hoc.ts';
import { readCall } from '../call.ts';
import type { CompileRule } from '../reader.ts';
import type { CallSpec } from '../types.ts';

/** `start` is set by the structure check once the inner elements are known. A `bpmn:Transaction` is a subprocess marked `transaction`. */
export const subProcess: CompileRule<'subProcess'> = (base, read) => ({
  ...base,
  triggeredByEvent: read.node['triggeredByEvent'] === true,
  start: '',
  ...(read.node.$type === 'bpmn:Transaction' ? { transaction: true } : {}),
});

export const adHocSubProcess: CompileRule<'adHocSubProcess'> = (base, read) => ({
  ...base,
  triggeredByEvent: read.node['triggeredByEvent'] === true,
  adHoc: readAdHoc(read.node, read.problems),
});

/** What a refused call activity (no zeebe:calledElement) holds. */
const NO_CALL: CallSpec = { processId: '', bindingType: 'latest', versionTag: null, propagateAllChildVariables: true, propagateAllParentVariables: true };

export const callActivity: CompileRule<'callActivity'> = (base, read) => ({ ...base, call: readCall(read.node, read.problems) ?? NO_CALL });
