/** A condition Sigma cannot say exactly: the rule is then not convertible to Sigma (nothing is approximated). */
export class SigmaPrintError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'SigmaPrintError';
  }
}

export const sigmaFail = (reason: string, message: string): never => {
  throw new SigmaPrintError(reason, message);
};
