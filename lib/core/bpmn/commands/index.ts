/**
 * BPMN's side of the step: each command to its handler, which checks that it still applies
 * (a stale command is a rejection, not an error) and drives the lifecycle through the context.
 */
import type { Command, Rejection } from '../../commands.ts';
import { REJECTIONS } from '../../commands.ts';
import { ROOT } from '../../state/types.ts';
import type { Context } from '../context.ts';
import * as calls from './calls.ts';
import * as decisions from './decisions.ts';
import * as handle from './handlers.ts';

/** Applies `command` to the run; null when it applied, else why it changes nothing. */
export function dispatch(run: Context, command: Command): Rejection | null {
  const vars = 'variables' in command ? handle.cleanVariables(command.variables) : {};
  if ('code' in vars) return vars as Rejection;
  switch (command.type) {
    case 'start':
      return handle.start(run, command, vars);
    case 'completeJob':
      return handle.completeJob(run, command.jobId, vars);
    case 'failJob':
      return handle.failJob(run, command);
    case 'throwError':
      return handle.throwJobError(run, command, vars);
    case 'completeTask':
      return handle.completeTask(run, command.taskId, vars);
    case 'correlateMessage':
      return handle.correlateMessage(run, command, vars);
    case 'broadcastSignal':
      return handle.broadcastSignal(run, command, vars);
    case 'fireTimer':
      return handle.fireTimerCommand(run, command.timerId);
    case 'resolveIncident':
      return handle.resolveIncident(run, command.incidentId, command.retries);
    case 'setVariables':
      run.setLocal(ROOT, vars);
      return null;
    case 'cancel':
      return calls.refuseChildCancel(run, command) ?? handle.cancel(run);
    case 'completeCall':
      return calls.completeCall(run, command, vars);
    case 'callThrown':
      return calls.callThrown(run, command);
    case 'failCall':
      return calls.failCall(run, command);
    case 'completeDecision':
      return decisions.completeDecision(run, command);
    case 'failDecision':
      return decisions.failDecision(run, command);
    case 'deadCommand':
      return handle.deadCommand(run, command);
    default:
      return { code: REJECTIONS.invalidCommand, message: `unknown command type '${(command as { type?: unknown }).type}'` };
  }
}
