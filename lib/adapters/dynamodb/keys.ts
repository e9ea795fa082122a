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
 * | open job            | JOBS#<type>              | <jobId>             | query by type; lockedUntil + worker while leased |
 * | open task           | TASKS#G#<group> / A#<assignee> / U#<user> | <taskId> | one item per way to find it |
 * | subscription        | SUB#<name>#<corrKey>     | <subscriptionId>    | query by name + correlation key         |
 * | buffered message    | MSG#<name>#<corrKey>     | <publishedAt>#<id>  | TTL = expiry                            |
 * | message start       | MSGSTART#<name>          | <definitionKey>     | version + start event the message starts |
 * | message start names | D#<key>                  | ~MSGSTART           | names registered for the key's latest version |
 * | long timer          | TIMERS#<bucket start>    | <dueAt>#<timerId>   | lib/adapters/scheduler/dynamodb.ts; swept each minute |
 * | sweep cursor        | TIMERS#CURSOR            | ~                   | the last bucket swept                   |
 * | dead command        | DEADCMD                  | <commandId>         | lib/adapters/dynamodb/dead-commands.ts; few by nature |
 * | timer start         | TIMERSTART#<key>         | <startEventId>      | lib/adapters/scheduler/start-registry.ts |
 *
 * GSI1 (heads only): gsi1pk = <definitionKey>#<status>, gsi1sk = <startedAt>#<id>; listing
 * active instances never reads finished ones.
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
export const jobsPk = (type: string): string => `JOBS#${type}`;
export const taskPks = (task: { assignee: string | null; candidateGroups: string[]; candidateUsers: string[] }): string[] => [
  ...task.candidateGroups.map((g) => `TASKS#G#${g}`),
  ...task.candidateUsers.map((u) => `TASKS#U#${u}`),
  ...(task.assignee ? [`TASKS#A#${task.assignee}`] : []),
];
export const subscriptionPk = (name: string, key: string): string => `SUB#${name}#${key}`;
export const messagePk = (name: string, key: string): string => `MSG#${name}#${key}`;
export const statusPk = (definitionKey: string, status: string): string => `${definitionKey}#${status}`;
export const startedSk = (startedAt: number, id: string): string => `${new Date(startedAt).toISOString()}#${id}`;
export const messageStartPk = (name: string): string => `MSGSTART#${name}`;
export const MESSAGE_STARTS_SK = '~MSGSTART';
