/** Counts SQS requests and payload bytes, for benchmarks and cost reports. */
export class SqsMeter {
  requests: Record<string, number> = {};
  bytes = 0;

  record(operation: string, bytes = 0): void {
    this.requests[operation] = (this.requests[operation] ?? 0) + 1;
    this.bytes += bytes;
  }

  total(): number {
    return Object.values(this.requests).reduce((a, b) => a + b, 0);
  }

  reset(): void {
    this.requests = {};
    this.bytes = 0;
  }
}
