/** The compile rules of tasks: the job, script, form, message or decision each kind runs. */
import type { ModdleElement } from 'bpmn-moddle';
import { isExpression } from '../../../expressions/feel.ts';
import { readCalledDecision } from '../decision.ts';
import { extension, str } from '../extensions.ts';
import type { CompileRule, ElementReader } from '../reader.ts';
import { messageTrigger } from '../triggers.ts';
import type { JobSpec, ScriptSpec, UserTaskSpec } from '../types.ts';
import { checkValue, isVariableName } from '../values.ts';

/** What a refused task that needs a job but has no zeebe:taskDefinition holds. */
const NO_JOB: JobSpec = { type: '', retries: '3', headers: {} };

export const task: CompileRule<'task'> = (base) => base;
export const manualTask: CompileRule<'manualTask'> = (base) => base;

export const serviceTask: CompileRule<'serviceTask'> = (base, read) => {
  const job = read.job();
  if (!job) read.problems.push('a service task needs a zeebe:taskDefinition with a type');
  return { ...base, job: job ?? NO_JOB };
};

function readUserTask(read: ElementReader): UserTaskSpec {
  const { node, problems } = read;
  const assignment = extension(node, 'zeebe:AssignmentDefinition');
  const form = extension(node, 'zeebe:FormDefinition');
  const schedule = extension(node, 'zeebe:TaskSchedule');
  const spec: UserTaskSpec = {
    assignee: str(assignment, 'assignee'),
    candidateGroups: str(assignment, 'candidateGroups'),
    candidateUsers: str(assignment, 'candidateUsers'),
    formKey: str(form, 'formKey'),
    formId: str(form, 'formId'),
    formBody: null,
    dueDate: str(schedule, 'dueDate'),
    followUpDate: str(schedule, 'followUpDate'),
  };
  const embedded = spec.formKey?.startsWith('camunda-forms:bpmn:') ? spec.formKey.slice('camunda-forms:bpmn:'.length) : null;
  if (embedded) {
    spec.formBody = read.forms.get(embedded) ?? null;
    if (spec.formBody === null) problems.push(`form '${embedded}' is not defined in the process (zeebe:userTaskForm)`);
  }
  for (const key of ['assignee', 'candidateGroups', 'candidateUsers', 'dueDate', 'followUpDate'] as const) checkValue(key, spec[key], problems);
  return spec;
}

export const userTask: CompileRule<'userTask'> = (base, read) => ({ ...base, userTask: readUserTask(read) });

function readScript(node: ModdleElement, problems: string[]): ScriptSpec | null {
  const script = extension(node, 'zeebe:Script');
  if (!script) return null;
  const expression = str(script, 'expression');
  const resultVariable = str(script, 'resultVariable');
  if (!expression) problems.push('zeebe:script needs an expression');
  else if (!isExpression(expression)) problems.push('zeebe:script expression must be FEEL (start with =)');
  else checkValue('script', expression, problems);
  if (!resultVariable || !isVariableName(resultVariable)) problems.push('zeebe:script needs a valid resultVariable');
  return expression && resultVariable ? { expression, resultVariable } : null;
}

/** A zeebe:script the engine runs, else a job. */
export const scriptTask: CompileRule<'scriptTask'> = (base, read) => {
  const job = read.job();
  const script = readScript(read.node, read.problems);
  if (!job && !script) read.problems.push('a script task needs a zeebe:script or a zeebe:taskDefinition');
  return script ? { ...base, script, job: null } : { ...base, script: null, job: job ?? NO_JOB };
};

/** A job, else a message the engine publishes. */
export const sendTask: CompileRule<'sendTask'> = (base, read) => {
  const job = read.job();
  const trigger = job ? null : messageTrigger(read.node['messageRef'] as ModdleElement | undefined, read.kind, read.problems);
  if (!job && trigger?.type !== 'message') read.problems.push('a send task needs a message or a zeebe:taskDefinition');
  return { ...base, trigger, job };
};

export const receiveTask: CompileRule<'receiveTask'> = (base, read) => {
  const trigger = messageTrigger(read.node['messageRef'] as ModdleElement | undefined, read.kind, read.problems);
  const condition = read.condition(trigger);
  if (trigger?.type !== 'message') read.problems.push('a receive task needs a message');
  return { ...base, trigger, condition };
};

/** A DMN decision the engine evaluates (zeebe:calledDecision), else a job; not both. */
export const businessRuleTask: CompileRule<'businessRuleTask'> = (base, read) => {
  const job = read.job();
  const decision = readCalledDecision(read.node, read.problems);
  const called = Boolean(extension(read.node, 'zeebe:CalledDecision'));
  if (!job && !called) read.problems.push('a business rule task needs a zeebe:taskDefinition or a zeebe:calledDecision');
  if (job && called) read.problems.push('a business rule task has either a zeebe:calledDecision or a zeebe:taskDefinition, not both');
  return decision ? { ...base, decision, job: null } : { ...base, decision: null, job: job ?? NO_JOB };
};
