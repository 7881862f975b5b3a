/** A reason a Sigma rule cannot be loaded; `reason` is the short category counted in summaries. */
export class SigmaError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}
