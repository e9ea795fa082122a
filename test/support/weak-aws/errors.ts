/**
 * Errors shaped like the ones the SDK throws after deserializing an AWS error response:
 * the SDK's own exception classes where it has one, with `name`, `$fault`,
 * `$metadata.httpStatusCode` and, for throttling, `$retryable: { throttling: true }`, so
 * that the SDK's retry strategy and the engine's classifier (`classify` in lib/app/errors.ts)
 * see what AWS would send.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/CommonErrors.html
 */
import { InternalServerError, ProvisionedThroughputExceededException, ThrottlingException } from '@aws-sdk/client-dynamodb';
import { RequestThrottled, SQSServiceException } from '@aws-sdk/client-sqs';

export interface Metadata {
  httpStatusCode?: number;
  requestId: string;
  attempts: number;
  totalRetryDelay: number;
}

let counter = 0;

/** `$metadata` as a response that failed at its first (or only counted) attempt carries it. */
function metadata(httpStatusCode?: number): Metadata {
  counter += 1;
  return { ...(httpStatusCode ? { httpStatusCode } : {}), requestId: `weak-aws-${counter}`, attempts: 1, totalRetryDelay: 0 };
}

/** 400 ProvisionedThroughputExceededException, or ThrottlingException when `other` is true. */
export function dynamoThrottle(other: boolean): Error {
  const message = 'Throughput exceeds the current capacity for one or more resources (injected by weak-aws).';
  const error = other
    ? new ThrottlingException({ message, $metadata: metadata(400) })
    : new ProvisionedThroughputExceededException({ message, $metadata: metadata(400) });
  return Object.assign(error, { $retryable: { throttling: true } });
}

/** 500 InternalServerError. */
export function dynamoServerError(): Error {
  return new InternalServerError({ message: 'Internal server error (injected by weak-aws).', $metadata: metadata(500) });
}

/** The SDK's socket timeout (node-http-handler): a plain Error named TimeoutError, no HTTP status. */
export function timeoutError(): Error {
  return Object.assign(new Error('the request socket timed out (injected by weak-aws).'), { name: 'TimeoutError', $metadata: metadata() });
}

/** 400 RequestThrottled, SQS's throttling error. */
export function sqsThrottle(): Error {
  const error = new RequestThrottled({ message: 'Request is throttled (injected by weak-aws).', $metadata: metadata(400) });
  return Object.assign(error, { $retryable: { throttling: true } });
}

/** 500 InternalError, as SQS names its unmodelled server error. */
export function sqsServerError(): Error {
  return new SQSServiceException({
    name: 'InternalError', $fault: 'server', message: 'Internal error (injected by weak-aws).', $metadata: metadata(500),
  });
}
