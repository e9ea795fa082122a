import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TestEngine } from '../../lib/testing/index.ts';

const xml = readFileSync(new URL('../../examples/telecom-order.bpmn', import.meta.url), 'utf8');

async function order() {
  const engine = await TestEngine.deploy(xml);
  return engine.start('telecom-order', { customer: { id: 'c-1' } }, { businessKey: 'order-1' });
}

describe('telecom order example', () => {
  it('approved order: KYC -> credit -> approval -> provisioning -> completed', async () => {
    const pi = await order();
    expect(pi.jobs()[0]).toMatchObject({ jobType: 'kyc-check', headers: { provider: 'kyc-platform' }, variables: { customerId: 'c-1' } });
    await pi.completeJob('kyc-check', { identityVerified: true });
    await pi.completeJob('credit-check', { creditScore: 710 });
    expect(pi.tasks()).toEqual([expect.objectContaining({ elementId: 'ApproveOrder', candidateGroups: ['sales'] })]);
    await pi.completeTask('ApproveOrder', { approved: true });
    await pi.completeJob('provision-line');
    expect(pi.status).toBe('completed');
    expect(pi.completedElements()).toEqual(['OrderReceived', 'VerifyIdentity', 'IdentityOk', 'CheckCredit', 'ApproveOrder', 'Approved', 'ProvisionLine', 'OrderCompleted']);
  });

  it('identity rejected: ends at "Order rejected" right after KYC', async () => {
    const pi = await order();
    await pi.completeJob('kyc-check', { identityVerified: false });
    expect(pi.status).toBe('completed');
    expect(pi.completedElements()).toEqual(['OrderReceived', 'VerifyIdentity', 'IdentityOk', 'OrderRejectedKyc']);
  });

  it('approval rejected: ends at "Order rejected" after the approval task', async () => {
    const pi = await order();
    await pi.completeJob('kyc-check', { identityVerified: true });
    await pi.completeJob('credit-check', { creditScore: 300 });
    await pi.completeTask('ApproveOrder', { approved: false });
    expect(pi.status).toBe('completed');
    expect(pi.completedElements().slice(-2)).toEqual(['Approved', 'OrderRejected']);
    expect(pi.jobs()).toEqual([]);
  });

  it('a KYC outage: retries, then an incident that an operator resolves', async () => {
    const pi = await order();
    await pi.failJob('kyc-check', 2, 'KYC platform timeout', 1000);
    await pi.failJob('kyc-check', 1, 'KYC platform timeout');
    await pi.failJob('kyc-check', 0, 'KYC platform timeout');
    expect(pi.incidents()).toEqual([expect.objectContaining({ elementId: 'VerifyIdentity', kind: 'job' })]);
    await pi.resolveIncident();
    await pi.completeJob('kyc-check', { identityVerified: true });
    expect(pi.activeElements()).toEqual(['CheckCredit']);
  });

  it('the KYC output mapping is required: a missing identityVerified is an incident on the task', async () => {
    const pi = await order();
    await pi.completeJob('kyc-check', {});
    expect(pi.incidents()).toEqual([expect.objectContaining({ elementId: 'VerifyIdentity', kind: 'io' })]);
  });
});
