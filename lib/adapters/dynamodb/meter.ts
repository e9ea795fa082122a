/**
 * Counts DynamoDB requests and consumed capacity (from `ReturnConsumedCapacity: TOTAL`),
 * for benchmarks and cost reports.
 */
import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';

export class Meter {
  requests: Record<string, number> = {};
  readUnits = 0;
  writeUnits = 0;

  record(operation: string, consumed?: ConsumedCapacity | ConsumedCapacity[]): void {
    this.requests[operation] = (this.requests[operation] ?? 0) + 1;
    for (const c of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) {
      this.readUnits += c.ReadCapacityUnits ?? 0;
      this.writeUnits += c.WriteCapacityUnits ?? 0;
      // DynamoDB Local reports only CapacityUnits; reads and writes are told apart by operation.
      if (c.ReadCapacityUnits === undefined && c.WriteCapacityUnits === undefined && c.CapacityUnits !== undefined) {
        if (/^(Get|Query|BatchGet|Scan)/.test(operation)) this.readUnits += c.CapacityUnits;
        else this.writeUnits += c.CapacityUnits;
      }
    }
  }

  total(): number {
    return Object.values(this.requests).reduce((a, b) => a + b, 0);
  }

  reset(): void {
    this.requests = {};
    this.readUnits = 0;
    this.writeUnits = 0;
  }
}

/** Sends a DynamoDB command and records it (and its consumed capacity) on the meter. */
export async function metered<T>(client: { send(command: never): Promise<unknown> }, meter: Meter | undefined, operation: string, command: object): Promise<T> {
  try {
    const output = (await client.send(command as never)) as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] };
    meter?.record(operation, output.ConsumedCapacity);
    return output as T;
  } catch (error) {
    meter?.record(operation);
    throw error;
  }
}
