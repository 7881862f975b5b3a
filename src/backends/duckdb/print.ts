/**
 * A Detection tree as a boolean SQL expression over detectory's event table (store/schema.ts):
 * `fields` MAP(VARCHAR, VARCHAR) holds every flattened field with one value (NULL for an empty
 * EVTX value), `lists` MAP(VARCHAR, VARCHAR[]) the few fields with several values, `all_values`
 * every value case-folded and joined by U+001F (keyword search); the most tested fields are read
 * from their own columns (store/promoted-fields.ts). The meaning is the engine's
 * (src/engine/leaves.ts, compile.ts), test for test: every leaf is a definite true/false
 * (COALESCE), so NOT never meets a SQL NULL. Throws SqlPrintError for what has no exact SQL form.
 */
import type { Detection, Predicate } from '../../model/index.js';
import { foldString } from '../../engine/case-fold.js';
import { compileRegex } from '../../util/regex.js';
import { fail } from './errors.js';
import { loweredColumn, promotedColumn } from '../../store/duckdb/promoted-fields.js';
import { keywordTest } from '../../store/keyword-shown.js';
import { ReadRecorder, type FieldReads, type MapEntry, type MapEntryPrinter } from '../field-reads.js';
import { checkValue, globToLike, sqlKey, sqlString } from './literal.js';
import { type ElasticEmitter, type ValueTest } from '../sql/elastic-leaf.js';
import { SigmaSqlWalker } from '../sql/sigma-walk.js';
import { ALTERNATION, MANY, MAPPED, chunks, cidrRanges, hex, reLiteral } from '../sql/shared.js';

export const VALUE_SEPARATOR = '\u001f';

/** Where the printed SQL reads field values. */
export interface FieldSource {
  /** MAP(VARCHAR, VARCHAR): each field's single value. */
  single: string;
  /** MAP(VARCHAR, VARCHAR[]): the fields with several values. */
  lists: string;
  /** Column of every value case-folded and joined by VALUE_SEPARATOR (keyword search), if any. */
  allValues?: string;
  /** The column holding a field's single value instead of the map, if any (store/duckdb/promoted-fields.ts). */
  promoted?: (field: string) => string | undefined;
  /** VARCHAR[] of the fields whose values were numbers or booleans (their text is JS String()), if any. */
  typed?: string;
  /** The single-value map never holds NULL: presence is a lookup (a column when promoted), not map_contains, which reads the whole map. */
  noNullValues?: boolean;
}

/** The Sigma event columns (store/duckdb/schema.ts). */
export const SIGMA_FIELDS: FieldSource = { single: 'fields', lists: 'lists', allValues: 'all_values', promoted: promotedColumn };

/**
 * Elastic rules (the lowered tree of a KQL, Lucene or EQL query) over the store's ECS maps, with the
 * leaf semantics of engine/elastic/detection-eval.ts (eql/values.ts equals and order: a number on
 * either side compares as a number, a boolean as its lower-case text, strings as strings). A leaf
 * whose Elastic meaning the SQL does not reproduce exactly (`<`/`>` between two texts, field
 * references, keywords, unknown conditions, a text JS reads as a number that is no plain decimal,
 * such as "0x10") filters nothing: TRUE where it counts for a match, FALSE under a `not`. The printed
 * condition then holds for every event the rule matches (and maybe more): the caller runs the
 * rule's own evaluator on what the SQL selects. The leaves are decided in backends/sql/elastic-leaf.ts
 * (shared with the ClickHouse printer); this printer supplies DuckDB's expressions.
 */
export interface ElasticSemantics {
  /** Fields stored as numbers or booleans somewhere ('all' when unknown). */
  typedFields: ReadonlySet<string> | 'all';
}

export interface SqlPrintOptions {
  /** Fields that may hold several values in the store (read from `lists` too); 'all' when unknown. */
  listFields?: ReadonlySet<string> | 'all';
  /** Default: the Sigma columns. */
  source?: FieldSource;
  /** Print with the Elastic leaf semantics (see ElasticSemantics); default: the Sigma engine's. */
  elastic?: ElasticSemantics;
  /** Filled with what the printed SQL reads (columns, map entries, whole maps: field-reads.ts). */
  reads?: FieldReads;
  /** How each single map entry is printed (default: its lookup, e.g. `fields['K']`). */
  mapEntry?: MapEntryPrinter;
}


export function printDuckdb(d: Detection, opts: SqlPrintOptions = {}): string {
  return new Printer(opts).tree(d, 0);
}

/**
 * Whether the event holds a keyword, tested as the rule's keyword search is (keywordContains):
 * '' when it does, NULL otherwise (hunt's matched.keywords: store/keyword-shown.ts). Reads reported
 * and map entries printed as printDuckdb's.
 */
export function printKeywordFound(keyword: string, opts: Pick<SqlPrintOptions, 'reads' | 'mapEntry'> = {}): string {
  return `CASE WHEN ${printDuckdb(keywordTest(keyword), opts)} THEN '' END`;
}

class Printer extends SigmaSqlWalker {
  private readonly src: FieldSource;
  private readonly log: ReadRecorder;
  constructor(opts: SqlPrintOptions) {
    super(opts);
    this.src = opts.source ?? SIGMA_FIELDS;
    this.log = new ReadRecorder(opts.reads, opts.mapEntry);
  }

  /** A plain column the SQL reads. */
  private column(c: string): string {
    return this.log.column(c);
  }

  /** One entry of a map: its value (`value`, `list`) or whether the map holds the key (`has`), printed through the hook. */
  private entry(kind: MapEntry['kind'], map: string, field: string): string {
    const k = sqlKey(field);
    return this.log.entry({ kind, map, key: field, sql: kind === 'has' ? `map_contains(${map}, ${k})` : `${map}[${k}]` });
  }

  /** `lower(x)`, read from the lower-cased column when x is a promoted column that has one. */
  private lowered(x: string): string {
    const l = loweredColumn(x);
    return l === undefined ? `lower(${x})` : this.column(l);
  }

  protected bool(b: boolean): string {
    return b ? 'TRUE' : 'FALSE';
  }

  protected not(c: string): string {
    return `(NOT ${c})`;
  }

  protected timePart(x: string, part: string): string {
    return timePartSql(x, part);
  }

  protected isNullValue(field: string): string {
    const f = this.fieldValue(field);
    return `(${f} IS NULL AND NOT ${this.inLists(field)}) OR coalesce(${f} = '', FALSE)`;
  }

  protected isEmptyValue(field: string): string {
    return `(${this.entry('has', this.src.single, field)} AND coalesce(${this.fieldValue(field)}, '') = '')`;
  }

  /** DuckDB's expressions for the shared Elastic leaf walker (backends/sql/elastic-leaf.ts: engine/elastic/detection-eval.ts leaf by leaf). */
  protected readonly elasticEmitter: ElasticEmitter = {
    bool: (b) => (b ? 'TRUE' : 'FALSE'),
    not: (c) => `(NOT ${c})`,
    present: (field) => this.present(field),
    anyOf: (field, t) => this.anyOf(field, t),
    valueTest: (p) => this.valueTest(p),
    jsNumber,
    double: doubleSql,
    toDouble: (x) => `TRY_CAST(${x} AS DOUBLE)`,
    lowerLiteral: (v) => `lower(${sqlString(checkValue(v))})`,
    lowerAscii: (x) => `lower(${x})`,
    typed: (field) => (this.src.typed ? `list_contains(${this.column(this.src.typed)}, ${sqlKey(field)})` : undefined),
    choose: (c, a, b) => `(CASE WHEN ${c} THEN ${a} ELSE ${b} END)`,
  };

  /** Case-insensitive substring search in all values (the folded, joined column). */
  protected keywordContains(values: string[]): string {
    const folded = values.map((v) => foldString(checkValue(v)));
    // A keyword holding the separator could match across two values: search value by value.
    const all = this.src.allValues;
    if (all === undefined || folded.some((v) => v.includes(VALUE_SEPARATOR))) {
      return this.anyValue(this.valueTest({ kind: 'pred', field: null, authoredField: null, op: 'contains', values, flags: {} }));
    }
    this.column(all);
    if (folded.length >= MANY) {
      return `(${chunks(folded, ALTERNATION).map((part) => `regexp_matches(${all}, ${sqlString(`(?:${part.map(reLiteral).join('|')})`)})`).join(' OR ')})`;
    }
    return `(${folded.map((v) => `contains(${all}, ${sqlString(v)})`).join(' OR ')})`;
  }

  protected valueTest(p: Predicate): ValueTest {
    const cased = !!p.flags.cased;
    const values = p.values.map((v) => checkValue(String(v)));
    const norm = (x: string): string => (cased ? x : this.lowered(x));
    const lits = values.map((v) => (cased ? sqlString(v) : `lower(${sqlString(v)})`));
    switch (p.op) {
      case 'eq':
      case 'in':
        return (x) => `${norm(x)} IN (${lits.join(', ')})`;
      case 'contains':
      case 'starts_with':
      case 'ends_with': {
        const fn = p.op === 'contains' ? 'contains' : p.op === 'starts_with' ? 'starts_with' : 'suffix';
        if (values.length < MANY) return (x) => `(${lits.map((l) => `${fn}(${norm(x)}, ${l})`).join(' OR ')})`;
        // Many literals: one RE2 alternation reads the value once (the engine's automaton does the same).
        const res = chunks(values, ALTERNATION).map((part) => {
          const alt = `(?:${part.map((v) => reLiteral(cased ? v : foldString(v))).join('|')})`;
          return sqlString(p.op === 'contains' ? alt : p.op === 'starts_with' ? `^${alt}` : `${alt}$`);
        });
        return (x) => `(${res.map((re) => `regexp_matches(${norm(x)}, ${re})`).join(' OR ')})`;
      }
      case 'wildcard': {
        const pats = values.map((v) => (cased ? sqlString(globToLike(v)) : `lower(${sqlString(globToLike(v))})`));
        return (x) => `(${pats.map((l) => `${norm(x)} LIKE ${l} ESCAPE '\\'`).join(' OR ')})`;
      }
      case 'regex_match': {
        const flags = [...new Set((p.flags.regexFlags ?? '').split(''))].filter((c) => 'ims'.includes(c)).join('');
        for (const v of values) {
          const { error } = compileRegex(v, flags);
          if (error) fail('regex', `invalid regex: ${error}`);
        }
        // A regex that is only a counted repetition of `.` (`.{1000,}`) is tested by lengths: RE2 runs it very slowly.
        const tests = values.map((v): ValueTest => {
          const re = sqlString(flags ? `(?${flags})${v}` : v);
          const n = /^(\^?)\.\{(\d+)(,\d*)?\}(\$?)$/.exec(v);
          const least = n ? Number(n[2]) : 0;
          if (!n || least === 0) return (x) => `regexp_matches(${x}, ${re})`;
          if (n[1] || n[4]) return (x) => `(length(${x}) >= ${least} AND regexp_matches(${x}, ${re}))`;
          // Unanchored: some run of `least` characters; `.` stops at a line feed unless the s flag is set.
          if (flags.includes('s')) return (x) => `(length(${x}) >= ${least})`;
          const line = `v${this.lambdas++}`;
          return (x) => `(length(${x}) >= ${least} AND list_bool_or(list_transform(string_split(${x}, chr(10)), lambda ${line}: length(${line}) >= ${least})))`;
        });
        return (x) => `(${tests.map((t) => t(x)).join(' OR ')})`;
      }
      case 'cidr':
        return cidrTest(values);
      case 'lt':
      case 'lte':
      case 'gt':
      case 'gte': {
        const limit = Number(values[0]);
        if (!Number.isFinite(limit)) return () => 'FALSE';
        const cmp = { lt: '<', lte: '<=', gt: '>', gte: '>=' }[p.op];
        const part = p.flags.timePart;
        return (x) => `${part ? timePartSql(x, part) : numberSql(x)} ${cmp} ${limit}`;
      }
      default:
        return fail(p.op, `operator ${p.op} has no value test`);
    }
  }

  private inLists(field: string): string {
    return this.isList(field) ? `coalesce(${this.entry('has', this.src.lists, field)}, FALSE)` : 'FALSE';
  }

  protected present(field: string): string {
    const { single, lists } = this.src;
    if (this.src.noNullValues) {
      const one = `(${this.fieldValue(field)} IS NOT NULL)`;
      return this.isList(field) ? `(${one} OR coalesce(len(${this.entry('list', lists, field)}) > 0, FALSE))` : one;
    }
    const has = this.entry('has', single, field);
    return this.isList(field) ? `(${has} OR ${this.entry('has', lists, field)})` : has;
  }

  private lambda(t: ValueTest, list: string): string {
    const v = `v${this.lambdas++}`;
    return `coalesce(len(list_filter(${list}, lambda ${v}: ${t(v)})) > 0, FALSE)`;
  }

  /** Any value of the field passes the test. */
  protected anyOf(field: string, t: ValueTest): string {
    // A promoted field's column counts as read only when the printed test reads it: a case-insensitive
    // test reads the lower-cased column instead (lowered() notes that one).
    const own = this.src.promoted?.(field);
    const test = t(own ?? this.fieldValue(field));
    if (own !== undefined && test.includes(own)) this.column(own);
    const one = `coalesce(${test}, FALSE)`;
    return this.isList(field) ? `(${one} OR ${this.lambda(t, this.entry('list', this.src.lists, field))})` : one;
  }

  /** Any value of any field passes the test (keyword search). */
  protected anyValue(t: ValueTest): string {
    this.log.wholeMap();
    return this.lambda(t, `list_concat(map_values(${this.src.single}), flatten(map_values(${this.src.lists})))`);
  }

  private values(field: string): string {
    const one = `CASE WHEN ${this.fieldValue(field)} IS NULL THEN []::VARCHAR[] ELSE [${this.fieldValue(field)}] END`;
    return this.isList(field) ? `list_concat(${one}, coalesce(${this.entry('list', this.src.lists, field)}, []::VARCHAR[]))` : one;
  }

  /** The single value of a field: its own column when promoted (store/promoted-fields.ts), else the map's. */
  private fieldValue(field: string): string {
    const own = this.src.promoted?.(field);
    return own !== undefined ? this.column(own) : this.entry('value', this.src.single, field);
  }

  /** lower() of a field's single value: its lower-cased column when it has one. */
  private loweredValue(field: string): string {
    const own = this.src.promoted?.(field);
    const l = own === undefined ? undefined : loweredColumn(own);
    return l !== undefined ? this.column(l) : this.lowered(this.fieldValue(field));
  }

  /** Sigma fieldref: some value of one field equals some value of the other. */
  protected fieldEquals(a: string, b: string, cased: boolean): string {
    if (!this.isList(a) && !this.isList(b)) {
      if (!cased) return `coalesce(${this.loweredValue(a)} = ${this.loweredValue(b)}, FALSE)`;
      const fa = this.fieldValue(a);
      const fb = this.fieldValue(b);
      return `coalesce(${fa} = ${fb}, FALSE)`;
    }
    const x = `v${this.lambdas++}`;
    const norm = cased ? `lambda ${x}: ${x}` : `lambda ${x}: lower(${x})`;
    return `coalesce(len(list_intersect(list_transform(${this.values(a)}, ${norm}), list_transform(${this.values(b)}, ${norm}))) > 0, FALSE)`;
  }
}


/** JS Number() of a trimmed value, finite only (leaves.ts toNumber). */
function numberSql(x: string): string {
  const n = `TRY_CAST(trim(${x}) AS DOUBLE)`;
  return `(CASE WHEN isfinite(${n}) THEN ${n} END)`;
}

/** A plain decimal, the texts JS Number() and a DOUBLE cast read alike. */
const DECIMAL = '-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?';

/**
 * A test on the number JS Number() reads from a value (eql/values.ts toNumber). Plain decimals are
 * cast; any other text with a digit or "Infinity" ("0x1F", " 5", "+5") passes when `positive` (the
 * rule's evaluator decides) and fails under a `not`.
 */
function jsNumber(test: (n: string) => string, positive: boolean): ValueTest {
  return (x) => `(CASE WHEN regexp_full_match(${x}, '${DECIMAL}') THEN ${test(`CAST(${x} AS DOUBLE)`)} ELSE ${positive ? `regexp_matches(${x}, '[0-9]|Infinity')` : 'FALSE'} END)`;
}

function doubleSql(n: number): string {
  return `CAST('${String(n)}' AS DOUBLE)`;
}

function timePartSql(x: string, part: string): string {
  const spec = part === 'week' ? 'week' : part;
  return `date_part('${spec}', TRY_CAST(replace(trim(${x}), 'Z', '') AS TIMESTAMP))`;
}

const V4 = '^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})$';

/** A bound name for an expression: `list_transform([e], lambda n: body)[1]`. */
function bind(e: string, name: string, body: string): string {
  return `list_transform([${e}], lambda ${name}: ${body})[1]`;
}

/** util/cidr.ts parseV4 as a BIGINT (NULL when the text is not an IPv4 address). */
function ip4Number(s: string): string {
  const o = (i: number): string => `TRY_CAST(regexp_extract(${s}, '${V4}', ${i}) AS BIGINT)`;
  return `(CASE WHEN regexp_matches(${s}, '${V4}') AND ${o(1)} <= 255 AND ${o(2)} <= 255 AND ${o(3)} <= 255 AND ${o(4)} <= 255
    THEN ${o(1)} * 16777216 + ${o(2)} * 65536 + ${o(3)} * 256 + ${o(4)} END)`;
}

/**
 * util/cidr.ts parseV6 as 32 lower-case hex digits (NULL when not an IPv6 address): zone and
 * brackets dropped, `::` expanded, an IPv4 tail folded into the last 32 bits. Fixed-width hex
 * compares as the 128-bit number does.
 */
function ip6Hex(s: string): string {
  const unzoned = `split_part(${s}, '%', 1)`;
  const text = bind(unzoned, 'ip_z', `CASE WHEN starts_with(ip_z, '[') AND suffix(ip_z, ']') THEN ip_z[2:-2] ELSE ip_z END`);
  return bind(text, 'ip_t', bind(`regexp_extract(ip_t, ':([^:]*\\.[^:]*)$', 1)`, 'ip_tail', bind(
    `CASE WHEN ip_tail = '' THEN ip_t ELSE ip_t[1:length(ip_t) - length(ip_tail)] || '0:0' END`, 'ip_u', bind(
      `string_split(ip_u, '::')`, 'ip_halves', bind(
        `CASE WHEN ip_halves[1] = '' THEN []::VARCHAR[] ELSE string_split(ip_halves[1], ':') END`, 'ip_head', bind(
          `CASE WHEN len(ip_halves) < 2 OR ip_halves[2] = '' THEN []::VARCHAR[] ELSE string_split(ip_halves[2], ':') END`, 'ip_rest', bind(
            `CASE WHEN len(ip_halves) = 2 THEN list_concat(ip_head, list_transform(range(8 - len(ip_head) - len(ip_rest)), lambda ip_i: '0'), ip_rest) ELSE ip_head END`,
            'ip_g',
            `CASE WHEN contains(ip_t, ':') AND len(ip_halves) <= 2 AND len(ip_g) = 8
                AND list_bool_and(list_transform(ip_g, lambda ip_x: regexp_full_match(ip_x, '[0-9a-fA-F]{1,4}')))
                AND (ip_tail = '' OR ${ip4Number('ip_tail')} IS NOT NULL)
              THEN CASE WHEN ip_tail = '' THEN array_to_string(list_transform(ip_g, lambda ip_x: lpad(lower(ip_x), 4, '0')), '')
                ELSE array_to_string(list_transform(ip_g[1:6], lambda ip_x: lpad(lower(ip_x), 4, '0')), '') || lpad(format('{:x}', ${ip4Number('ip_tail')}), 8, '0') END
            END`)))))));
}

/** CIDR ranges (util/cidr.ts): IPv4 as integers, IPv6 as fixed-width hex; IPv4-mapped IPv6 addresses count as IPv4. */
function cidrTest(values: string[]): ValueTest {
  const { v4, v6 } = cidrRanges(values);
  if (!v4.length && !v6.length) return () => 'FALSE';
  return (x) => bind(`trim(${x})`, 'ip_s', bind(ip4Number('ip_s'), 'ip_n', bind(`CASE WHEN ip_n IS NULL THEN ${ip6Hex('ip_s')} END`, 'ip_h', `(${[
    ...v4.map(([a, b]) => `ip_n BETWEEN ${a} AND ${b} OR (starts_with(ip_h, '${MAPPED}') AND ip_h[25:] BETWEEN '${hex(a, 8)}' AND '${hex(b, 8)}')`),
    ...v6.map(([a, b]) => `(NOT starts_with(ip_h, '${MAPPED}') AND ip_h BETWEEN '${hex(a, 32)}' AND '${hex(b, 32)}')`),
  ].join(' OR ')})`)));
}
