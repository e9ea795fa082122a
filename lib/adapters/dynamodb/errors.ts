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
