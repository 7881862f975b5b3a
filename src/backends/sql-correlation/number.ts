/**
 * scan reads value_sum / value_avg values with JavaScript's Number(): absent and blank are 0,
 * decimal text (signs, fractions, exponents, surrounding whitespace) its number, 0x / 0o / 0b
 * integers (Windows writes process ids as 0x1a4) theirs, anything else (and infinities) left out.
 * Radix integers are summed digit by digit in doubles: exact up to 2^53, as JavaScript's.
 */
export const DECIMAL_RE = '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$';

/** JavaScript's whitespace for trim() as a regex class (ASCII part; Unicode spaces are rare in logs). */
export const JS_SPACE = '[ \\t\\n\\r\\v\\f]';

/** JavaScript's radix integer literals: prefix (either case) and the digits of each base. */
export const RADIX_FORMS: ReadonlyArray<{ re: string; base: number }> = [
  { re: '^0[xX][0-9a-fA-F]+$', base: 16 },
  { re: '^0[oO][0-7]+$', base: 8 },
  { re: '^0[bB][01]+$', base: 2 },
];
