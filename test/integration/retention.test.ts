import type { DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { deploy } from '../../lib/app/definitions.ts';
import { expiredInstances, purgeExpired } from '../../lib/app/retention.ts';
import { applyCommand } from '../../lib/app/transition.ts';
import { DynamoInstanceStore } from '../../lib/adapters/dynamodb/instances.ts';
import { bpmn, flows, job } from '../../lib/testing/index.ts';
import { quietLogger, testRuntime } from './runtime.ts';

const ttlRemoval = (pk: string, sk: string, byTtl = true): DynamoDBStreamEvent['Records'][number] => ({
  eventName: 'REMOVE',
  dynamodb: { Keys: { pk: { S: pk }, sk: { S: sk } } },
  ...(byTtl ? { userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' } } : {}),
});

describe('retention of finished instances', () => {
  it('gives the head (only) a TTL when the instance finishes, and takes it away when a rollback makes it run again', async () => {
    const rt = await testRuntime({ retentionDays: 7 });
    const [def] = await deploy(rt.definitions, rt.clock, bpmn(`<startEvent id="s"/><serviceTask id="w">${job('w')}</serviceTask><endEvent id="e"/>${flows('s', 'w', 'e')}`, { id: 'ret' }));
    await applyCommand(rt.transition, { id: 'a', instanceId: 'r1', definition: { key: 'ret', version: def!.version }, command: { type: 'start', instanceId: 'r1' } });
    const [open] = await rt.index.listJobs('w');
    await applyCommand(rt.transition, { id: 'b', instanceId: 'r1', command: { type: 'completeJob', jobId: open!.jobId } });
    const { GetItemCommand } = await import('@aws-sdk/client-dynamodb');
    const get = (sk: string) => rt.dynamodb.send(new GetItemCommand({ TableName: rt.config.tableName, Key: { pk: { S: 'I#r1' }, sk: { S: sk } } }));
    const head = (await get('~HEAD')).Item;
    const first = (await get('V#0000000001')).Item;
    const last = (await get('V#0000000002')).Item;
    const expected = Math.floor(rt.clock.now() / 1000) + 7 * 86400;
    expect(Number(head?.['ttl']?.N)).toBeGreaterThan(expected - 60);
    // Versions never expire on their own: a rollback may make any of them current again.
    expect(last?.['ttl']).toBeUndefined();
    expect(first?.['ttl']).toBeUndefined();
    const back = await applyCommand(rt.transition, { id: 'c', instanceId: 'r1', command: { type: 'rollback', toVersion: 1 } });
    expect(back.status).toBe('applied');
    const running = (await get('~HEAD')).Item;
    expect(running?.['status']?.S).toBe('active');
    expect(running?.['ttl']).toBeUndefined();
  });

  it('keeps a finished instance as long as its definition says (process property retentionDays), else the deployment default', async () => {
    const rt = await testRuntime({ retentionDays: 30 });
    const props = '<extensionElements><zeebe:properties><zeebe:property name="retentionDays" value="2"/></zeebe:properties></extensionElements>';
    const xml = bpmn(`<startEvent id="s"/><endEvent id="e"/>${flows('s', 'e')}`, { id: 'short' }).replace('<process id="short" isExecutable="true">', `<process id="short" isExecutable="true">${props}`);
    const [def] = await deploy(rt.definitions, rt.clock, xml);
    await applyCommand(rt.transition, { id: 'go', instanceId: 'short1', definition: { key: 'short', version: def!.version }, command: { type: 'start', instanceId: 'short1' } });
    const { GetItemCommand } = await import('@aws-sdk/client-dynamodb');
    const head = (await rt.dynamodb.send(new GetItemCommand({ TableName: rt.config.tableName, Key: { pk: { S: 'I#short1' }, sk: { S: '~HEAD' } } }))).Item;
    const expected = Math.floor(rt.clock.now() / 1000) + 2 * 86400;
    expect(Number(head?.['ttl']?.N)).toBeGreaterThan(expected - 60);
    expect(Number(head?.['ttl']?.N)).toBeLessThanOrEqual(expected);
    await expect(deploy(rt.definitions, rt.clock, xml.replace('value="2"', 'value="forever"'))).rejects.toThrow(/retentionDays must be a whole number of days from 1 to 3650, not 'forever'/);
  });

  it('purges what is left of an instance when its head expires, and nothing else', async () => {
    const rt = await testRuntime();
    const [def] = await deploy(rt.definitions, rt.clock, bpmn(`<startEvent id="s"/><userTask id="t"/><endEvent id="e"/>${flows('s', 't', 'e')}`, { id: 'ret2' }));
    for (const id of ['gone', 'kept']) {
      await applyCommand(rt.transition, { id: `${id}-s`, instanceId: id, definition: { key: 'ret2', version: def!.version }, command: { type: 'start', instanceId: id } });
      await applyCommand(rt.transition, { id: `${id}-v`, instanceId: id, command: { type: 'setVariables', variables: { a: 1 } } });
    }
    const event: DynamoDBStreamEvent = { Records: [ttlRemoval('I#gone', '~HEAD'), ttlRemoval('I#kept', '~HEAD', false), ttlRemoval('D#x', '~HEAD')] };
    expect(expiredInstances(event)).toEqual(['gone']);
    const removed = await purgeExpired(rt.instances as DynamoInstanceStore, quietLogger, event);
    expect(removed).toBe(4); // head + 2 versions + the setVariables command record
    expect(await rt.instances.listVersions('gone')).toEqual([]);
    expect(await rt.instances.listVersions('kept')).toHaveLength(2);
  });
});
