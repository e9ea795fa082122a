/**
 * weak-aws: real SDK clients on the emulators, made to behave like AWS at its weakest
 * (see README.md). Nothing of AWS is mocked: the layer is client middleware.
 */
export { weakDynamo, type DynamoFaults, type WeakDynamo, type WeakDynamoOptions } from './dynamodb.ts';
export { weakSqs, type SqsFaults, type WeakSqs, type WeakSqsOptions } from './sqs.ts';
export type { Placement, WeakControl } from './control.ts';
export { Random } from './random.ts';
