/**
 * scan reads value_sum / value_avg values with JavaScript's Number(): absent and blank are 0,
 * decimal text (signs, fractions, exponents, surrounding whitespace) its number, anything else
 * (and infinities) left out. The SQL forms accept exactly the decimal grammar below; JavaScript's
 * hexadecimal, octal and binary literals (0x1F, 0o7, 0b1) are left out (a listed difference).
 */
export const DECIMAL_RE = '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$';

/** JavaScript's whitespace for trim() as a regex class (ASCII part; Unicode spaces are rare in logs). */
export const JS_SPACE = '[ \\t\\n\\r\\v\\f]';
