/** The head an instance version implies: everything in it derives from the version. */
import type { HeadStatus, InstanceHead, InstanceVersion } from '../ports.ts';

export function headOf(version: InstanceVersion): InstanceHead {
  const state = version.state;
  const incidents = Object.keys(state.incidents).length;
  const status: HeadStatus = state.status === 'active' && incidents > 0 ? 'incident' : state.status;
  return {
    instanceId: version.instanceId,
    version: version.version,
    status,
    definitionKey: version.definitionKey,
    definitionVersion: version.definitionVersion,
    businessKey: state.businessKey,
    startedAt: state.startedAt,
    updatedAt: version.at,
    commandId: version.commandId,
    incidents,
    ...(version.retentionDays ? { retentionDays: version.retentionDays } : {}),
  };
}
