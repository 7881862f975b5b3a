/** A part of a rule the SQL backend cannot print exactly: the rule is then not convertible. */
export class SqlPrintError extends Error {
  constructor(readonly construct: string, reason: string) {
    super(reason);
  }
}

export function fail(construct: string, reason: string): never {
  throw new SqlPrintError(construct, reason);
}
