/** A query that cannot be parsed: where (0-based character offset) and what was expected there. */
export class QuerySyntaxError extends Error {
  readonly code = 'invalid_query';
  readonly position: number;
  readonly expected: string;

  constructor(position: number, expected: string, message?: string) {
    super(message ?? `Expected ${expected} at position ${position}`);
    this.name = 'QuerySyntaxError';
    this.position = position;
    this.expected = expected;
  }
}
