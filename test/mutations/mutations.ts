/** The protocol mutations (see run.ts): exact snippets replaced in the code. */
export interface Mutation {
  id: string;
  what: string;
  edits: Array<{ file: string; from: string; to: string }>;
  /** The tests to run (default: run.ts's guards). */
  tests?: string[];
}

const INSTANCES = 'lib/adapters/dynamodb/instances.ts';
const TRANSITION = 'lib/app/transition.ts';

export const MUTATIONS: Mutation[] = [
  {
    id: 'M1', what: 'the version put has no condition (two writers can both write version n+1)',
    edits: [{ file: INSTANCES, from: "TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(pk)',", to: 'TableName: this.table, Item: item,' }],
  },
  {
    id: 'M2', what: 'the head swap has no condition (the head can move back)',
    edits: [
      { file: INSTANCES, from: "Item: marshall(base, { removeUndefinedValues: true }), ConditionExpression: 'attribute_not_exists(pk)',", to: 'Item: marshall(base, { removeUndefinedValues: true }),' },
      { file: INSTANCES, from: "ConditionExpression: '#version = :from',", to: '' },
      { file: INSTANCES, from: "names['#version'] = 'version';", to: "values[':from'] = undefined;" },
    ],
  },
  {
    id: 'M3', what: 'no roll-forward: a version found beyond the head is left as it is',
    edits: [{ file: TRANSITION, from: 'if (latest && (!head || head.version < latest.version)) await rollForward(deps, latest, head);', to: '' }],
  },
  {
    id: 'M4', what: 'roll-forward without re-emit: the head moves to an orphan whose effects were never sent',
    edits: [{ file: TRANSITION, from: 'if (latest && (!head || head.version < latest.version)) await rollForward(deps, latest, head);', to: 'if (latest && (!head || head.version < latest.version)) await deps.instances.swapHead(headOf(latest), head?.version ?? null);' }],
  },
  {
    id: 'M5a', what: 'duplicate check 1 removed: the latest version carries the command id',
    edits: [{ file: TRANSITION, from: "if (base.version?.commandId === envelope.id) return { status: 'duplicate', version: base.version.version, retries: attempt };", to: '' }],
  },
  {
    id: 'M5b', what: 'duplicate check 2 removed: the durable command record',
    edits: [{ file: TRANSITION, from: "if (applied !== null) return { status: 'duplicate', version: applied, retries: attempt };", to: '' }],
  },
  {
    id: 'M5c', what: "duplicate check 3 removed: the core's recent command ids",
    edits: [{ file: 'lib/core/step.ts', from: '(state.recentCommands ?? []).includes(meta.commandId)) {', to: "(state.recentCommands ?? []).includes(meta.commandId) && meta.commandId === '') {" }],
  },
  {
    id: 'M6', what: 'effect ids not deterministic',
    edits: [{ file: 'lib/app/effects.ts', from: 'await this.perform(effect, `${version.instanceId}:${version.version}:${index}`);', to: 'await this.perform(effect, `${version.instanceId}:${version.version}:${index}:${Math.random()}`);' }],
  },
  {
    id: 'M7', what: 'a rejection judged on an eventually consistent read is final',
    edits: [{ file: TRANSITION, from: "if (!base.consistent) return { kind: 'recheck' };", to: '' }],
  },
  {
    id: 'M8', what: 'no repair after a late re-emit',
    edits: [{ file: TRANSITION, from: 'await repairLateEmit(deps, version);', to: '' }],
  },
  {
    id: 'M9', what: "a rolled-back finished instance keeps its head's TTL",
    edits: [
      { file: INSTANCES, from: "if (!finished) names['#ttl'] = 'ttl';", to: '' },
      { file: INSTANCES, from: "UpdateExpression: `SET ${sets.join(', ')}${finished ? '' : ' REMOVE #ttl'}`,", to: "UpdateExpression: `SET ${sets.join(', ')}`," },
    ],
  },
  {
    id: 'M10', what: 'the command record is not written before the head moves',
    edits: [{ file: TRANSITION, from: 'if (needsCommandRecord(version.command)) await deps.instances.putCommandRecord(version.instanceId, version.commandId, version.version);', to: '' }],
  },
];
