/** /v1/tasks: finding user tasks, reading one with its embedded form, completing it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bpmn, flows } from '../../lib/testing/index.ts';
import { startApi, type TestApi } from './harness.ts';

const form = { components: [{ key: 'approved', label: 'Approve?', type: 'checkbox' }], type: 'default', id: 'approval' };
const review = bpmn(`
  <extensionElements><zeebe:userTaskForm id="ApprovalForm">${JSON.stringify(form)}</zeebe:userTaskForm></extensionElements>
  <startEvent id="s"/>
  <userTask id="review" name="Review">
    <extensionElements>
      <zeebe:userTask/>
      <zeebe:assignmentDefinition assignee="=reviewer" candidateGroups="legal, sales"/>
      <zeebe:formDefinition formKey="camunda-forms:bpmn:ApprovalForm"/>
    </extensionElements>
  </userTask>
  <endEvent id="e"/>${flows('s', 'review', 'e')}`, { id: 'reviews' });

let t: TestApi;
beforeAll(async () => {
  t = await startApi();
  expect((await t.call('POST', '/v1/definitions', { body: review, headers: { 'content-type': 'application/xml' } })).status).toBe(201);
});
afterAll(async () => { await t.stop(); });

describe('user tasks', () => {
  it('are found by candidate group, assignee and instance, read with their form, and completed once', async () => {
    const started = await t.call('POST', '/v1/instances', { body: { definitionKey: 'reviews', variables: { reviewer: 'ana', doc: 'd-1' } } });
    const id = started.body.instanceId as string;
    const expected = {
      taskId: `${id}.3`, instanceId: id, elementId: 'review', name: 'Review', assignee: 'ana', candidateGroups: ['legal', 'sales'], candidateUsers: [],
      formKey: 'camunda-forms:bpmn:ApprovalForm', formId: null, variables: { reviewer: 'ana', doc: 'd-1' },
    };
    const queries: Array<Record<string, string>> = [{ candidateGroup: 'legal' }, { assignee: 'ana' }, { instanceId: id }, { candidateGroup: 'sales', assignee: 'ana' }];
    for (const query of queries) {
      const found = await t.call('GET', '/v1/tasks', { query });
      expect(found.status).toBe(200);
      expect(found.body.items, JSON.stringify(query)).toContainEqual(expected);
    }
    expect((await t.call('GET', '/v1/tasks', { query: { candidateGroup: 'finance' } })).body.items).toEqual([]);
    expect((await t.call('GET', '/v1/tasks', { query: { assignee: 'ana', candidateGroup: 'finance' } })).body.items).toEqual([]);

    const one = await t.call('GET', `/v1/tasks/${id}.3`);
    expect(one.body).toEqual({ ...expected, form });

    expect((await t.call('POST', `/v1/tasks/${id}.3/complete`, { body: { variables: { approved: true } } })).status).toBe(200);
    const twice = await t.call('POST', `/v1/tasks/${id}.3/complete`, { body: {} });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('wrong-state'); // the instance completed
    expect((await t.call('GET', `/v1/tasks/${id}.3`)).status).toBe(404);
    expect((await t.call('GET', '/v1/tasks', { query: { assignee: 'ana' } })).body.items.map((x: { taskId: string }) => x.taskId)).not.toContain(`${id}.3`);
    expect((await t.call('GET', `/v1/instances/${id}`)).body).toMatchObject({ status: 'completed', variables: { approved: true } });
  });

  it('need a filter (400); unknown ids are 404', async () => {
    const none = await t.call('GET', '/v1/tasks');
    expect(none.status).toBe(400);
    expect(none.body.error.details).toEqual([{ in: 'query', path: 'candidateGroup', message: expect.any(String) }]);
    expect((await t.call('GET', '/v1/tasks', { query: { instanceId: 'nope' } })).status).toBe(404);
    expect((await t.call('GET', '/v1/tasks/nope.3')).status).toBe(404);
    expect((await t.call('GET', '/v1/tasks/garbage')).status).toBe(404);
    expect((await t.call('POST', '/v1/tasks/nope.3/complete', { body: {} })).status).toBe(404);
  });
});
