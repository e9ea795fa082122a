/** The time a step runs at: injected, never read from the machine (the core is pure). */
export interface Clock {
  /** Epoch milliseconds. */
  readonly now: number;
}
