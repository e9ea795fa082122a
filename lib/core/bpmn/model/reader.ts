/**
 * What a compile rule reads one flow node with (`ElementReader`): its trigger, its job, its
 * message condition. An extension no rule reads is refused afterwards (`leftovers`): a
 * `zeebe:taskDefinition` or a `condition` property on a kind that does not run it fails the
 * deploy instead of being ignored, without a list of kinds anywhere.
 */
import type { ModdleElement } from 'bpmn-moddle';
import { checkSyntax, isExpression } from '../../expressions/feel.ts';
import { extension, str, taskHeaders, zeebeProperty } from './extensions.ts';
import { article, readTrigger } from './triggers.ts';
import { checkValue } from './values.ts';
import type { ElementKind, ElementOf, EventTrigger, JobSpec, NodeDef } from './types.ts';

export class ElementReader {
  private jobRead = false;
  private conditionRead = false;

  constructor(
    readonly node: ModdleElement,
    readonly kind: ElementKind,
    readonly problems: string[],
    /** Embedded forms of the process (zeebe:userTaskForm), by id. */
    readonly forms: Map<string, string>,
  ) {}

  /** The event definition, refused unless its name is in `allowed`. */
  trigger(allowed: readonly string[]): EventTrigger | null {
    return readTrigger(this.node, this.kind, allowed, this.problems);
  }

  /** `zeebe:taskDefinition` as a job, or null without one. A kind whose rule never asks refuses one. */
  job(): JobSpec | null {
    this.jobRead = true;
    const definition = extension(this.node, 'zeebe:TaskDefinition');
    if (!definition) return null;
    const type = str(definition, 'type');
    if (!type) this.problems.push('zeebe:taskDefinition needs a type');
    checkValue('job type', type, this.problems);
    const retries = str(definition, 'retries') ?? '3';
    if (isExpression(retries)) checkValue('job retries', retries, this.problems);
    else if (!/^\d+$/.test(retries.trim())) this.problems.push(`job retries '${retries}' is not a whole number`);
    return { type: type ?? '', retries: retries.trim(), headers: taskHeaders(this.node) };
  }

  /**
   * The `condition` property of a message start / catch / boundary event or receive task: FEEL
   * over `payload`, `name` and `correlationKey` of the incoming message. A kind whose rule never
   * asks refuses one.
   */
  condition(trigger: EventTrigger | null): string | null {
    this.conditionRead = true;
    const condition = zeebeProperty(this.node, 'condition');
    if (condition === null) return null;
    if (trigger?.type !== 'message') return this.refuseCondition();
    if (!isExpression(condition)) {
      this.problems.push(`condition '${condition}' must be FEEL (start with =)`);
      return null;
    }
    const syntax = checkSyntax(condition);
    if (syntax) this.problems.push(`condition: ${syntax}`);
    return condition.trim();
  }

  /** What the rule left unread but the node carries. */
  leftovers(): void {
    if (!this.jobRead && extension(this.node, 'zeebe:TaskDefinition')) this.problems.push(`${article(this.kind)} ${this.kind} cannot have a zeebe:taskDefinition`);
    if (!this.conditionRead && zeebeProperty(this.node, 'condition') !== null) this.refuseCondition();
  }

  private refuseCondition(): null {
    this.problems.push('a condition property is only supported on message start, catch and boundary events and receive tasks');
    return null;
  }
}

/**
 * The compile rule of one kind: the common fields (`base`) -> the kind's definition, with a
 * problem pushed for whatever cannot run. A rule that refuses an element still returns a
 * definition of its kind (an empty job type, an empty called process id) so that the checks
 * across elements see it; a refused definition never runs.
 */
export type CompileRule<K extends ElementKind> = (base: NodeDef<K>, read: ElementReader) => ElementOf<K>;

/** One rule per kind, so adding a kind without a compile rule fails to compile. */
export type CompileRules = { readonly [K in ElementKind]: CompileRule<K> };
