/** Errors of the pure core. Expected failures are values (incidents, rejections); these are the exceptions. */
export class CoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** One transition activated more elements than a step may (a loop with no wait state). */
export class StepBudgetExceeded extends CoreError {
  constructor(readonly limit: number, readonly elementId: string) {
    super(`the command would activate more than ${limit} elements in one transition (last: '${elementId}'); is there a loop without a wait state?`);
  }
}
