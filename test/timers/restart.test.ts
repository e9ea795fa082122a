/**
 * The local runtime (`npm start`) stopped with timers pending and started again on the
 * same data folder loses none: a 3 s timer waiting on the SQS delay queue (fauxqs keeps
 * its messages in the data folder) and an 8 s timer parked as a due-time item in
 * DynamoDB (the threshold lowered to 3 s, swept every 300 ms) both fire after the restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../lib/local/emulators.ts';
import { startLocal, type LocalOptions, type LocalRuntime } from '../../lib/local/runtime.ts';
import { bpmn, flows } from '../../lib/testing/index.ts';
import { until } from '../support/wait.ts';

const waiting = (id: string, duration: string) => bpmn(`<startEvent id="start"/><intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>${duration}</timeDuration></timerEventDefinition></intermediateCatchEvent><endEvent id="end"/>${flows('start', 'wait', 'end')}`, { id });
const dataDir = mkdtempSync(join(tmpdir(), 'sbpmn-restart-'));
let local: LocalRuntime | null = null;

afterAll(async () => {
  await local?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function http(path: string, init?: RequestInit): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${local?.url}${path}`, init);
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}


describe('the local runtime, restarted with timers pending', () => {
  it('fires every pending timer after the restart', async () => {
    const options: LocalOptions = {
      port: 0, dataDir, examplesDir: null, sweepIntervalMs: 300, timersMaxDelaySeconds: 3, timersLeadSeconds: 2, timersBucketSeconds: 1,
      emulatorPorts: { dynamodb: await freePort(), sqs: await freePort() },
    };
    local = await startLocal({ ...options, fresh: true });
    for (const xml of [waiting('shortwait', 'PT3S'), waiting('longwait', 'PT8S')]) {
      expect((await http('/v1/definitions', { method: 'POST', headers: { 'content-type': 'application/xml' }, body: xml })).status).toBeLessThan(300);
    }
    const ids: string[] = [];
    for (const key of ['shortwait', 'longwait']) {
      const started = await http('/v1/instances', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ definitionKey: key }) });
      ids.push(String(started.body['instanceId']));
    }
    await until(async () => (await Promise.all(ids.map((id) => http(`/v1/instances/${id}`)))).every((r) => r.body['status'] === 'active'), 10_000);
    await local.stop();
    local = null;

    const restartedAt = Date.now();
    local = await startLocal(options);
    const views = await until(async () => {
      const all = await Promise.all(ids.map((id) => http(`/v1/instances/${id}`)));
      return all.every((r) => r.body['status'] === 'completed') ? all : null;
    }, 40_000);
    expect(views.map((v) => v.body['status'])).toEqual(['completed', 'completed']);
    for (const id of ids) {
      const history = (await http(`/v1/instances/${id}/history`)).body['versions'] as Array<{ command: { type: string }; at: string }>;
      expect(history.map((v) => v.command.type)).toEqual(['start', 'fireTimer']);
      expect(Date.parse(history[1]?.at ?? ''), `${id} fired after the restart`).toBeGreaterThan(restartedAt);
    }
  }, 120_000);
});
