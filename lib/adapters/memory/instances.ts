/**
 * Instance heads, versions, command records and rejections in memory, with the
 * conditional semantics of the DynamoDB store (lib/adapters/dynamodb/instances.ts):
 *
 * - `putVersion` creates version n only when it does not exist, and otherwise returns the
 *   existing item (DynamoDB: `attribute_not_exists` + `ALL_OLD`); an item over
 *   `maxItemBytes` (JSON bytes; default: no limit) is refused as `tooLarge`.
 * - `swapHead(head, from)` moves the head only from `from` (null: no head yet), and
 *   otherwise returns the current head.
 * - every read is strongly consistent (`consistent` changes nothing): one process, one copy.
 */
import type { CommandRejection, HeadStatus, InstanceHead, InstanceStore, InstanceVersion, Loaded, Page, PutVersionResult, SwapResult } from '../../ports.ts';
import { bySortKey, decodeCursor, encodeCursor, jsonCopy } from './copy.ts';

interface Stored {
  head: InstanceHead | null;
  versions: Map<number, InstanceVersion>;
  latest: number;
  commands: Map<string, number>;
  rejections: Map<string, CommandRejection>;
}

export interface MemoryInstanceStoreOptions {
  /** Largest version (as JSON bytes) a put takes; beyond it `putVersion` answers `tooLarge`. */
  maxItemBytes?: number;
}

/** The listing order of the DynamoDB status index: newest start first (`<startedAt ISO>#<id>`, descending). */
const listKey = (head: InstanceHead): string => `${new Date(head.startedAt).toISOString()}#${head.instanceId}`;

export class MemoryInstanceStore implements InstanceStore {
  private readonly items = new Map<string, Stored>();

  constructor(private readonly options: MemoryInstanceStoreOptions = {}) {}

  private stored(instanceId: string): Stored {
    let stored = this.items.get(instanceId);
    if (!stored) {
      stored = { head: null, versions: new Map(), latest: 0, commands: new Map(), rejections: new Map() };
      this.items.set(instanceId, stored);
    }
    return stored;
  }

  async load(instanceId: string): Promise<Loaded> {
    const stored = this.items.get(instanceId);
    if (!stored) return { head: null, latest: null };
    return { head: jsonCopy(stored.head), latest: jsonCopy(stored.versions.get(stored.latest) ?? null) };
  }

  async getHead(instanceId: string): Promise<InstanceHead | null> {
    return jsonCopy(this.items.get(instanceId)?.head ?? null);
  }

  async putVersion(version: InstanceVersion): Promise<PutVersionResult> {
    const json = JSON.stringify(version);
    const bytes = Buffer.byteLength(json, 'utf8');
    const limit = this.options.maxItemBytes;
    if (limit !== undefined && bytes > limit) return { ok: false, tooLarge: { bytes, limit } };
    const stored = this.stored(version.instanceId);
    const existing = stored.versions.get(version.version);
    if (existing) return { ok: false, existing: jsonCopy(existing) };
    stored.versions.set(version.version, JSON.parse(json) as InstanceVersion);
    stored.latest = Math.max(stored.latest, version.version);
    return { ok: true };
  }

  async swapHead(head: InstanceHead, from: number | null): Promise<SwapResult> {
    const stored = this.stored(head.instanceId);
    const current = stored.head;
    const matches = from === null ? current === null : current?.version === from;
    if (!matches) return { ok: false, current: jsonCopy(current) };
    stored.head = jsonCopy(head);
    return { ok: true };
  }

  async getVersion(instanceId: string, version: number): Promise<InstanceVersion | null> {
    return jsonCopy(this.items.get(instanceId)?.versions.get(version) ?? null);
  }

  async listVersions(instanceId: string, options: { after?: number; limit?: number } = {}): Promise<InstanceVersion[]> {
    const stored = this.items.get(instanceId);
    if (!stored) return [];
    const after = options.after ?? 0;
    return [...stored.versions.values()].filter((v) => v.version > after).sort((a, b) => a.version - b.version).slice(0, options.limit ?? 100).map(jsonCopy);
  }

  async listInstances(query: { definitionKey: string; status: HeadStatus; limit?: number; cursor?: string | null }): Promise<Page<InstanceHead>> {
    const limit = Math.min(Math.max(query.limit ?? 50, 1), 500);
    const after = query.cursor ? decodeCursor(query.cursor) : null;
    const matching = [...this.items.values()].flatMap((s) => (s.head && s.head.definitionKey === query.definitionKey && s.head.status === query.status ? [s.head] : []))
      .sort(bySortKey(listKey)).reverse()
      .filter((head) => after === null || listKey(head) < after);
    const items = matching.slice(0, limit);
    const last = items.at(-1);
    return { items: items.map(jsonCopy), cursor: matching.length > limit && last ? encodeCursor(listKey(last)) : null };
  }

  async putRejection(rejection: CommandRejection): Promise<void> {
    this.stored(rejection.instanceId).rejections.set(rejection.commandId, jsonCopy(rejection));
  }

  async getRejection(instanceId: string, commandId: string): Promise<CommandRejection | null> {
    return jsonCopy(this.items.get(instanceId)?.rejections.get(commandId) ?? null);
  }

  async getCommandRecord(instanceId: string, commandId: string): Promise<number | null> {
    return this.items.get(instanceId)?.commands.get(commandId) ?? null;
  }

  async putCommandRecord(instanceId: string, commandId: string, version: number): Promise<void> {
    this.stored(instanceId).commands.set(commandId, version);
  }

  async findApplied(instanceId: string, commandId: string, within = 10): Promise<InstanceVersion | null> {
    const stored = this.items.get(instanceId);
    if (!stored) return null;
    const recent = [...stored.versions.values()].sort((a, b) => b.version - a.version).slice(0, within);
    return jsonCopy(recent.find((v) => v.commandId === commandId) ?? null);
  }

  /** Deletes every item of an instance (as the DynamoDB store's purge); returns how many items went. */
  async purge(instanceId: string): Promise<number> {
    const stored = this.items.get(instanceId);
    if (!stored) return 0;
    this.items.delete(instanceId);
    return (stored.head ? 1 : 0) + stored.versions.size + stored.commands.size + stored.rejections.size;
  }

  /** Every instance id with a head (for harnesses that show all instances). */
  instanceIds(): string[] {
    return [...this.items.entries()].filter(([, s]) => s.head !== null).map(([id]) => id);
  }
}
