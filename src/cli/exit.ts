/** Exit codes of the CLI contract. */
export const EXIT_OK = 0;
export const EXIT_USAGE = 2;
export const EXIT_UNREADABLE = 3;

/** A problem that ends the verb with a contract exit code and one line on stderr. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT_USAGE) {
    super(message);
  }
}
