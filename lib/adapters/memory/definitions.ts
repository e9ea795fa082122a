/**
 * Versioned definitions (or, as a second instance, DMN decisions) in memory, as the
 * DynamoDB store keeps them (lib/adapters/dynamodb/definitions.ts): the same XML (by
 * hash) returns its existing version, a new XML takes the next number of its key; the
 * message start registry keeps, per message name, the latest registered version of each
 * key, and a registration for an older version than the registered one changes nothing.
 * Listings come in the order of the DynamoDB sort keys (version, definition key).
 */
import type { DefinitionStore, DeployedDefinition, MessageStart } from '../../ports.ts';
import { bySortKey } from './copy.ts';

type StartInput = Parameters<DefinitionStore['registerMessageStarts']>[2][number];

interface Key {
  versions: Array<DeployedDefinition & { xml: string }>;
  byHash: Map<string, DeployedDefinition>;
  /** The version the latest `deploy` created (what `latest` answers). */
  latest: DeployedDefinition | null;
  /** The message starts registered for this key: their version and names. */
  starts: { version: number; names: string[] } | null;
}

const pick = (d: DeployedDefinition): DeployedDefinition => ({ key: d.key, version: d.version, hash: d.hash, deployedAt: d.deployedAt });

export class MemoryDefinitionStore implements DefinitionStore {
  private readonly keyed = new Map<string, Key>();
  /** Message name -> definition key -> what it starts. */
  private readonly messageStartsByName = new Map<string, Map<string, MessageStart>>();

  private entry(key: string): Key {
    let entry = this.keyed.get(key);
    if (!entry) {
      entry = { versions: [], byHash: new Map(), latest: null, starts: null };
      this.keyed.set(key, entry);
    }
    return entry;
  }

  async deploy(key: string, xml: string, hash: string, at: number): Promise<DeployedDefinition & { created: boolean }> {
    const entry = this.entry(key);
    const existing = entry.byHash.get(hash);
    if (existing) return { ...pick(existing), created: false };
    const deployed: DeployedDefinition = { key, version: entry.versions.length + 1, hash, deployedAt: at };
    entry.versions.push({ ...deployed, xml });
    entry.byHash.set(hash, deployed);
    entry.latest = deployed;
    return { ...deployed, created: true };
  }

  async get(key: string, version: number): Promise<(DeployedDefinition & { xml: string }) | null> {
    const found = this.keyed.get(key)?.versions.find((v) => v.version === version);
    return found ? { ...pick(found), xml: found.xml } : null;
  }

  async latest(key: string): Promise<DeployedDefinition | null> {
    const latest = this.keyed.get(key)?.latest;
    return latest ? pick(latest) : null;
  }

  async versions(key: string): Promise<DeployedDefinition[]> {
    return (this.keyed.get(key)?.versions ?? []).map(pick);
  }

  async keys(): Promise<DeployedDefinition[]> {
    return [...this.keyed.values()].flatMap((e) => (e.latest ? [pick(e.latest)] : [])).sort(bySortKey((d) => d.key));
  }

  async registerMessageStarts(key: string, version: number, starts: StartInput[]): Promise<void> {
    const entry = this.entry(key);
    if (entry.starts && entry.starts.version > version) return;
    if (!entry.starts && starts.length === 0) return;
    const names = new Set(starts.map((s) => s.messageName));
    for (const name of entry.starts?.names ?? []) {
      if (!names.has(name)) this.messageStartsByName.get(name)?.delete(key);
    }
    for (const s of starts) {
      const byKey = this.messageStartsByName.get(s.messageName) ?? new Map<string, MessageStart>();
      this.messageStartsByName.set(s.messageName, byKey);
      const current = byKey.get(key);
      if (current && current.version > version) continue;
      byKey.set(key, { messageName: s.messageName, definitionKey: key, version, startEventId: s.startEventId, ...(s.condition !== undefined ? { condition: s.condition } : {}) });
    }
    entry.starts = { version, names: [...names] };
  }

  async messageStarts(messageName: string): Promise<MessageStart[]> {
    return [...(this.messageStartsByName.get(messageName)?.values() ?? [])].sort(bySortKey((s) => s.definitionKey)).map((s) => ({ ...s }));
  }
}
