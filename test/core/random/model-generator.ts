/**
 * Random, valid, block-structured process models (Zeebe's random-model tests):
 * a tree of blocks, each with one way in and one way out, rendered to BPMN XML.
 *
 *   start -> block -> block -> ... -> end
 *   block: task | catch event | split(branches...) merge | subprocess(start -> blocks -> end)
 *   service tasks and subprocesses may be multi-instance (parallel or sequential, 0-3 items)
 *
 * Soundness rules the generator keeps, so that "nothing open while active" can only
 * be an engine fault, never a deadlocked model:
 * - a non-interrupting boundary event leads to its own end event;
 * - an interrupting boundary event leads to an end event, or back into the flow through
 *   an exclusive merge right after its activity; inside a parallel branch (of the same
 *   scope) it always merges back, else the parallel join would wait forever;
 * - an event-based gateway leads to one message and one timer catch event.
 *
 * Conditions read the variable `x` (a small integer at start); correlation keys read
 * `key` (`'k1'` at start). Commands may set either to anything, which is how condition
 * and correlation-key incidents arise.
 */
import fc from 'fast-check';
import { bpmn, escapeXml, flow, job, message } from '../../../lib/testing/bpmn.ts';

export const JOB_TYPES = ['a', 'b', 'c'] as const;
export const MESSAGES = ['m1', 'm2'] as const;
export const ERROR_CODES = ['E1', 'E2'] as const;
export const DURATIONS = ['PT1M', 'PT5M', 'PT10M'] as const;

type MessageName = (typeof MESSAGES)[number];
type Duration = (typeof DURATIONS)[number];

export interface Boundaries {
  timer: { interrupting: boolean; duration: Duration; toEnd: boolean } | null;
  message: { interrupting: boolean; message: MessageName; toEnd: boolean } | null;
  /** `code: null` catches every error. Only on service tasks and subprocesses. */
  error: { code: (typeof ERROR_CODES)[number] | null; toEnd: boolean } | null;
}

/** Multi-instance over `=[1..items]`, collecting each `loopCounter` into `outs`. */
export interface Multi {
  sequential: boolean;
  items: number;
}

export type Block =
  | { type: 'serviceTask'; jobType: (typeof JOB_TYPES)[number]; boundaries: Boundaries; multi: Multi | null }
  | { type: 'userTask'; boundaries: Boundaries }
  | { type: 'scriptTask' }
  | { type: 'throwEvent' }
  | { type: 'manualTask' }
  | { type: 'timerCatch'; duration: Duration }
  | { type: 'messageCatch'; message: MessageName }
  | { type: 'receiveTask'; message: MessageName; boundaries: Boundaries }
  /** Branch i < last: `=x = i`; the last branch is the default flow. */
  | { type: 'exclusive'; branches: Block[][] }
  | { type: 'parallel'; branches: Block[][] }
  /** Branch i < last: `=x > i`; the last branch is the default flow. */
  | { type: 'inclusive'; branches: Block[][] }
  | { type: 'eventGateway'; message: MessageName; duration: Duration; onMessage: Block[]; onTimer: Block[] }
  | { type: 'subProcess'; body: Block[]; boundaries: Boundaries; multi: Multi | null };

export interface GeneratedModel {
  blocks: Block[];
  xml: string;
}

// ---------------------------------------------------------------------------------
// Arbitraries

export const MAX_DEPTH = 3;

const NO_BOUNDARIES: Boundaries = { timer: null, message: null, error: null };

function boundariesArb(withError: boolean): fc.Arbitrary<Boundaries> {
  const none = fc.constant(NO_BOUNDARIES);
  const some = fc.record({
    timer: fc.option(fc.record({ interrupting: fc.boolean(), duration: fc.constantFrom(...DURATIONS), toEnd: fc.boolean() }), { freq: 2 }),
    message: fc.option(fc.record({ interrupting: fc.boolean(), message: fc.constantFrom(...MESSAGES), toEnd: fc.boolean() }), { freq: 2 }),
    error: withError ? fc.option(fc.record({ code: fc.constantFrom(...ERROR_CODES, null), toEnd: fc.boolean() }), { freq: 3 }) : fc.constant(null),
  });
  return fc.oneof({ arbitrary: none, weight: 2 }, { arbitrary: some, weight: 3 });
}

const multiArb: fc.Arbitrary<Multi | null> = fc.oneof(
  { arbitrary: fc.constant(null), weight: 4 },
  { arbitrary: fc.record({ sequential: fc.boolean(), items: fc.integer({ min: 0, max: 3 }) }), weight: 1 },
);

const leafArb: fc.Arbitrary<Block> = fc.oneof(
  { withCrossShrink: true },
  { arbitrary: fc.record({ type: fc.constant('serviceTask' as const), jobType: fc.constantFrom(...JOB_TYPES), boundaries: boundariesArb(true), multi: multiArb }), weight: 4 },
  { arbitrary: fc.record({ type: fc.constant('userTask' as const), boundaries: boundariesArb(false) }), weight: 2 },
  { arbitrary: fc.constant({ type: 'scriptTask' as const }), weight: 1 },
  { arbitrary: fc.constant({ type: 'throwEvent' as const }), weight: 1 },
  { arbitrary: fc.constant({ type: 'manualTask' as const }), weight: 1 },
  { arbitrary: fc.record({ type: fc.constant('timerCatch' as const), duration: fc.constantFrom(...DURATIONS) }), weight: 1 },
  { arbitrary: fc.record({ type: fc.constant('messageCatch' as const), message: fc.constantFrom(...MESSAGES) }), weight: 1 },
  { arbitrary: fc.record({ type: fc.constant('receiveTask' as const), message: fc.constantFrom(...MESSAGES), boundaries: boundariesArb(false) }), weight: 1 },
);

const sequenceCache = new Map<number, fc.Arbitrary<Block[]>>();

/** A sequence of blocks whose composites nest at most `depth` levels. */
export function sequenceArb(depth: number, minLength = 0, maxLength = 3): fc.Arbitrary<Block[]> {
  const cacheKey = depth * 100 + minLength * 10 + maxLength;
  const cached = sequenceCache.get(cacheKey);
  if (cached) return cached;
  const arb = fc.array(blockArb(depth), { minLength, maxLength });
  sequenceCache.set(cacheKey, arb);
  return arb;
}

function blockArb(depth: number): fc.Arbitrary<Block> {
  if (depth <= 0) return leafArb;
  const inner = sequenceArb(depth - 1, 0, 2);
  const branches = fc.array(inner, { minLength: 2, maxLength: 3 });
  return fc.oneof(
    { withCrossShrink: true },
    { arbitrary: leafArb, weight: 6 },
    { arbitrary: fc.record({ type: fc.constant('exclusive' as const), branches }), weight: 1 },
    { arbitrary: fc.record({ type: fc.constant('parallel' as const), branches }), weight: 1 },
    { arbitrary: fc.record({ type: fc.constant('inclusive' as const), branches }), weight: 1 },
    {
      arbitrary: fc.record({
        type: fc.constant('eventGateway' as const), message: fc.constantFrom(...MESSAGES), duration: fc.constantFrom(...DURATIONS), onMessage: inner, onTimer: inner,
      }),
      weight: 1,
    },
    { arbitrary: fc.record({ type: fc.constant('subProcess' as const), body: sequenceArb(depth - 1, 1, 3), boundaries: boundariesArb(true), multi: multiArb }), weight: 1 },
  );
}

/** A whole model: 1-4 top-level blocks, rendered. Prints as its outline and XML. */
export const modelArb: fc.Arbitrary<GeneratedModel> = sequenceArb(MAX_DEPTH, 1, 4).map((blocks) => {
  const model: GeneratedModel = { blocks, xml: renderModel(blocks) };
  Object.defineProperty(model, fc.toStringMethod, { value: () => `${outline(blocks)}\n${model.xml}`, enumerable: false });
  return model;
});

// ---------------------------------------------------------------------------------
// Rendering

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

class Renderer {
  private counter = 0;

  newId(prefix: string): string {
    this.counter += 1;
    return `${prefix}_${this.counter}`;
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

  block(block: Block, entry: Port, out: string[], ctx: Context): Port {
    switch (block.type) {
      case 'serviceTask':
        return this.activity(`<serviceTask id="%">${job(block.jobType)}${multiInstance(block.multi)}</serviceTask>`, 'Service', block.boundaries, entry, out, ctx);
      case 'userTask':
        return this.activity('<userTask id="%"><extensionElements><zeebe:assignmentDefinition candidateGroups="g"/></extensionElements></userTask>', 'User', block.boundaries, entry, out, ctx);
      case 'receiveTask':
        return this.activity(`<receiveTask id="%" messageRef="Message_${block.message}"/>`, 'Receive', block.boundaries, entry, out, ctx);
      case 'scriptTask':
        return this.activity('<scriptTask id="%"><extensionElements><zeebe:script expression="=1 + 1" resultVariable="r"/></extensionElements></scriptTask>', 'Script', NO_BOUNDARIES, entry, out, ctx);
      case 'throwEvent':
        return this.activity('<intermediateThrowEvent id="%"/>', 'Throw', NO_BOUNDARIES, entry, out, ctx);
      case 'manualTask':
        return this.activity('<manualTask id="%"/>', 'Manual', NO_BOUNDARIES, entry, out, ctx);
      case 'timerCatch':
        return this.activity(`<intermediateCatchEvent id="%">${timerDefinition(block.duration)}</intermediateCatchEvent>`, 'Timer', NO_BOUNDARIES, entry, out, ctx);
      case 'messageCatch':
        return this.activity(`<intermediateCatchEvent id="%"><messageEventDefinition messageRef="Message_${block.message}"/></intermediateCatchEvent>`, 'Catch', NO_BOUNDARIES, entry, out, ctx);
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
      default: {
        const unknown: never = block;
        throw new Error(`unknown block ${JSON.stringify(unknown)}`);
      }
    }
  }

  /** One activity or event (`%` in the template is its id), with its boundary events. */
  private activity(template: string, prefix: string, boundaries: Boundaries, entry: Port, out: string[], ctx: Context): Port {
    const id = this.newId(prefix);
    out.push(template.replace('%', id));
    this.connect(entry, id, out);
    return this.boundaries(id, boundaries, out, ctx);
  }

  private boundaries(host: string, boundaries: Boundaries, out: string[], ctx: Context): Port {
    const toMerge: string[] = [];
    const add = (definition: string, interrupting: boolean, toEnd: boolean): void => {
      const id = this.newId('Boundary');
      out.push(`<boundaryEvent id="${id}" attachedToRef="${host}" cancelActivity="${interrupting}">${definition}</boundaryEvent>`);
      if (interrupting && (ctx.inParallel || !toEnd)) {
        toMerge.push(id);
        return;
      }
      const end = this.newId('End');
      out.push(`<endEvent id="${end}"/>`);
      this.connect(this.port(id), end, out);
    };
    const { timer, message: msg, error } = boundaries;
    if (timer) add(timerDefinition(timer.duration), timer.interrupting, timer.toEnd);
    if (msg) add(`<messageEventDefinition messageRef="Message_${msg.message}"/>`, msg.interrupting, msg.toEnd);
    if (error) add(error.code ? `<errorEventDefinition errorRef="Error_${error.code}"/>` : '<errorEventDefinition/>', true, error.toEnd);
    if (toMerge.length === 0) return this.port(host);
    const merge = this.newId('Merge');
    out.push(`<exclusiveGateway id="${merge}"/>`);
    for (const source of [host, ...toMerge]) this.connect(this.port(source), merge, out);
    return this.port(merge);
  }

  private split(kind: 'exclusiveGateway' | 'inclusiveGateway' | 'parallelGateway', condition: ((i: number) => string) | null, branches: Block[][], entry: Port, out: string[], ctx: Context): Port {
    const splitId = this.newId('Split');
    const mergeId = this.newId('Join');
    const ports = branches.map((_, i) => (condition && i < branches.length - 1 ? this.port(splitId, condition(i)) : this.port(splitId)));
    const defaultFlow = condition ? ` default="${ports[ports.length - 1]?.flowId}"` : '';
    out.push(`<${kind} id="${splitId}"${defaultFlow}/>`, `<${kind} id="${mergeId}"/>`);
    this.connect(entry, splitId, out);
    branches.forEach((branch, i) => this.connect(this.sequence(branch, ports[i] as Port, out, ctx), mergeId, out));
    return this.port(mergeId);
  }

  private eventGateway(block: Extract<Block, { type: 'eventGateway' }>, entry: Port, out: string[], ctx: Context): Port {
    const gateway = this.newId('EventGateway');
    const merge = this.newId('Merge');
    const onMessage = this.newId('Catch');
    const onTimer = this.newId('Timer');
    out.push(
      `<eventBasedGateway id="${gateway}"/>`,
      `<intermediateCatchEvent id="${onMessage}"><messageEventDefinition messageRef="Message_${block.message}"/></intermediateCatchEvent>`,
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
    const start = this.newId('Start');
    const end = this.newId('End');
    const inner: string[] = [`<startEvent id="${start}"/>`, `<endEvent id="${end}"/>`];
    // A subprocess is a scope of its own: it completes when nothing runs inside it.
    this.connect(this.sequence(block.body, this.port(start), inner, { inParallel: false }), end, inner);
    out.push(`<subProcess id="${id}">${multiInstance(block.multi)}\n${inner.join('\n')}\n</subProcess>`);
    this.connect(entry, id, out);
    return this.boundaries(id, block.boundaries, out, ctx);
  }
}

function multiInstance(multi: Multi | null): string {
  if (!multi) return '';
  const items = Array.from({ length: multi.items }, (_, i) => i + 1).join(',');
  return `<multiInstanceLoopCharacteristics isSequential="${multi.sequential}"><extensionElements>`
    + `<zeebe:loopCharacteristics inputCollection="=[${items}]" inputElement="item" outputCollection="outs" outputElement="=loopCounter"/>`
    + '</extensionElements></multiInstanceLoopCharacteristics>';
}

function timerDefinition(duration: string): string {
  return `<timerEventDefinition><timeDuration>${escapeXml(duration)}</timeDuration></timerEventDefinition>`;
}

const ROOT_ELEMENTS = [
  ...MESSAGES.map((name) => message(`Message_${name}`, name, '=key')),
  ...ERROR_CODES.map((code) => `<error id="Error_${code}" errorCode="${code}"/>`),
].join('\n  ');

/** Renders a block sequence as a whole process: `start -> blocks -> end`. */
export function renderModel(blocks: Block[]): string {
  const r = new Renderer();
  const out: string[] = ['<startEvent id="Start"/>', '<endEvent id="End"/>'];
  r.connect(r.sequence(blocks, r.port('Start'), out, { inParallel: false }), 'End', out);
  return bpmn(out.join('\n'), { rootElements: ROOT_ELEMENTS });
}

// ---------------------------------------------------------------------------------
// Outline (for counterexamples)

function boundaryOutline(b: Boundaries): string {
  const parts: string[] = [];
  if (b.timer) parts.push(`${b.timer.interrupting ? '!' : '~'}timer ${b.timer.duration}${b.timer.toEnd ? '' : '->merge'}`);
  if (b.message) parts.push(`${b.message.interrupting ? '!' : '~'}msg ${b.message.message}${b.message.toEnd ? '' : '->merge'}`);
  if (b.error) parts.push(`!error ${b.error.code ?? '*'}${b.error.toEnd ? '' : '->merge'}`);
  return parts.length > 0 ? ` [${parts.join(', ')}]` : '';
}

function multiOutline(multi: Multi | null): string {
  return multi ? `*${multi.sequential ? 'seq' : 'par'}${multi.items}` : '';
}

/** A one-line summary: `service(a) [!timer PT1M] -> xor(x){ user | - } -> ...`. */
export function outline(blocks: Block[]): string {
  const seq = (list: Block[]): string => (list.length === 0 ? '-' : list.map(one).join(' -> '));
  const one = (b: Block): string => {
    switch (b.type) {
      case 'serviceTask': return `service(${b.jobType})${multiOutline(b.multi)}${boundaryOutline(b.boundaries)}`;
      case 'userTask': return `user${boundaryOutline(b.boundaries)}`;
      case 'receiveTask': return `receive(${b.message})${boundaryOutline(b.boundaries)}`;
      case 'scriptTask': return 'script';
      case 'throwEvent': return 'throw';
      case 'manualTask': return 'manual';
      case 'timerCatch': return `timer(${b.duration})`;
      case 'messageCatch': return `catch(${b.message})`;
      case 'exclusive': return `xor{ ${b.branches.map(seq).join(' | ')} }`;
      case 'parallel': return `and{ ${b.branches.map(seq).join(' | ')} }`;
      case 'inclusive': return `or{ ${b.branches.map(seq).join(' | ')} }`;
      case 'eventGateway': return `event{ ${b.message}: ${seq(b.onMessage)} | ${b.duration}: ${seq(b.onTimer)} }`;
      case 'subProcess': return `sub{ ${seq(b.body)} }${multiOutline(b.multi)}${boundaryOutline(b.boundaries)}`;
      default: return 'unknown';
    }
  };
  return `start -> ${seq(blocks)} -> end`;
}
