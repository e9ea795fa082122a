/**
 * Renders a generated model (model-types.ts) as BPMN XML, keeping the soundness rules
 * listed in model-generator.ts. Ids are `<Prefix>_<n>`, unique in the document.
 */
import { bpmn, escapeXml, flow, job, message } from '../../../lib/testing/bpmn.ts';
import {
  ERROR_CODES, ESCALATION_CODES, MESSAGES, NO_BOUNDARIES, SIGNALS,
  type Block, type Boundaries, type EndKind, type EspTrigger, type EventSub, type Handler, type Loop, type Scope,
} from './model-types.ts';

/** An outgoing sequence flow not yet connected to its target. */
interface Port {
  source: string;
  flowId: string;
  condition?: string;
}

interface Context {
  /** Inside a parallel branch of the current scope: interrupting boundaries must merge back. */
  inParallel: boolean;
}

/** One boundary event to attach: its event definition, and where an interrupting one may go. */
interface BoundarySpec {
  definition: string;
  interrupting: boolean;
  toEnd: boolean;
}

/** The process a call activity starts. */
export const CHILD_PROCESS = 'child';

const SCRIPT = '<extensionElements><zeebe:script expression="=1 + 1" resultVariable="r"/></extensionElements>';
const USER = '<extensionElements><zeebe:assignmentDefinition candidateGroups="g"/></extensionElements>';

const signalDefinition = (signal: string): string => `<signalEventDefinition signalRef="Signal_${signal}"/>`;
const messageDefinition = (name: string): string => `<messageEventDefinition messageRef="Message_${name}"/>`;
const escalationDefinition = (code: string | null): string => (code ? `<escalationEventDefinition escalationRef="Escalation_${code}"/>` : '<escalationEventDefinition/>');
const errorDefinition = (code: string | null): string => (code ? `<errorEventDefinition errorRef="Error_${code}"/>` : '<errorEventDefinition/>');
const conditionalDefinition = (above: number): string =>
  `<conditionalEventDefinition><condition xsi:type="tFormalExpression">${escapeXml(`=x > ${above}`)}</condition></conditionalEventDefinition>`;

function timerDefinition(duration: string): string {
  return `<timerEventDefinition><timeDuration>${escapeXml(duration)}</timeDuration></timerEventDefinition>`;
}

function loopCharacteristics(loop: Loop | null): string {
  if (!loop) return '';
  if (loop.kind === 'standard') {
    const maximum = loop.maximum === null ? '' : ` loopMaximum="${loop.maximum}"`;
    const condition = loop.below === null ? '' : `<loopCondition xsi:type="tFormalExpression">${escapeXml(`=loopCounter < ${loop.below}`)}</loopCondition>`;
    return `<standardLoopCharacteristics testBefore="${loop.testBefore}"${maximum}>${condition}</standardLoopCharacteristics>`;
  }
  const items = Array.from({ length: loop.items }, (_, i) => i + 1).join(',');
  return `<multiInstanceLoopCharacteristics isSequential="${loop.sequential}"><extensionElements>`
    + `<zeebe:loopCharacteristics inputCollection="=[${items}]" inputElement="item" outputCollection="outs" outputElement="=loopCounter"/>`
    + '</extensionElements></multiInstanceLoopCharacteristics>';
}

function boundarySpecs(b: Boundaries): BoundarySpec[] {
  const specs: BoundarySpec[] = [];
  if (b.timer) specs.push({ definition: timerDefinition(b.timer.duration), interrupting: b.timer.interrupting, toEnd: b.timer.toEnd });
  if (b.message) specs.push({ definition: messageDefinition(b.message.message), interrupting: b.message.interrupting, toEnd: b.message.toEnd });
  if (b.signal) specs.push({ definition: signalDefinition(b.signal.signal), interrupting: b.signal.interrupting, toEnd: b.signal.toEnd });
  if (b.conditional) specs.push({ definition: conditionalDefinition(b.conditional.above), interrupting: b.conditional.interrupting, toEnd: b.conditional.toEnd });
  if (b.error) specs.push({ definition: errorDefinition(b.error.code), interrupting: true, toEnd: b.error.toEnd });
  if (b.escalation) specs.push({ definition: escalationDefinition(b.escalation.code), interrupting: b.escalation.interrupting, toEnd: b.escalation.toEnd });
  return specs;
}

function endDefinition(end: EndKind): string {
  switch (end.type) {
    case 'none': return '';
    case 'signal': return signalDefinition(end.signal);
    case 'escalation': return escalationDefinition(end.code);
    case 'compensation': return '<compensateEventDefinition/>';
    default: {
      const unknown: never = end;
      throw new Error(`unknown end ${JSON.stringify(unknown)}`);
    }
  }
}

function triggerDefinition(trigger: EspTrigger): string {
  switch (trigger.type) {
    case 'message': return messageDefinition(trigger.message);
    case 'timer': return timerDefinition(trigger.duration);
    case 'signal': return signalDefinition(trigger.signal);
    case 'conditional': return conditionalDefinition(trigger.above);
    case 'error': return errorDefinition(trigger.code);
    case 'escalation': return escalationDefinition(trigger.code);
    default: {
      const unknown: never = trigger;
      throw new Error(`unknown trigger ${JSON.stringify(unknown)}`);
    }
  }
}

/** A simple activity: a compensation handler, or an ad-hoc subprocess's inner activity. */
function handlerMarkup(handler: Handler, id: string, compensation: boolean, jobType = 'c'): string {
  const attrs = `id="${id}"${compensation ? ' isForCompensation="true"' : ''}`;
  switch (handler) {
    case 'manual': return `<manualTask ${attrs}/>`;
    case 'script': return `<scriptTask ${attrs}>${SCRIPT}</scriptTask>`;
    case 'user': return `<userTask ${attrs}>${USER}</userTask>`;
    case 'service': return `<serviceTask ${attrs}>${job(jobType)}</serviceTask>`;
    default: {
      const unknown: never = handler;
      throw new Error(`unknown handler ${String(unknown)}`);
    }
  }
}

/** The XML, and for each parallel or inclusive join the flow elements of its block (between its split and itself). */
export interface Rendered {
  xml: string;
  joins: Record<string, string[]>;
}

class Renderer {
  private counter = 0;
  /** Every id handed out, in order. */
  private readonly ids: string[] = [];
  readonly joins: Record<string, string[]> = {};

  newId(prefix: string): string {
    this.counter += 1;
    const id = `${prefix}_${this.counter}`;
    this.ids.push(id);
    return id;
  }

  port(source: string, condition?: string): Port {
    return condition === undefined ? { source, flowId: this.newId('Flow') } : { source, flowId: this.newId('Flow'), condition };
  }

  connect(port: Port, target: string, out: string[]): void {
    out.push(flow(port.source, target, port.condition, port.flowId));
  }

  sequence(blocks: Block[], entry: Port, out: string[], ctx: Context): Port {
    let port = entry;
    for (const block of blocks) port = this.block(block, port, out, ctx);
    return port;
  }

  /** A scope's inside: `start -> blocks -> end`, and its event subprocesses. */
  scope(scope: Scope, out: string[]): void {
    const start = this.newId('Start');
    const end = this.newId('End');
    out.push(`<startEvent id="${start}"/>`, `<endEvent id="${end}">${endDefinition(scope.end)}</endEvent>`);
    // A (sub)process is a scope of its own: it completes when nothing runs inside it.
    this.connect(this.sequence(scope.blocks, this.port(start), out, { inParallel: false }), end, out);
    for (const esp of scope.eventSubs) this.eventSub(esp, out);
  }

  block(block: Block, entry: Port, out: string[], ctx: Context): Port {
    const simple = (template: string, prefix: string): Port => this.activity(template, prefix, NO_BOUNDARIES, null, entry, out, ctx);
    switch (block.type) {
      case 'serviceTask':
        return this.activity(`<serviceTask id="%">${job(block.jobType)}${loopCharacteristics(block.loop)}</serviceTask>`, 'Service', block.boundaries, block.compensation, entry, out, ctx);
      case 'userTask':
        return this.activity(`<userTask id="%">${USER}${loopCharacteristics(block.loop)}</userTask>`, 'User', block.boundaries, block.compensation, entry, out, ctx);
      case 'callActivity':
        return this.activity(`<callActivity id="%"><extensionElements><zeebe:calledElement processId="${CHILD_PROCESS}"/></extensionElements>${loopCharacteristics(block.loop)}</callActivity>`, 'Call', block.boundaries, null, entry, out, ctx);
      case 'receiveTask':
        return this.activity(`<receiveTask id="%" messageRef="Message_${block.message}"/>`, 'Receive', block.boundaries, null, entry, out, ctx);
      case 'manualTask':
        return this.activity('<manualTask id="%"/>', 'Manual', NO_BOUNDARIES, block.compensation, entry, out, ctx);
      case 'scriptTask': return simple(`<scriptTask id="%">${SCRIPT}</scriptTask>`, 'Script');
      case 'throwEvent': return simple('<intermediateThrowEvent id="%"/>', 'Throw');
      case 'timerCatch': return simple(`<intermediateCatchEvent id="%">${timerDefinition(block.duration)}</intermediateCatchEvent>`, 'Timer');
      case 'messageCatch': return simple(`<intermediateCatchEvent id="%">${messageDefinition(block.message)}</intermediateCatchEvent>`, 'Catch');
      case 'signalCatch': return simple(`<intermediateCatchEvent id="%">${signalDefinition(block.signal)}</intermediateCatchEvent>`, 'SignalCatch');
      case 'conditionalCatch': return simple(`<intermediateCatchEvent id="%">${conditionalDefinition(block.above)}</intermediateCatchEvent>`, 'Conditional');
      case 'signalThrow': return simple(`<intermediateThrowEvent id="%">${signalDefinition(block.signal)}</intermediateThrowEvent>`, 'SignalThrow');
      case 'escalationThrow': return simple(`<intermediateThrowEvent id="%">${escalationDefinition(block.code)}</intermediateThrowEvent>`, 'Escalate');
      case 'compensationThrow': return simple('<intermediateThrowEvent id="%"><compensateEventDefinition/></intermediateThrowEvent>', 'Compensate');
      case 'link': return this.link(entry, out);
      case 'exclusive':
        return this.split('exclusiveGateway', (i) => `=x = ${i}`, block.branches, entry, out, ctx);
      case 'inclusive':
        return this.split('inclusiveGateway', (i) => `=x > ${i}`, block.branches, entry, out, ctx);
      case 'parallel':
        return this.split('parallelGateway', null, block.branches, entry, out, { inParallel: true });
      case 'eventGateway':
        return this.eventGateway(block, entry, out, ctx);
      case 'subProcess':
        return this.subProcess(block, entry, out, ctx);
      case 'transaction':
        return this.transaction(block, entry, out, ctx);
      case 'adHoc':
        return this.adHoc(block, entry, out, ctx);
      default: {
        const unknown: never = block;
        throw new Error(`unknown block ${JSON.stringify(unknown)}`);
      }
    }
  }

  /** One activity or event (`%` in the template is its id), with its boundary events and compensation handler. */
  private activity(template: string, prefix: string, boundaries: Boundaries, compensation: Handler | null, entry: Port, out: string[], ctx: Context): Port {
    const id = this.newId(prefix);
    out.push(template.replace('%', id));
    this.connect(entry, id, out);
    this.compensation(id, compensation, out);
    return this.boundaries(id, boundarySpecs(boundaries), out, ctx);
  }

  /** A compensation boundary event on `host`, associated with its handler (no sequence flows). */
  private compensation(host: string, handler: Handler | null, out: string[]): void {
    if (!handler) return;
    const boundary = this.newId('CompBoundary');
    const handlerId = this.newId('Undo');
    out.push(
      `<boundaryEvent id="${boundary}" attachedToRef="${host}"><compensateEventDefinition/></boundaryEvent>`,
      handlerMarkup(handler, handlerId, true),
      `<association id="${this.newId('Association')}" associationDirection="One" sourceRef="${boundary}" targetRef="${handlerId}"/>`,
    );
  }

  private boundaries(host: string, specs: BoundarySpec[], out: string[], ctx: Context): Port {
    const toMerge: string[] = [];
    for (const { definition, interrupting, toEnd } of specs) {
      const id = this.newId('Boundary');
      out.push(`<boundaryEvent id="${id}" attachedToRef="${host}" cancelActivity="${interrupting}">${definition}</boundaryEvent>`);
      if (interrupting && (ctx.inParallel || !toEnd)) {
        toMerge.push(id);
        continue;
      }
      const end = this.newId('End');
      out.push(`<endEvent id="${end}"/>`);
      this.connect(this.port(id), end, out);
    }
    if (toMerge.length === 0) return this.port(host);
    const merge = this.newId('Merge');
    out.push(`<exclusiveGateway id="${merge}"/>`);
    for (const source of [host, ...toMerge]) this.connect(this.port(source), merge, out);
    return this.port(merge);
  }

  /** A link throw event and its catch event (a name unique in the document). */
  private link(entry: Port, out: string[]): Port {
    const name = this.newId('Link');
    const throwId = this.newId('LinkThrow');
    const catchId = this.newId('LinkCatch');
    out.push(
      `<intermediateThrowEvent id="${throwId}"><linkEventDefinition name="${name}"/></intermediateThrowEvent>`,
      `<intermediateCatchEvent id="${catchId}"><linkEventDefinition name="${name}"/></intermediateCatchEvent>`,
    );
    this.connect(entry, throwId, out);
    return this.port(catchId);
  }

  private split(kind: 'exclusiveGateway' | 'inclusiveGateway' | 'parallelGateway', condition: ((i: number) => string) | null, branches: Block[][], entry: Port, out: string[], ctx: Context): Port {
    const splitId = this.newId('Split');
    const mergeId = this.newId('Join');
    const ports = branches.map((_, i) => (condition && i < branches.length - 1 ? this.port(splitId, condition(i)) : this.port(splitId)));
    const defaultFlow = condition ? ` default="${ports[ports.length - 1]?.flowId}"` : '';
    out.push(`<${kind} id="${splitId}"${defaultFlow}/>`, `<${kind} id="${mergeId}"/>`);
    this.connect(entry, splitId, out);
    const from = this.ids.length;
    branches.forEach((branch, i) => this.connect(this.sequence(branch, ports[i] as Port, out, ctx), mergeId, out));
    // Only flow elements: not flow ids, link names, associations, nor compensation handlers (never on the flow).
    if (kind !== 'exclusiveGateway') this.joins[mergeId] = this.ids.slice(from).filter((id) => !/^(Flow|Undo|Link|Association)_/.test(id));
    return this.port(mergeId);
  }

  private eventGateway(block: Extract<Block, { type: 'eventGateway' }>, entry: Port, out: string[], ctx: Context): Port {
    const gateway = this.newId('EventGateway');
    const merge = this.newId('Merge');
    const onMessage = this.newId('Catch');
    const onTimer = this.newId('Timer');
    out.push(
      `<eventBasedGateway id="${gateway}"/>`,
      `<intermediateCatchEvent id="${onMessage}">${messageDefinition(block.message)}</intermediateCatchEvent>`,
      `<intermediateCatchEvent id="${onTimer}">${timerDefinition(block.duration)}</intermediateCatchEvent>`,
      `<exclusiveGateway id="${merge}"/>`,
    );
    this.connect(entry, gateway, out);
    this.connect(this.port(gateway), onMessage, out);
    this.connect(this.port(gateway), onTimer, out);
    this.connect(this.sequence(block.onMessage, this.port(onMessage), out, ctx), merge, out);
    this.connect(this.sequence(block.onTimer, this.port(onTimer), out, ctx), merge, out);
    return this.port(merge);
  }

  private subProcess(block: Extract<Block, { type: 'subProcess' }>, entry: Port, out: string[], ctx: Context): Port {
    const id = this.newId('Sub');
    const inner: string[] = [];
    this.scope(block.scope, inner);
    out.push(`<subProcess id="${id}">${loopCharacteristics(block.loop)}\n${inner.join('\n')}\n</subProcess>`);
    this.connect(entry, id, out);
    this.compensation(id, block.compensation, out);
    return this.boundaries(id, boundarySpecs(block.boundaries), out, ctx);
  }

  /** An event subprocess of the current scope: `start(trigger) -> blocks -> end`. */
  private eventSub(esp: EventSub, out: string[]): void {
    const id = this.newId('EventSub');
    const start = this.newId('EspStart');
    const end = this.newId('EspEnd');
    const inner = [`<startEvent id="${start}" isInterrupting="${esp.interrupting}">${triggerDefinition(esp.trigger)}</startEvent>`, `<endEvent id="${end}"/>`];
    this.connect(this.sequence(esp.body, this.port(start), inner, { inParallel: false }), end, inner);
    out.push(`<subProcess id="${id}" triggeredByEvent="true">\n${inner.join('\n')}\n</subProcess>`);
  }

  /** `start -> body -> end`; with `cancel`, an exclusive split before the end leads to a cancel end event when `x = 2`. */
  private transaction(block: Extract<Block, { type: 'transaction' }>, entry: Port, out: string[], ctx: Context): Port {
    const id = this.newId('Transaction');
    const start = this.newId('Start');
    const end = this.newId('End');
    const inner = [`<startEvent id="${start}"/>`, `<endEvent id="${end}"/>`];
    let exit = this.sequence(block.body, this.port(start), inner, { inParallel: false });
    if (block.cancel) {
      const split = this.newId('Split');
      const cancelEnd = this.newId('CancelEnd');
      const toCancel = this.port(split, '=x = 2');
      this.connect(exit, split, inner);
      exit = this.port(split);
      inner.push(`<exclusiveGateway id="${split}" default="${exit.flowId}"/>`, `<endEvent id="${cancelEnd}"><cancelEventDefinition/></endEvent>`);
      this.connect(toCancel, cancelEnd, inner);
    }
    this.connect(exit, end, inner);
    out.push(`<transaction id="${id}">\n${inner.join('\n')}\n</transaction>`);
    this.connect(entry, id, out);
    const specs = boundarySpecs(block.boundaries);
    if (block.cancel) specs.push({ definition: '<cancelEventDefinition/>', interrupting: true, toEnd: block.cancel.toEnd });
    return this.boundaries(id, specs, out, ctx);
  }

  private adHoc(block: Extract<Block, { type: 'adHoc' }>, entry: Port, out: string[], ctx: Context): Port {
    const id = this.newId('AdHoc');
    const inner = block.items.map((item) => handlerMarkup(item.type, this.newId('AdHocItem'), false, item.type === 'service' ? item.jobType : undefined));
    const completion = block.completion === null ? '' : `<completionCondition xsi:type="tFormalExpression">${escapeXml(`=x > ${block.completion}`)}</completionCondition>`;
    out.push(`<adHocSubProcess id="${id}" cancelRemainingInstances="${block.cancelRemaining}">\n${inner.join('\n')}\n${completion}</adHocSubProcess>`);
    this.connect(entry, id, out);
    return this.boundaries(id, boundarySpecs(block.boundaries), out, ctx);
  }
}

const ROOT_ELEMENTS = [
  ...MESSAGES.map((name) => message(`Message_${name}`, name, '=key')),
  ...SIGNALS.map((name) => `<signal id="Signal_${name}" name="${name}"/>`),
  ...ERROR_CODES.map((code) => `<error id="Error_${code}" errorCode="${code}"/>`),
  ...ESCALATION_CODES.map((code) => `<escalation id="Escalation_${code}" escalationCode="${code}"/>`),
].join('\n  ');

/** Renders a process scope as a whole BPMN document (process id `process` unless given). */
export function renderModel(process: Scope, id = 'process'): Rendered {
  const out: string[] = [];
  const renderer = new Renderer();
  renderer.scope(process, out);
  return { xml: bpmn(out.join('\n'), { id, rootElements: ROOT_ELEMENTS }), joins: renderer.joins };
}
