/**
 * A Detection tree as a boolean ClickHouse expression over detectory's event table
 * (store/clickhouse/schema.ts): `f_keys`/`f_values` are the parallel key and value arrays of
 * every single-valued field (a value NULL for an empty EVTX value), `l_keys`/`l_values` the
 * fields with several values, `all_values` every value case-folded and joined by U+001F
 * (keyword search); the most tested fields have their own column. The meaning is the engine's
 * and the DuckDB printer's (backends/duckdb/print.ts), leaf for leaf. A leaf on an absent or
 * NULL value may be NULL; AND and OR treat it as false already (a formula without NOT is true in
 * three-valued logic exactly when it is true with every NULL read as false), so only what a NOT
 * negates is made definite (ifNull), and each lambda's result (arrayExists takes 0/1 only).
 *
 * Dialect limits (18.16 and current releases): no TRUE/FALSE keywords (1/0), no ILIKE, no trim
 * or leftPad, no lambda that names a table column (only its own argument or an enclosing
 * lambda's), regexes through chMatch (literal.ts). Throws SqlPrintError for what has no exact form.
 */
import type { Detection, Predicate } from '../../model/index.js';
import { foldString } from '../../engine/case-fold.js';
import { compileRegex } from '../../util/regex.js';
import { fail } from '../duckdb/errors.js';
import { checkValue, globToLike } from '../duckdb/literal.js';
import { VALUE_SEPARATOR } from '../duckdb/print.js';
import { type ElasticEmitter, type ElasticLeafOptions, type ValueTest } from '../sql/elastic-leaf.js';
import { SigmaSqlWalker } from '../sql/sigma-walk.js';
import { ALTERNATION, MANY, chunks, reLiteral } from '../sql/shared.js';
import { cidrSql } from './cidr.js';
import { promotedColumn } from '../../store/clickhouse/promoted.js';
import { keywordTest } from '../../store/keyword-shown.js';
import { chMatch, chString } from './literal.js';
import { ReadRecorder, type FieldReads, type MapEntryPrinter } from '../field-reads.js';

/** Where the printed SQL reads field values (parallel key and value arrays). */
export interface ChFieldSource {
  /** Array(String): the names of the single-valued fields. */
  keys: string;
  /** Array(Nullable(String)): their values, in the same order (an index past the end reads NULL). */
  values: string;
  /** Array(String) and Array(Array(String)): the fields with several values and their values. */
  listKeys: string;
  listValues: string;
  /** Column of every value case-folded and joined by VALUE_SEPARATOR (keyword search), if any. */
  allValues?: string;
  /** The column holding a field's single value, if any. */
  promoted?: (field: string) => string | undefined;
  /** Array(String) of the fields whose values were numbers or booleans, if any. */
  typed?: string;
}

/** The Sigma event columns (store/clickhouse/schema.ts). */
export const SIGMA_FIELDS: ChFieldSource = { keys: 'f_keys', values: 'f_values', listKeys: 'l_keys', listValues: 'l_values', allValues: 'all_values', promoted: promotedColumn };

export interface ChPrintOptions {
  /** Fields that may hold several values in the store (read from `l_values` too); 'all' when unknown. */
  listFields?: ReadonlySet<string> | 'all';
  /** Default: the Sigma columns. */
  source?: ChFieldSource;
  /** Print with the Elastic leaf semantics (backends/sql/elastic-leaf.ts); default: the Sigma engine's. */
  elastic?: ElasticLeafOptions;
  /**
   * Filled with what the printed SQL reads (backends/field-reads.ts): promoted columns, each
   * presence read (`has(f_keys, 'K')`, `has(l_keys, 'K')`) and value read (`f_values[indexOf(f_keys,
   * 'K')]`, `l_values[indexOf(l_keys, 'K')]`), all_values, the arrays read whole.
   */
  reads?: FieldReads;
  /** How each of those single reads is printed (default: as above). */
  mapEntry?: MapEntryPrinter;
}

export function printClickhouse(d: Detection, opts: ChPrintOptions = {}): string {
  return new Printer(opts).tree(d, 0);
}

/** The single value of a field (its own column when promoted, else the value array's: NULL when absent), its reads reported as printClickhouse's. */
export function printFieldValue(field: string, opts: Pick<ChPrintOptions, 'source' | 'reads' | 'mapEntry'> = {}): string {
  return new Printer(opts).fieldValue(field);
}

/**
 * Whether the event holds a keyword, tested as the rule's keyword search is (keywordContains):
 * '' when it does, NULL otherwise (hunt's matched.keywords: store/keyword-shown.ts). Reads reported
 * and map entries printed as printClickhouse's.
 */
export function printKeywordFound(keyword: string, opts: Pick<ChPrintOptions, 'source' | 'reads' | 'mapEntry'> = {}): string {
  return `if(ifNull(${printClickhouse(keywordTest(keyword), opts)}, 0), '', NULL)`;
}

/**
 * The text hunt reads back as scan's value of a field stored as a list somewhere (store/list-shown.ts):
 * 'S' + its single value, 'L' + each of its values escaped ('\' doubled, newline as '\n') and ended
 * by a newline, NULL when the event has neither. Reads reported and map entries printed as
 * printClickhouse's.
 */
export function printListShown(field: string, opts: Pick<ChPrintOptions, 'source' | 'reads' | 'mapEntry'> = {}): string {
  return new Printer(opts).listShown(field);
}

/** Whitespace trimmed as JS trim() does for ASCII (18.16 has no trim()). */
const trimmed = (x: string): string => `replaceRegexpAll(${x}, '^\\\\s+|\\\\s+$', '')`;

class Printer extends SigmaSqlWalker {
  private readonly src: ChFieldSource;
  private readonly log: ReadRecorder;
  constructor(opts: ChPrintOptions) {
    super(opts);
    this.src = opts.source ?? SIGMA_FIELDS;
    this.log = new ReadRecorder(opts.reads, opts.mapEntry);
  }

  /** Whether the event has the field (`list`: among the fields with several values), printed through the hook. */
  private has(field: string, list = false): string {
    const map = list ? this.src.listKeys : this.src.keys;
    return this.log.entry({ kind: 'has', map, key: field, sql: `has(${map}, ${chString(field)})` });
  }

  /** The field's entry of the value array (`list`: of the list arrays), printed through the hook. */
  private lookup(kind: 'value' | 'list', field: string): string {
    const [map, keys] = kind === 'list' ? [this.src.listValues, this.src.listKeys] : [this.src.values, this.src.keys];
    return this.log.entry({ kind, map, key: field, sql: `${map}[indexOf(${keys}, ${chString(field)})]` });
  }

  protected bool(b: boolean): string {
    return b ? '1' : '0';
  }

  protected not(c: string): string {
    return not(c);
  }

  protected timePart(x: string, part: string): string {
    return timePartSql(x, part);
  }

  protected isNullValue(field: string): string {
    const f = this.fieldValue(field);
    return `(isNull(${f}) AND NOT ${this.inLists(field)}) OR ${f} = ''`;
  }

  protected isEmptyValue(field: string): string {
    return `(${this.has(field)} AND ifNull(${this.fieldValue(field)}, '') = '')`;
  }

  /** ClickHouse's expressions for the shared Elastic leaf walker (backends/sql/elastic-leaf.ts). */
  protected readonly elasticEmitter: ElasticEmitter = {
    bool: (b) => (b ? '1' : '0'),
    not,
    present: (field) => this.present(field),
    anyOf: (field, t) => this.anyOf(field, t),
    valueTest: (p) => this.valueTest(p),
    jsNumber,
    double: doubleSql,
    toDouble: (x) => `toFloat64OrNull(${x})`,
    lowerLiteral: (v) => chString(foldString(checkValue(v))),
    lowerAscii: (x) => `lower(${x})`,
    typed: (field) => (this.src.typed ? `has(${this.log.column(this.src.typed)}, ${chString(field)})` : undefined),
    choose: (c, a, b) => `if(${c}, ${a}, ${b})`,
  };

  /** Case-insensitive substring search in all values (the folded, joined column). */
  protected keywordContains(values: string[]): string {
    const folded = values.map((v) => foldString(checkValue(v)));
    const all = this.src.allValues;
    if (all === undefined || folded.some((v) => v.includes(VALUE_SEPARATOR))) {
      return this.anyValue(this.valueTest({ kind: 'pred', field: null, authoredField: null, op: 'contains', values, flags: {} }));
    }
    this.log.column(all);
    if (folded.length >= MANY) {
      return `(${chunks(folded, ALTERNATION).map((part) => chMatch(all, part.map(reLiteral).join('|'))).join(' OR ')})`;
    }
    return `(${folded.map((v) => `position(${all}, ${chString(v)}) > 0`).join(' OR ')})`;
  }

  protected valueTest(p: Predicate): ValueTest {
    const cased = !!p.flags.cased;
    const values = p.values.map((v) => checkValue(String(v)));
    const norm = (x: string): string => (cased ? x : `lowerUTF8(${x})`);
    // Literals folded here, as the engine folds them (fewer nodes for 18.16's slow query analysis).
    const lits = values.map((v) => chString(cased ? v : foldString(v)));
    switch (p.op) {
      case 'eq':
      case 'in':
        return (x) => `${norm(x)} IN (${lits.join(', ')})`;
      case 'contains':
      case 'starts_with':
      case 'ends_with': {
        const test = p.op === 'contains' ? (x: string, l: string) => `position(${x}, ${l}) > 0`
          : p.op === 'starts_with' ? (x: string, l: string) => `startsWith(${x}, ${l})` : (x: string, l: string) => `endsWith(${x}, ${l})`;
        if (values.length < MANY) return (x) => `(${lits.map((l) => test(norm(x), l)).join(' OR ')})`;
        const res = chunks(values, ALTERNATION).map((part) => {
          const alt = `(?:${part.map((v) => reLiteral(cased ? v : foldString(v))).join('|')})`;
          return p.op === 'contains' ? alt : p.op === 'starts_with' ? `^${alt}` : `${alt}$`;
        });
        return (x) => `(${res.map((re) => chMatch(norm(x), re)).join(' OR ')})`;
      }
      case 'wildcard': {
        // LIKE's escape is the backslash (no ESCAPE clause in ClickHouse); chString doubles it once more.
        const pats = values.map((v) => chString(cased ? globToLike(v) : foldString(globToLike(v))));
        return (x) => `(${pats.map((l) => `${norm(x)} LIKE ${l}`).join(' OR ')})`;
      }
      case 'regex_match': {
        const flags = [...new Set((p.flags.regexFlags ?? '').split(''))].filter((c) => 'ims'.includes(c)).join('');
        for (const v of values) {
          const { error } = compileRegex(v, flags);
          if (error) fail('regex', `invalid regex: ${error}`);
        }
        // Flags as a group around the whole pattern: a leading (?i) is misread by the store (trap 1).
        const pats = values.map((v) => (flags ? `(?${flags}:${v})` : v));
        return (x) => `(${pats.map((re) => chMatch(x, re)).join(' OR ')})`;
      }
      case 'cidr':
        return (x) => cidrSql(values, x, trimmed);
      case 'lt':
      case 'lte':
      case 'gt':
      case 'gte': {
        const limit = Number(values[0]);
        if (!Number.isFinite(limit)) return () => '0';
        const cmp = { lt: '<', lte: '<=', gt: '>', gte: '>=' }[p.op];
        const part = p.flags.timePart;
        return (x) => `${part ? timePartSql(x, part) : numberSql(x)} ${cmp} ${limit}`;
      }
      default:
        return fail(p.op, `operator ${p.op} has no value test`);
    }
  }

  private inLists(field: string): string {
    return this.isList(field) ? this.has(field, true) : '0';
  }

  protected present(field: string): string {
    return this.isList(field) ? `(${this.has(field)} OR ${this.has(field, true)})` : this.has(field);
  }

  private lambda(t: ValueTest, list: string): string {
    const v = `v${this.lambdas++}`;
    return `arrayExists(${v} -> ifNull(${t(v)}, 0), ${list})`;
  }

  /** Any value of the field passes the test. */
  protected anyOf(field: string, t: ValueTest): string {
    const one = t(this.fieldValue(field));
    return this.isList(field) ? `(${one} OR ${this.lambda(t, this.listValues(field))})` : one;
  }

  /** Any value of any field passes the test (keyword search); no flatten in 18.16: a lambda per list. */
  protected anyValue(t: ValueTest): string {
    const l = `l${this.lambdas++}`;
    this.log.wholeMap();
    return `(${this.lambda(t, this.log.column(this.src.values))} OR arrayExists(${l} -> ${this.lambda(t, l)}, ${this.log.column(this.src.listValues)}))`;
  }

  /** Every value of a field, as Array(String). */
  private values(field: string): string {
    const f = this.fieldValue(field);
    const one = `arrayMap(s -> assumeNotNull(s), arrayFilter(s -> isNotNull(s), [${f}]))`;
    return this.isList(field) ? `arrayConcat(${one}, ${this.listValues(field)})` : one;
  }

  /** Sigma fieldref: some value of one field equals some value of the other. */
  protected fieldEquals(a: string, b: string, cased: boolean): string {
    if (!this.isList(a) && !this.isList(b)) {
      const fa = this.fieldValue(a);
      const fb = this.fieldValue(b);
      return cased ? `${fa} = ${fb}` : `lowerUTF8(${fa}) = lowerUTF8(${fb})`;
    }
    const norm = (e: string): string => (cased ? e : `arrayMap(s -> lowerUTF8(s), ${e})`);
    return `hasAny(${norm(this.values(a))}, ${norm(this.values(b))})`;
  }

  /** The single value of a field: its own column when promoted, else the value array's (NULL when absent). */
  fieldValue(field: string): string {
    const own = this.src.promoted?.(field);
    return own !== undefined ? this.log.column(own) : this.lookup('value', field);
  }

  /** printListShown's text (functions 18.16 has). */
  listShown(field: string): string {
    const v = this.fieldValue(field);
    const escaped = `arrayMap(x -> concat(replaceAll(replaceAll(x, '\\\\', '\\\\\\\\'), '\\n', '\\\\n'), '\\n'), ${this.listValues(field)})`;
    return `multiIf(isNotNull(${v}), concat('S', assumeNotNull(${v})), ${this.has(field, true)}, concat('L', arrayStringConcat(${escaped})), NULL)`;
  }

  /** The several values of a list field ([] when absent). */
  private listValues(field: string): string {
    return this.lookup('list', field);
  }
}

/** Negation of a condition whose NULL means false. */
const not = (c: string): string => `(NOT ifNull(${c}, 0))`;

/** The single value of a Sigma field: its own column when promoted, else the value array's (NULL when absent). */
export function fieldValue(field: string): string {
  return printFieldValue(field);
}

/** A plain decimal, the texts JS Number() and toFloat64OrNull read alike. */
const DECIMAL = '^-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?$';

/**
 * A test on the number JS Number() reads from a value (eql/values.ts toNumber), as the DuckDB
 * printer's: plain decimals are read, any other text with a digit or "Infinity" passes when
 * `positive` (the rule's evaluator decides) and fails under a `not`. Both branches of if() are
 * evaluated on every row: the number is read with the OrNull form, never throwing.
 */
function jsNumber(test: (n: string) => string, positive: boolean): ValueTest {
  return (x) => `if(${chMatch(x, DECIMAL)}, ${test(`toFloat64OrNull(${x})`)}, ${positive ? chMatch(x, '[0-9]|Infinity') : '0'})`;
}

function doubleSql(n: number): string {
  return `toFloat64(${chString(String(n))})`;
}

/** JS Number() of a trimmed value, finite only (leaves.ts toNumber). */
function numberSql(x: string): string {
  return `arrayFilter(n -> isFinite(n), [toFloat64OrNull(${trimmed(x)})])[1]`;
}

const PART_FUNCTION: Record<string, string> = { minute: 'toMinute', hour: 'toHour', day: 'toDayOfMonth', month: 'toMonth', year: 'toYear', week: 'toISOWeek' };

function timePartSql(x: string, part: string): string {
  const fn = PART_FUNCTION[part] ?? fail('timePart', `time part ${part}`);
  return `${fn}(parseDateTimeBestEffortOrNull(${trimmed(x)}))`;
}

