/** The compile rules of gateways: nothing of their own to read (conditions and default flows are checked across elements). */
import type { CompileRule } from '../reader.ts';

export const exclusiveGateway: CompileRule<'exclusiveGateway'> = (base) => base;
export const parallelGateway: CompileRule<'parallelGateway'> = (base) => base;
export const eventBasedGateway: CompileRule<'eventBasedGateway'> = (base) => base;
/** `reachableFrom` is computed once every flow is known (model/reachability.ts). */
export const inclusiveGateway: CompileRule<'inclusiveGateway'> = (base) => ({ ...base, reachableFrom: [] });
