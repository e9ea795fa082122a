/** The page's reading of the history: the path taken by each version, rollbacks included. */
import { describe, expect, it } from 'vitest';
import { pathsByVersion, summarize } from '../../ui/src/history.ts';
import type { HistoryEntry } from '../../ui/src/types.ts';

const entry = (version: number, type: string, events: HistoryEntry['events']): HistoryEntry => ({ version, commandId: `c${version}`, command: { type }, at: '2026-01-01T00:00:00.000Z', events });

describe('pathsByVersion', () => {
  const history = [
    entry(1, 'start', [{ type: 'InstanceStarted' }, { type: 'ElementCompleted', elementId: 'Start' }, { type: 'FlowTaken', flowId: 'F1' }, { type: 'ElementActivated', elementId: 'A' }]),
    entry(2, 'completeJob', [{ type: 'ElementCompleted', elementId: 'A' }, { type: 'FlowTaken', flowId: 'F2' }, { type: 'VariablesSet', variables: { ok: true } }]),
    entry(3, 'rollback', [{ type: 'RolledBack', toVersion: 1 }]),
  ];

  it('accumulates completed elements and taken flows version by version', () => {
    const paths = pathsByVersion(history);
    expect([...paths.get(1)!.completed]).toEqual(['Start']);
    expect([...paths.get(2)!.completed]).toEqual(['Start', 'A']);
    expect([...paths.get(2)!.taken]).toEqual(['F1', 'F2']);
  });

  it('continues a rollback from the path of the version it returns to', () => {
    const paths = pathsByVersion(history);
    expect([...paths.get(3)!.completed]).toEqual(['Start']);
    expect([...paths.get(3)!.taken]).toEqual(['F1']);
  });

  it('summarizes a version in words', () => {
    expect(summarize(history[1]!)).toBe('✓ A · set ok');
    expect(summarize(history[2]!)).toBe('rolled back to version 1');
  });
});
