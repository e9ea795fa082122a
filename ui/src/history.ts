/**
 * What the history says about the diagram: the path an instance had taken by each
 * version (elements completed, flows taken), and a one-line summary of each version.
 * A rollback to version k continues from the path of k (the later detour is undone).
 */
import type { HistoryEntry, HistoryEvent } from './types.ts';

export interface Path { completed: Set<string>; taken: Set<string> }

const copy = (p: Path): Path => ({ completed: new Set(p.completed), taken: new Set(p.taken) });

/** version -> the path taken up to and including it. `entries` oldest first. */
export function pathsByVersion(entries: HistoryEntry[]): Map<number, Path> {
  const paths = new Map<number, Path>();
  let current: Path = { completed: new Set(), taken: new Set() };
  for (const entry of entries) {
    for (const event of entry.events) {
      if (event.type === 'RolledBack' && typeof event['toVersion'] === 'number') {
        current = copy(paths.get(event['toVersion']) ?? { completed: new Set(), taken: new Set() });
      } else if (event.type === 'ElementCompleted' && typeof event['elementId'] === 'string') {
        current.completed.add(event['elementId']);
      } else if (event.type === 'FlowTaken' && typeof event['flowId'] === 'string') {
        current.taken.add(event['flowId']);
      }
    }
    paths.set(entry.version, copy(current));
  }
  return paths;
}

/** An incident's message without the job id it repeats (`job 'x.3' failed` -> `job failed`). */
export const tidy = (message: string): string => message.replace(/^job '[^']*' /, 'job ');

const str = (e: HistoryEvent, field: string): string => String(e[field] ?? '');

function phrase(event: HistoryEvent): string | null {
  switch (event.type) {
    case 'InstanceStarted': return 'started';
    case 'InstanceCompleted': return 'instance completed';
    case 'InstanceCanceled': return 'instance canceled';
    case 'ElementActivated': return `→ ${str(event, 'elementId')}`;
    case 'ElementCompleted': return `✓ ${str(event, 'elementId')}`;
    case 'ElementTerminated': return `✗ ${str(event, 'elementId')}`;
    case 'VariablesSet': {
      const vars = event['variables'];
      const names = vars && typeof vars === 'object' && !Array.isArray(vars) ? Object.keys(vars) : [];
      return names.length > 0 ? `set ${names.join(', ')}` : null;
    }
    case 'IncidentRaised': return `incident on ${str(event, 'elementId')}: ${tidy(str(event, 'message'))}`;
    case 'IncidentResolved': return 'incident resolved';
    case 'JobFailed': return `job failed (${str(event, 'retries')} retries left)`;
    case 'RolledBack': return `rolled back to version ${str(event, 'toVersion')}`;
    case 'ErrorThrown': return `error ${str(event, 'errorCode')}`;
    case 'SubscriptionCorrelated': return 'message received';
    case 'TimerFired': return 'timer fired';
    default: return null; // FlowTaken, JobCreated, CommandRecorded...: shown by the diagram, not worth a word
  }
}

/** `✓ VerifyIdentity · set identityVerified · → CheckCredit` */
export function summarize(entry: HistoryEntry): string {
  // An output mapping sets a variable in the element's scope and then the parent's: say it once.
  const parts = [...new Set(entry.events.map(phrase).filter((p): p is string => p !== null))];
  return parts.length > 0 ? parts.join(' · ') : 'no change';
}
