import { describe, expect, it } from 'vitest';
import { flows, job } from '../../../../lib/testing/index.ts';
import { lifecycle, run } from '../../helpers.ts';

const ESCALATIONS = '<escalation id="late" name="Late" escalationCode="LATE"/><escalation id="other" name="Other" escalationCode="OTHER"/>';
const throwing = (ref = 'late') => `<escalationEventDefinition escalationRef="${ref}"/>`;

/** A subprocess whose inner flow throws an escalation from `thrower` (an intermediate throw or end event). */
const inSub = (thrower: string, boundary: string) => `
  <startEvent id="start"/>
  <subProcess id="sub"><startEvent id="s1"/>${thrower}<serviceTask id="inner">${job('inner')}</serviceTask><endEvent id="e1"/>
    ${flows('s1', 'throw', 'inner', 'e1')}</subProcess>
  ${boundary}<endEvent id="end"/><endEvent id="caughtEnd"/>${flows('start', 'sub', 'end')}${flows('caught', 'caughtEnd')}`;
const boundary = (interrupting: boolean, ref: string | null = 'late') =>
  `<boundaryEvent id="caught" attachedToRef="sub" cancelActivity="${interrupting}"><escalationEventDefinition${ref ? ` escalationRef="${ref}"` : ''}/></boundaryEvent>`;

describe('escalation events', () => {
  it('an interrupting boundary on the subprocess catches the escalation by code and ends the subprocess', async () => {
    const { pi } = await run(inSub(`<intermediateThrowEvent id="throw">${throwing()}</intermediateThrowEvent>`, boundary(true)), {}, ESCALATIONS);
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+sub', '+s1', '-s1', '+throw', 'xthrow', 'xsub', '+caught', '-caught', '+caughtEnd', '-caughtEnd']);
    expect(pi.events).toContainEqual(expect.objectContaining({ type: 'EscalationThrown', escalationCode: 'LATE', caughtBy: 'caught' }));
    expect(pi.status).toBe('completed');
  });

  it('a non-interrupting boundary runs its path while the thrower continues', async () => {
    const { pi } = await run(inSub(`<intermediateThrowEvent id="throw">${throwing()}</intermediateThrowEvent>`, boundary(false)), {}, ESCALATIONS);
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+sub', '+s1', '-s1', '+throw', '+caught', '-throw', '-caught', '+inner', '+caughtEnd', '-caughtEnd']);
    await pi.completeJob('inner');
    expect(pi.status).toBe('completed');
  });

  it('a boundary without an escalation reference catches every code', async () => {
    const { pi } = await run(inSub(`<intermediateThrowEvent id="throw">${throwing('other')}</intermediateThrowEvent>`, boundary(true, null)), {}, ESCALATIONS);
    expect(pi.events).toContainEqual(expect.objectContaining({ type: 'EscalationThrown', escalationCode: 'OTHER', caughtBy: 'caught' }));
  });

  it('an uncaught escalation is no incident: the thrower continues', async () => {
    const { pi } = await run(inSub(`<intermediateThrowEvent id="throw">${throwing('other')}</intermediateThrowEvent>`, boundary(true)), {}, ESCALATIONS);
    expect(pi.events).toContainEqual(expect.objectContaining({ type: 'EscalationThrown', escalationCode: 'OTHER', caughtBy: null }));
    expect(pi.incidents()).toEqual([]);
    expect(pi.activeElements()).toEqual(['inner', 'sub']);
  });

  it('an escalation end event is caught like a throw event', async () => {
    const { pi } = await run(`
      <startEvent id="start"/>
      <subProcess id="sub"><startEvent id="s1"/><endEvent id="throw">${throwing()}</endEvent>${flows('s1', 'throw')}</subProcess>
      ${boundary(true)}<endEvent id="end"/><endEvent id="caughtEnd"/>${flows('start', 'sub', 'end')}${flows('caught', 'caughtEnd')}`, {}, ESCALATIONS);
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+sub', '+s1', '-s1', '+throw', 'xthrow', 'xsub', '+caught', '-caught', '+caughtEnd', '-caughtEnd']);
  });

  it('an uncaught escalation end event just ends its token', async () => {
    const { pi } = await run(`<startEvent id="start"/><endEvent id="throw">${throwing()}</endEvent>${flows('start', 'throw')}`, {}, ESCALATIONS);
    expect(pi.status).toBe('completed');
  });
});
