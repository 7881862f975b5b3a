/** A condition a backend cannot write in its language (the conversion reports it; nothing is dropped). */
export class PrintError extends Error {
  constructor(readonly reason: string, message: string) {
    super(message);
  }
}

export const fail = (reason: string, message: string): never => {
  throw new PrintError(reason, message);
};
