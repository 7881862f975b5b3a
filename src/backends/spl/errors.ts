/** Why a tree cannot be printed as SPL: the condition, and the reason in words. */
export class SplPrintError extends Error {
  constructor(
    readonly condition: string,
    readonly reason: string,
  ) {
    super(`cannot print as SPL: ${condition}: ${reason}`);
    this.name = 'SplPrintError';
  }
}
