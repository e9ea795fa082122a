/** The API's JSON shapes the page reads (see `GET /openapi.json`). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Variables = Record<string, Json>;
export const STATUSES = ['active', 'incident', 'completed', 'canceled'] as const;
export type Status = (typeof STATUSES)[number];

export interface DefinitionSummary { key: string; latestVersion: number; deployedAt: string }
export interface Definition { key: string; versions: Array<{ version: number; hash: string; deployedAt: string }> }
export interface DeployResult { deployed: Array<{ key: string; version: number }> }

export interface InstanceSummary {
  instanceId: string; definitionKey: string; definitionVersion: number; businessKey: string | null; startedAt: string; status: Status;
}
export interface Incident { incidentId: string; elementId: string; kind: string; message: string; jobId: string | null; at: string }
export interface Job { jobId: string; type: string; instanceId: string; elementId: string; variables: Variables; headers: Record<string, string>; retries: number }
export interface Task {
  taskId: string; instanceId: string; elementId: string; name: string | null; assignee: string | null;
  candidateGroups: string[]; candidateUsers: string[]; formKey: string | null; formId: string | null; variables: Variables;
}
export interface Instance {
  instanceId: string; definitionKey: string; definitionVersion: number; businessKey: string | null; status: Status; version: number;
  startedAt: string; endedAt: string | null; updatedAt: string; variables: Variables; activeElements: string[];
  incidents: Incident[]; jobs: Job[]; tasks: Task[];
  /** The call activity that started this instance (absent from servers older than call activities). */
  parent?: { instanceId: string; callId: string } | null;
  /** Child instances of its waiting call activities. */
  calls?: Array<{ callId: string; elementId: string; childInstanceId: string; processId: string }>;
}
export type HistoryEvent = { type: string } & Record<string, Json>;
export interface HistoryEntry { version: number; commandId: string; command: { type: string } & Record<string, Json>; at: string; events: HistoryEvent[] }
export interface HistoryPage { versions: HistoryEntry[]; next: number | null }
export interface CommandOutcome { status: 'applied' | 'accepted'; commandId: string; instanceId: string; version?: number }
