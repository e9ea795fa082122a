/**
 * A one-line summary of a generated model, printed with every counterexample:
 *
 *   start -> service(a) [!timer PT1M, ~signal s1] -> xor{ user | - } -> sub{ ... | esp ~msg m1: manual } -> end
 *
 * `!` marks an interrupting event, `~` a non-interrupting one; `->merge` a boundary that
 * merges back into the flow; `+undo(kind)` a compensation handler; `@...` a loop.
 */
import type { Block, Boundaries, EndKind, EspTrigger, Handler, Loop, Scope } from './model-types.ts';

const mark = (interrupting: boolean): string => (interrupting ? '!' : '~');
const merge = (toEnd: boolean): string => (toEnd ? '' : '->merge');

function boundaryOutline(b: Boundaries, extra: string[] = []): string {
  const parts: string[] = [];
  if (b.timer) parts.push(`${mark(b.timer.interrupting)}timer ${b.timer.duration}${merge(b.timer.toEnd)}`);
  if (b.message) parts.push(`${mark(b.message.interrupting)}msg ${b.message.message}${merge(b.message.toEnd)}`);
  if (b.signal) parts.push(`${mark(b.signal.interrupting)}signal ${b.signal.signal}${merge(b.signal.toEnd)}`);
  if (b.conditional) parts.push(`${mark(b.conditional.interrupting)}when x>${b.conditional.above}${merge(b.conditional.toEnd)}`);
  if (b.error) parts.push(`!error ${b.error.code ?? '*'}${merge(b.error.toEnd)}`);
  if (b.escalation) parts.push(`${mark(b.escalation.interrupting)}escalation ${b.escalation.code ?? '*'}${merge(b.escalation.toEnd)}`);
  parts.push(...extra);
  return parts.length > 0 ? ` [${parts.join(', ')}]` : '';
}

function loopOutline(loop: Loop | null): string {
  if (!loop) return '';
  if (loop.kind === 'multi') return `*${loop.sequential ? 'seq' : 'par'}${loop.items}`;
  const parts = [loop.below === null ? '' : `counter<${loop.below}`, loop.maximum === null ? '' : `max${loop.maximum}`].filter(Boolean);
  return `@${loop.testBefore ? 'while' : 'do'}(${parts.join(',')})`;
}

const handlerOutline = (handler: Handler | null): string => (handler ? ` +undo(${handler})` : '');

function endOutline(end: EndKind): string {
  switch (end.type) {
    case 'none': return 'end';
    case 'signal': return `end(signal ${end.signal})`;
    case 'escalation': return `end(escalation ${end.code})`;
    case 'compensation': return 'end(compensate)';
    default: return 'end(?)';
  }
}

function triggerOutline(t: EspTrigger): string {
  switch (t.type) {
    case 'message': return `msg ${t.message}`;
    case 'timer': return `timer ${t.duration}`;
    case 'signal': return `signal ${t.signal}`;
    case 'conditional': return `when x>${t.above}`;
    case 'error': return `error ${t.code ?? '*'}`;
    case 'escalation': return `escalation ${t.code ?? '*'}`;
    default: return '?';
  }
}

const seq = (list: Block[]): string => (list.length === 0 ? '-' : list.map(one).join(' -> '));

function scopeOutline(scope: Scope): string {
  const esps = scope.eventSubs.map((esp) => ` | esp ${mark(esp.interrupting)}${triggerOutline(esp.trigger)}: ${seq(esp.body)}`).join('');
  return `start -> ${seq(scope.blocks)} -> ${endOutline(scope.end)}${esps}`;
}

function one(b: Block): string {
  switch (b.type) {
    case 'serviceTask': return `service(${b.jobType})${loopOutline(b.loop)}${handlerOutline(b.compensation)}${boundaryOutline(b.boundaries)}`;
    case 'userTask': return `user${loopOutline(b.loop)}${handlerOutline(b.compensation)}${boundaryOutline(b.boundaries)}`;
    case 'callActivity': return `call(child)${loopOutline(b.loop)}${boundaryOutline(b.boundaries)}`;
    case 'receiveTask': return `receive(${b.message})${boundaryOutline(b.boundaries)}`;
    case 'scriptTask': return 'script';
    case 'throwEvent': return 'throw';
    case 'manualTask': return `manual${handlerOutline(b.compensation)}`;
    case 'timerCatch': return `timer(${b.duration})`;
    case 'messageCatch': return `catch(${b.message})`;
    case 'signalCatch': return `catchSignal(${b.signal})`;
    case 'conditionalCatch': return `when(x>${b.above})`;
    case 'signalThrow': return `throwSignal(${b.signal})`;
    case 'escalationThrow': return `escalate(${b.code})`;
    case 'compensationThrow': return 'compensate';
    case 'link': return 'link';
    case 'exclusive': return `xor{ ${b.branches.map(seq).join(' | ')} }`;
    case 'parallel': return `and{ ${b.branches.map(seq).join(' | ')} }`;
    case 'inclusive': return `or{ ${b.branches.map(seq).join(' | ')} }`;
    case 'eventGateway': return `event{ ${b.message}: ${seq(b.onMessage)} | ${b.duration}: ${seq(b.onTimer)} }`;
    case 'subProcess': return `sub{ ${scopeOutline(b.scope)} }${loopOutline(b.loop)}${handlerOutline(b.compensation)}${boundaryOutline(b.boundaries)}`;
    case 'transaction': return `tx{ ${seq(b.body)}${b.cancel ? ' -> xor(x=2: cancel)' : ''} }${boundaryOutline(b.boundaries, b.cancel ? [`!cancel${merge(b.cancel.toEnd)}`] : [])}`;
    case 'adHoc': return `adhoc{ ${b.items.map((i) => (i.type === 'service' ? `service(${i.jobType})` : i.type)).join(', ')} }${b.completion === null ? '' : `(done x>${b.completion}${b.cancelRemaining ? '' : ', let finish'})`}${boundaryOutline(b.boundaries)}`;
    default: return 'unknown';
  }
}

/** The outline of a whole process. */
export function outline(process: Scope): string {
  return scopeOutline(process);
}
