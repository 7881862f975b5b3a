/**
 * A CIDR test (util/cidr.ts parseIp + cidrContains, the engine's meaning) as a ClickHouse
 * expression. The address is parsed with string functions and regexes only, through three bound
 * names (a lambda over a one-element array) and no per-element lambda: 18.16 analyses every lambda
 * of a statement anew, and the earlier form (eleven nested lambdas and four per-group ones) cost
 * about 50 ms of analysis per test before a row was read. IPv6StringToNum / IPv4StringToNum are
 * not used: their accepted texts differ from the engine's, and current releases throw on bad input.
 */
import { MAPPED, cidrRanges, hex } from '../sql/shared.js';
import { chString } from './literal.js';

/** One IPv4 octet as the engine accepts it: 1 to 3 ASCII digits, value at most 255. */
const OCTET = '([01]?[0-9]?[0-9]|2[0-4][0-9]|25[0-5])';
const V4 = `^${OCTET}(\\.${OCTET}){3}$`;
/** Groups of 1 to 4 hex digits: none or several (one side of `::`), exactly eight (no `::`). */
const GROUP = '[0-9a-fA-F]{1,4}';
const GROUPS = `^(${GROUP}(:${GROUP})*)?$`;
const EIGHT = `^${GROUP}(:${GROUP}){7}$`;

/** A bound name for an expression (a lambda over a one-element array): lambdas may read an enclosing lambda's argument. */
const bind = (e: string, name: string, body: string): string => `arrayMap(${name} -> ${body}, [${e}])[1]`;

/** 8 lower-case hex digits of an Int64 in [0, 2^32): hex() of a UInt64 in [2^32, 2^33) is '01' and 8 digits. */
const hex8 = (n: string): string => `lower(substring(hex(toUInt64(${n} + 4294967296)), 3, 8))`;

/** The IPv4 address `s` as an Int64, -1 when it is not one. */
function v4Number(s: string): string {
  const octet = (i: number): string => `toInt64(toUInt64OrZero(splitByChar('.', ${s})[${i}]))`;
  return `if(match(${s}, ${chString(V4)}), ${octet(1)} * 16777216 + ${octet(2)} * 65536 + ${octet(3)} * 256 + ${octet(4)}, toInt64(-1))`;
}

/** Groups in a `::` side (exact once GROUPS matched it). */
const groupCount = (side: string): string => `length(extractAll(${side}, '[^:]+'))`;

/**
 * The IPv6 address `t` (zone and brackets already dropped) as 32 lower-case hex digits, '' when
 * it is not one: `::` expanded to the missing zero groups, each group padded to 4 digits, an IPv4
 * tail (after the last colon, holding a dot) folded into the last 32 bits.
 */
function v6Hex(t: string): string {
  const tail = `extract(${t}, ':([^:]*\\\\.[^:]*)$')`;
  const h1 = 'ip_hv[1]';
  const h2 = 'ip_h2';
  const zeros = `greatest(0, 8 - ${groupCount(h1)} - ${groupCount(h2)})`;
  const joined = `concat(if(${h1} = '', '', concat(${h1}, ':')), substring('0:0:0:0:0:0:0:0:', 1, toUInt64(2 * ${zeros})), ${h2})`;
  const expanded = `if(length(ip_hv) = 2, if(${h2} = '', substring(ip_j, 1, length(ip_j) - 1), ip_j), ${h1})`;
  const valid = `if(length(ip_hv) = 2, match(${h1}, ${chString(GROUPS)}) AND match(${h2}, ${chString(GROUPS)}) AND ${groupCount(h1)} + ${groupCount(h2)} <= 8,
    length(ip_hv) = 1 AND match(${h1}, ${chString(EIGHT)}))`;
  // ':g' -> ':000g', then the last four digits of each group: 32 digits.
  const digits = `lower(replaceRegexpAll(replaceRegexpAll(concat(':', ${expanded}), ':', ':000'), ':[0-9a-fA-F]*([0-9a-fA-F]{4})', '\\\\1'))`;
  const withTail = `concat(substring(ip_d, 1, 24), ${hex8('ip_tn')})`;
  const body = `if(${valid} AND (ip_tail = '' OR ip_tn >= 0), if(ip_tail = '', ip_d, ${withTail}), '')`;
  return bind(tail, 'ip_tail', bind(v4Number('ip_tail'), 'ip_tn',
    bind(`splitByString('::', if(ip_tail = '', ${t}, concat(substring(${t}, 1, length(${t}) - length(ip_tail)), '0:0')))`, 'ip_hv',
      bind(`if(length(ip_hv) = 2, ip_hv[2], '')`, 'ip_h2', bind(joined, 'ip_j', bind(digits, 'ip_d', body))))));
}

/**
 * The address in the text `x` (trimmed by `trim`) as 32 lower-case hex digits, an IPv4 address
 * as its IPv4-mapped IPv6 form, '' when the text is no address. The same text for every test of
 * one value in a statement: the server analyses and computes it once (common subexpression).
 */
function addressHex(x: string, trim: (x: string) => string): string {
  const t = `if(startsWith(ip_z, '[') AND endsWith(ip_z, ']'), substring(ip_z, 2, length(ip_z) - 2), ip_z)`;
  return bind(trim(`ifNull(${x}, '')`), 'ip_s', bind(v4Number('ip_s'), 'ip_n',
    `if(ip_n >= 0, concat('${MAPPED}', ${hex8('ip_n')}), if(position(ip_s, ':') = 0, '', ${bind(`splitByChar('%', ip_s)[1]`, 'ip_z', v6Hex(t))}))`));
}

/**
 * CIDR ranges over the text `x` (trimmed by `trim`), compared as 32 hex digits; an IPv4-mapped
 * IPv6 address counts as IPv4 (an IPv6 range never holds one). '0' when no value is a CIDR range.
 */
export function cidrSql(values: string[], x: string, trim: (x: string) => string): string {
  const { v4, v6 } = cidrRanges(values);
  if (!v4.length && !v6.length) return '0';
  return bind(addressHex(x, trim), 'ip_h', `(${[
    ...v4.map(([a, b]) => `ip_h BETWEEN '${MAPPED}${hex(a, 8)}' AND '${MAPPED}${hex(b, 8)}'`),
    ...v6.map(([a, b]) => `(ip_h BETWEEN '${hex(a, 32)}' AND '${hex(b, 32)}' AND NOT startsWith(ip_h, '${MAPPED}'))`),
  ].join(' OR ')})`);
}
