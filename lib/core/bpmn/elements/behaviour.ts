/**
 * An element behaviour: small hooks inside the shared lifecycle (`../lifecycle.ts`).
 * `activate` starts the element's work and says whether it completes at once;
 * `leave` picks the outgoing flows (gateways), or returns null after raising an incident.
 */
import type { JsonObject } from '../../json.ts';
import type { ElementDef } from '../model/types.ts';
import type { Run } from '../run.ts';

/** The event an element is activated for has already happened (boundary, event gateway, start). */
export interface Trigger {
  variables?: JsonObject;
}

export type Activation = 'complete' | 'wait';

export interface Behaviour {
  activate(run: Run, key: string, el: ElementDef, trigger?: Trigger): Activation;
  leave?(run: Run, key: string, el: ElementDef): string[] | null;
}
