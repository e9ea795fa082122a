/** SDK exceptions translated into what the application understands. */
export class StoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
  }
}

export function isConditionalFailure(error: unknown): error is { name: string; Item?: Record<string, unknown> } {
  return (error as { name?: string })?.name === 'ConditionalCheckFailedException';
}

/** Throttling, timeouts and 5xx: worth retrying. */
export function isTransient(error: unknown): boolean {
  const e = error as { name?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  if (e?.$retryable) return true;
  const status = e?.$metadata?.httpStatusCode ?? 0;
  return status >= 500 || ['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded', 'TimeoutError', 'InternalServerError'].includes(e?.name ?? '');
}
