/**
 * The single-table layout. Every key is built here, so the layout reads in one place.
 *
 * | item                | pk                       | sk                  | notes                                   |
 * |---------------------|--------------------------|---------------------|-----------------------------------------|
 * | instance head       | I#<id>                   | ~HEAD               | sorts after versions: one Query reads head + latest |
 * | instance version    | I#<id>                   | V#<10 digits>       | immutable                               |
 * | command record      | I#<id>                   | C#<commandId>       | version that applied a non-idempotent command |
 * | rejection record    | I#<id>                   | R#<commandId>       | why a command changed nothing (TTL 1 day) |
 * | definition version  | D#<key>                  | V#<6 digits>        | XML (compressed)                        |
 * | definition by hash  | D#<key>                  | H#<sha256>          | same XML = same version                 |
 * | definition counter  | D#<key>                  | ~LATEST             | last version number handed out          |
 * | definition list     | DEFS                     | <key>               | latest version per key                  |
 * | decision (DMN)      | DMN#<id> / DMNS          | as for definitions  | decisions, versioned like definitions   |
 * | open job            | JOBS#<type>#<shard>      | <jobId>             | query by type; lockedUntil + worker while leased |
 * | open task           | TASKS#G#<group>#<shard> / A#<assignee>#<shard> / U#<user>#<shard> | <taskId> | one item per way to find it |
 * | subscription        | SUB#<name>#<corrKey>     | <subscriptionId>    | query by name + correlation key         |
 * | signal subscription | SUB#signal:<name>##<shard> | <subscriptionId>  | a broadcast reads every shard           |
 * | buffered message    | MSG#<name>#<corrKey>     | <publishedAt>#<id>  | TTL = expiry                            |
 * | message start       | MSGSTART#<name>          | <definitionKey>     | version + start event the message starts |
 * | message start names | D#<key>                  | ~MSGSTART           | names registered for the key's latest version |
 * | long timer          | TIMERS#<bucket start>    | <dueAt>#<timerId>   | lib/adapters/scheduler/dynamodb.ts; swept each minute |
 * | sweep cursor        | TIMERS#CURSOR            | ~                   | the last bucket swept                   |
 * | dead command        | DEADCMD                  | <commandId>         | lib/adapters/dynamodb/dead-commands.ts; few by nature |
 * | timer start         | TIMERSTART#<key>         | <startEventId>      | lib/adapters/scheduler/start-registry.ts |
 *
 * GSI1 (heads only): gsi1pk = <definitionKey>#<status>#<shard>, gsi1sk = <startedAt>#<id>;
 * listing active instances never reads finished ones, and merges the shards.
 *
 * Shards: a key that every instance of a model writes (its job type, its status, a signal
 * everyone waits for, a busy candidate group, a timer minute) is split in SHARDS parts by a
 * hash of the item's own id, so no partition takes more than its 1,000 WCU/s at the target
 * rate (10,000 transitions/s on one model: `npm run bench -- --scale`).
 */
export const HEAD_SK = '~HEAD';
export const LATEST_SK = '~LATEST';

export const instancePk = (id: string): string => `I#${id}`;
export const versionSk = (n: number): string => `V#${String(n).padStart(10, '0')}`;
export const commandSk = (commandId: string): string => `C#${commandId}`;
export const versionOf = (sk: string): number => Number(sk.slice(2));
export const definitionPk = (key: string): string => `D#${key}`;
export const definitionSk = (n: number): string => `V#${String(n).padStart(6, '0')}`;
export const hashSk = (hash: string): string => `H#${hash}`;
export const DEFINITIONS_PK = 'DEFS';
/** DMN decisions are versioned like definitions, in their own key space (`DynamoDefinitionStore` with `kind: 'decision'`). */
export const decisionPk = (id: string): string => `DMN#${id}`;
export const DECISIONS_PK = 'DMNS';
export const DEAD_COMMANDS_PK = 'DEADCMD';
/** How many parts each shared key is split in (see the note on shards above). */
export const SHARDS = { jobs: 32, tasks: 8, signals: 16, status: 16, timers: 8 } as const;

/** A stable shard of `id` (FNV-1a): the same id always lands in the same shard. */
export function shardOf(id: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % shards;
}

export const jobsPk = (type: string, shard: number): string => `JOBS#${type}#${shard}`;
export const jobPk = (type: string, jobId: string): string => jobsPk(type, shardOf(jobId, SHARDS.jobs));
/** The lookups of a task list: by group, by user, by assignee; each sharded. */
export const taskListPk = (list: string, shard: number): string => `TASKS#${list}#${shard}`;
export const taskLists = (task: { assignee: string | null; candidateGroups: string[]; candidateUsers: string[] }): string[] => [
  ...task.candidateGroups.map((g) => `G#${g}`),
  ...task.candidateUsers.map((u) => `U#${u}`),
  ...(task.assignee ? [`A#${task.assignee}`] : []),
];
export const taskPks = (task: { taskId: string; assignee: string | null; candidateGroups: string[]; candidateUsers: string[] }): string[] =>
  taskLists(task).map((list) => taskListPk(list, shardOf(task.taskId, SHARDS.tasks)));
/** A signal's subscriptions (`signal:<name>`, key '') are every waiting instance: sharded. */
export const isBroadcast = (name: string, key: string): boolean => name.startsWith('signal:') && key === '';
export const subscriptionPk = (name: string, key: string, subscriptionId = ''): string =>
  (isBroadcast(name, key) ? `SUB#${name}#${key}#${shardOf(subscriptionId, SHARDS.signals)}` : `SUB#${name}#${key}`);
export const broadcastPks = (name: string): string[] => Array.from({ length: SHARDS.signals }, (_, s) => `SUB#${name}##${s}`);
export const messagePk = (name: string, key: string): string => `MSG#${name}#${key}`;
export const statusPk = (definitionKey: string, status: string, shard: number): string => `${definitionKey}#${status}#${shard}`;
export const statusShard = (instanceId: string): number => shardOf(instanceId, SHARDS.status);
export const startedSk = (startedAt: number, id: string): string => `${new Date(startedAt).toISOString()}#${id}`;
export const messageStartPk = (name: string): string => `MSGSTART#${name}`;
export const MESSAGE_STARTS_SK = '~MSGSTART';
