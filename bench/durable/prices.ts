/**
 * AWS list prices (us-east-1, on-demand, no free tier) and the cost model that turns
 * measured request counts into dollars per million transitions.
 *
 * Sources (public pricing pages; the DynamoDB figures are the on-demand prices after
 * the price cut of 1 November 2024):
 * - https://aws.amazon.com/lambda/pricing/          (Arm: requests, GB-seconds)
 * - https://aws.amazon.com/dynamodb/pricing/on-demand/ (write / read request units)
 * - https://aws.amazon.com/sqs/pricing/             (FIFO / standard requests, 64 KB chunks)
 * - https://aws.amazon.com/step-functions/pricing/  (Standard: state transitions)
 */

export const PRICES = {
  region: 'us-east-1',
  asOf: '2024-11-01 (DynamoDB on-demand price cut); Lambda, SQS and Step Functions unchanged since',
  sources: [
    'https://aws.amazon.com/lambda/pricing/',
    'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    'https://aws.amazon.com/sqs/pricing/',
    'https://aws.amazon.com/step-functions/pricing/',
  ],
  lambda: {
    architecture: 'arm64',
    usdPerMillionRequests: 0.2,
    usdPerGbSecond: 0.0000133334,
    /** The commands function's memory as serverless.yml deploys it (provider.memorySize). */
    memoryMb: 512,
    billing: 'per invocation (one SQS batch) + measured handler wall time per batch, rounded up to 1 ms, x memoryMb',
  },
  dynamodb: {
    mode: 'on-demand',
    usdPerMillionWriteRequestUnits: 0.625,
    usdPerMillionReadRequestUnits: 0.125,
  },
  sqs: {
    usdPerMillionFifoRequests: 0.5,
    usdPerMillionStandardRequests: 0.4,
    /** Every started 64 KB chunk of a request's payload is billed as one request. */
    chunkBytes: 65_536,
    freeTier: 'first 1M requests/month ignored',
  },
  stepFunctionsStandard: { usdPerMillionStateTransitions: 25 },
} as const;

export type Prices = typeof PRICES;

/** What one scenario consumed, summed over every transition of every instance. */
export interface Consumption {
  transitions: number;
  /** Lambda invocations (non-empty SQS batches handed to the handler). */
  invocations: number;
  /** Sum over invocations of the handler's wall time, each rounded up to 1 ms. */
  billedMs: number;
  writeUnits: number;
  readUnits: number;
  /** Billed SQS requests (64 KB chunks counted), per queue type. */
  sqsFifoRequests: number;
  sqsStandardRequests: number;
}

export interface UsdPerMillion {
  lambda: number;
  dynamodb: number;
  sqs: number;
  total: number;
}

/**
 * Dollars per million transitions.
 *
 * @example
 * usdPerMillion({ transitions: 2, invocations: 1, billedMs: 20, writeUnits: 8, readUnits: 1, sqsFifoRequests: 3, sqsStandardRequests: 0 }).total
 */
export function usdPerMillion(c: Consumption, prices: Prices = PRICES): UsdPerMillion {
  const per = (n: number): number => n / c.transitions; // per transition; x 1e6 transitions cancels "per million"
  const gbSeconds = (c.billedMs / 1000) * (prices.lambda.memoryMb / 1024);
  const lambda = per(c.invocations) * prices.lambda.usdPerMillionRequests + per(gbSeconds) * prices.lambda.usdPerGbSecond * 1e6;
  const dynamodb = per(c.writeUnits) * prices.dynamodb.usdPerMillionWriteRequestUnits + per(c.readUnits) * prices.dynamodb.usdPerMillionReadRequestUnits;
  const sqs = per(c.sqsFifoRequests) * prices.sqs.usdPerMillionFifoRequests + per(c.sqsStandardRequests) * prices.sqs.usdPerMillionStandardRequests;
  return { lambda, dynamodb, sqs, total: lambda + dynamodb + sqs };
}
