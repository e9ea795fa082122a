/** DMN decisions through the API: deploy (a DMN document on POST /v1/definitions), list, read. */
import { decisionOf } from '../../core/dmn/types.ts';
import type { DecisionStore, DeployedDefinition } from '../../ports.ts';
import { deployDecisions, type CachedDecisions } from '../decisions.ts';
import type { Deployed } from '../definitions.ts';
import type { ServiceDeps } from './deps.ts';
import { NotFound } from './errors.ts';
import { iso } from './views.ts';

function store(deps: ServiceDeps): DecisionStore {
  if (!deps.decisions) throw new Error('decisions need ServiceDeps.decisions (the decision store)');
  return deps.decisions.store;
}

/** Stores each decision of the document as a new version of its id; throws DeployRefused with every problem. */
export async function deployDmn(deps: ServiceDeps, xml: string): Promise<Deployed[]> {
  const deployed = await deployDecisions(store(deps), deps.clock, xml);
  deps.logger.info('deployed decisions', { deployed });
  return deployed;
}

export async function listDecisions(deps: ServiceDeps): Promise<Array<{ decisionId: string; latestVersion: number; deployedAt: string }>> {
  const keys = await store(deps).keys();
  return keys.sort((a, b) => a.key.localeCompare(b.key)).map((d) => ({ decisionId: d.key, latestVersion: d.version, deployedAt: iso(d.deployedAt) }));
}

/** A decision's versions, oldest first, each with its name and version tag (read from the compiled document). */
export async function getDecision(deps: ServiceDeps, decisionId: string): Promise<{
  decisionId: string;
  versions: Array<{ version: number; hash: string; deployedAt: string; name: string | null; versionTag: string | null }>;
}> {
  const versions: DeployedDefinition[] = (await store(deps).versions(decisionId)).sort((a, b) => a.version - b.version);
  if (versions.length === 0) throw new NotFound('decision', decisionId);
  const cached = deps.decisions as CachedDecisions;
  const described = await Promise.all(versions.map(async (v) => {
    const found = await cached.version(decisionId, v.version);
    const decision = found ? decisionOf(found.definitions, decisionId) : undefined;
    return { version: v.version, hash: v.hash, deployedAt: iso(v.deployedAt), name: decision?.name ?? null, versionTag: decision?.versionTag ?? null };
  }));
  return { decisionId, versions: described };
}
