import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rollback } from '../../../lib/core/bpmn/rollback.ts';
import { step } from '../../../lib/core/step.ts';
import { TestEngine } from '../../../lib/testing/index.ts';

const xml = readFileSync(new URL('../../../examples/telecom-order.bpmn', import.meta.url), 'utf8');

describe('rollback', () => {
  it('continues from an earlier state with fresh ids; commands for the old world are stale', async () => {
    const engine = await TestEngine.deploy(xml);
    const pi = await engine.start('telecom-order', { customer: { id: 'c' } });
    const afterStart = structuredClone(pi.state);
    const oldJob = pi.jobs()[0]?.jobId ?? '';
    await pi.completeJob('kyc-check', { identityVerified: true });
    await pi.completeJob('credit-check');
    const def = engine.definition('telecom-order');

    const result = rollback(def, pi.state, afterStart, 1, { now: engine.now });

    expect(result.state.elements).toEqual(afterStart.elements);
    expect(result.state.vars).toEqual(afterStart.vars);
    expect(result.effects.map((e) => e.type)).toEqual(['task.closed', 'job.activatable']);
    const [reopened] = result.effects.filter((e) => e.type === 'job.activatable');
    expect(reopened).toMatchObject({ jobType: 'kyc-check', elementId: 'VerifyIdentity' });
    expect((reopened as { jobId: string }).jobId).not.toBe(oldJob);
    expect(step(def, result.state, { type: 'completeJob', jobId: oldJob }, { now: 0 }).rejection?.code).toBe('NOT_FOUND');
    const next = step(def, result.state, { type: 'completeJob', jobId: (reopened as { jobId: string }).jobId, variables: { identityVerified: false } }, { now: 0 });
    expect(next.state.status).toBe('completed');
  });

  it('brings a completed instance back to life', async () => {
    const engine = await TestEngine.deploy(xml);
    const pi = await engine.start('telecom-order', { customer: { id: 'c' } });
    const waiting = structuredClone(pi.state);
    await pi.completeJob('kyc-check', { identityVerified: false });
    expect(pi.status).toBe('completed');
    const result = rollback(engine.definition('telecom-order'), pi.state, waiting, 1, { now: 0 });
    expect(result.state.status).toBe('active');
    expect(result.events[0]).toEqual({ type: 'RolledBack', toVersion: 1, at: 0 });
  });
});
