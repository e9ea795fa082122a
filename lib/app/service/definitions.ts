/**
 * Definitions through the API: deploy (and register the message and signal start events
 * of the latest version, so a published message or a broadcast signal finds the processes
 * it starts), list, read.
 */
import { isDmnXml } from '../../core/dmn/parse.ts';
import { compileBpmn } from '../../core/bpmn/model/compile.ts';
import type { DeployedDefinition } from '../../ports.ts';
import { conditionalStartsOf, deploy, messageStartsOf, signalStartsOf, type Deployed } from '../definitions.ts';
import { registerTimerStarts } from '../timers.ts';
import { deployDmn } from './decisions.ts';
import type { ServiceDeps } from './deps.ts';
import { NotFound } from './errors.ts';
import { iso } from './views.ts';

/** Deploys every executable process of the document; throws DeployRefused with every problem. */
export async function deployDefinitions(deps: ServiceDeps, xml: string): Promise<Deployed[]> {
  // A DMN document (told apart by its root namespace) deploys decisions instead.
  if (isDmnXml(xml)) return deployDmn(deps, xml);
  const deployed = await deploy(deps.definitions, deps.clock, xml);
  const compiled = await compileBpmn(xml); // cached by hash: deploy just compiled it
  if (!compiled.ok) return deployed;
  for (const process of compiled.processes) {
    const version = deployed.find((d) => d.key === process.key)?.version;
    if (version === undefined) continue;
    await deps.definitions.registerMessageStarts(process.key, version, [...messageStartsOf(process), ...signalStartsOf(process), ...conditionalStartsOf(process)]);
    if (deps.timerStarts) await registerTimerStarts({ ...deps.timerStarts, clock: deps.clock, logger: deps.logger }, process, version);
  }
  deps.logger.info('deployed', { deployed });
  return deployed;
}

export async function listDefinitions(deps: ServiceDeps): Promise<Array<{ key: string; latestVersion: number; deployedAt: string }>> {
  const keys = await deps.definitions.keys();
  return keys.sort((a, b) => a.key.localeCompare(b.key)).map((d) => ({ key: d.key, latestVersion: d.version, deployedAt: iso(d.deployedAt) }));
}

export async function getDefinition(deps: ServiceDeps, key: string): Promise<{ key: string; versions: Array<{ version: number; hash: string; deployedAt: string }> }> {
  const versions: DeployedDefinition[] = await deps.definitions.versions(key);
  if (versions.length === 0) throw new NotFound('definition', key);
  return { key, versions: versions.sort((a, b) => a.version - b.version).map((v) => ({ version: v.version, hash: v.hash, deployedAt: iso(v.deployedAt) })) };
}

export async function getDefinitionXml(deps: ServiceDeps, key: string, version: number): Promise<string> {
  const stored = await deps.definitions.get(key, version);
  if (!stored) throw new NotFound('definition', `${key}@${version}`);
  return stored.xml;
}
