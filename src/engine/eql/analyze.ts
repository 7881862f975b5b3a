/**
 * Analysis: the parsed EQL query (formats/eql) becomes a QueryPlan, or one error with its position.
 * Checks the Elasticsearch dialect: Python EQL's join, pipes other than head/tail, lineage, array
 * indexing and the Endgame functions are rejected with a reason (the `endgame` dialect keeps
 * `filter` and Python EQL's case-insensitive equality, for its conformance suite).
 */
import type { EqlQuery, EventQuery, Expr, Pipe, SequenceItem } from '../../formats/eql/ast.js';
import { parse } from '../../formats/eql/parser.js';
import { compileCondition, compileValue } from './compile-expr.js';
import type { Dialect } from './compile-expr.js';
import { AnalysisFailure, errorFromFailure } from './errors.js';
import type { EqlError } from './errors.js';
import type { PipePlan, QueryPlan, StagePlan } from './plan.js';

export interface AnalyzeOptions {
  dialect?: Dialect['name'];
  /** See Dialect.caseInsensitive. */
  caseInsensitive?: boolean;
}

export type AnalyzeResult = { ok: true; plan: QueryPlan } | { ok: false; error: EqlError };

export const MAX_RUNS = 100;

/** Parses and analyzes a query text. */
export function compileEql(text: string, options: AnalyzeOptions = {}): AnalyzeResult {
  const parsed = parse(text);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  return analyze(parsed.value, options);
}

export function analyze(q: EqlQuery, options: AnalyzeOptions = {}): AnalyzeResult {
  try {
    return { ok: true, plan: new Analyzer(q.source, { name: options.dialect ?? 'elasticsearch', caseInsensitive: options.caseInsensitive }).query(q) };
  } catch (e) {
    if (e instanceof AnalysisFailure) return { ok: false, error: errorFromFailure(q.source, e) };
    if (e instanceof RangeError) return { ok: false, error: { message: `query too deeply nested (${e.message})`, line: 1, column: 1, offset: 0 } };
    throw e;
  }
}

class Analyzer {
  constructor(private readonly source: string, private readonly dialect: Dialect) {}

  query(q: EqlQuery): QueryPlan {
    const body = q.body;
    if (body.type === 'join') throw new AnalysisFailure(body.span, "'join' is a Python EQL (Endgame) query, not in the Elasticsearch dialect: use 'sample'");
    const multi = body.type !== 'event';
    const pipes = q.pipes.map((p) => this.pipe(p, multi));
    if (body.type === 'event') return { kind: 'event', stage: this.stage(body, [], [], false), pipes };
    // A sequence needs two stages, counted after `with runs=N` (a single repeated query is one).
    if (body.items.length < 1) throw new AnalysisFailure(body.span, `a ${body.type} needs at least one bracketed query`);
    const stages: StagePlan[] = [];
    let keyCount: number | undefined;
    for (const it of body.items) {
      const st = this.item(it, body.by);
      if (keyCount !== undefined && st.keys.length !== keyCount) {
        throw new AnalysisFailure(it.span, `every query of the ${body.type} must have the same number of join keys: this one has ${st.keys.length}, the first ${keyCount}`);
      }
      keyCount = st.keys.length;
      if (it.runs !== undefined) {
        if (it.missing) throw new AnalysisFailure(it.span, "'with runs' cannot repeat a missing-event query ![...]");
        if (it.runs < 1 || it.runs > MAX_RUNS) throw new AnalysisFailure(it.span, `runs must be between 1 and ${MAX_RUNS}, found ${it.runs}`);
        for (let i = 0; i < it.runs; i++) stages.push(st);
      } else stages.push(st);
    }
    if (stages.every((s) => s.missing)) throw new AnalysisFailure(body.span, `a ${body.type} needs at least one query that is not a missing event`);
    if (body.type === 'sample') {
      if (body.items.some((i) => i.missing)) throw new AnalysisFailure(body.span, 'missing events ![...] exist only in sequences');
      return { kind: 'sample', stages, pipes };
    }
    if (stages.length < 2) throw new AnalysisFailure(body.span, 'a sequence needs at least 2 queries (or one repeated with runs=N)');
    let until: StagePlan | undefined;
    if (body.until) {
      if (body.until.missing) throw new AnalysisFailure(body.until.span, "'until' cannot be a missing event");
      until = this.item(body.until, body.by);
      if (until.keys.length !== keyCount) throw new AnalysisFailure(body.until.span, `the until query must have the same number of join keys as the sequence (${keyCount}), found ${until.keys.length}`);
    }
    let maxspanMs: number | undefined;
    if (body.maxspan) {
      if (body.maxspan.ms === undefined || !(body.maxspan.ms > 0)) throw new AnalysisFailure(body.span, `maxspan must be a positive time span, found ${body.maxspan.text}`);
      maxspanMs = body.maxspan.ms;
    }
    return { kind: 'sequence', stages, ...(maxspanMs !== undefined ? { maxspanMs } : {}), ...(until ? { until } : {}), pipes };
  }

  private item(it: SequenceItem, shared: Expr[]): StagePlan {
    if (it.params && Object.keys(it.params).length) {
      throw new AnalysisFailure(it.span, `query options (${Object.keys(it.params).join(', ')}) are Python EQL (Endgame), not in the Elasticsearch dialect`);
    }
    return this.stage(it.query, shared, it.by, it.missing);
  }

  private stage(q: EventQuery, shared: Expr[], own: Expr[], missing: boolean): StagePlan {
    const keyExprs = [...shared, ...own];
    for (const k of keyExprs) {
      if (k.type !== 'field' && this.dialect.name !== 'endgame') throw new AnalysisFailure(k.span, `join keys must be fields in the Elasticsearch dialect, found ${this.text(k)}`);
    }
    return {
      category: q.category.toLowerCase() === 'any' ? null : q.category,
      filter: compileCondition(q.condition, this.dialect),
      keys: keyExprs.map((k) => compileValue(k, this.dialect)),
      optional: keyExprs.map((k) => k.type === 'field' && k.optional),
      missing,
      text: this.source.slice(q.span.offset, q.span.end),
    };
  }

  private pipe(p: Pipe, multi: boolean): PipePlan {
    if (p.name === 'head' || p.name === 'tail') {
      const a = p.args[0];
      if (p.args.length === 0) return { kind: p.name, n: 10 };
      if (p.args.length !== 1 || a.type !== 'literal' || typeof a.value !== 'number' || !Number.isInteger(a.value) || a.value < 0) {
        throw new AnalysisFailure(p.span, `'${p.name}' takes one whole number`);
      }
      return { kind: p.name, n: a.value };
    }
    if (p.name === 'filter' && this.dialect.name === 'endgame') {
      if (multi) throw new AnalysisFailure(p.span, "'filter' on the events of a sequence (events[N]) is Python EQL (Endgame), not supported");
      if (p.args.length !== 1) throw new AnalysisFailure(p.span, "'filter' takes one condition");
      return { kind: 'filter', test: compileCondition(p.args[0], this.dialect) };
    }
    const endgame = ['filter', 'unique', 'unique_count', 'count', 'sort', 'window'].includes(p.name);
    throw new AnalysisFailure(p.span, endgame ? `the pipe '${p.name}' is Python EQL (Endgame), not in the Elasticsearch dialect (only head and tail)` : `unknown pipe '${p.name}' (the Elasticsearch dialect has head and tail)`);
  }

  private text(e: Expr): string {
    return this.source.slice(e.span.offset, e.span.end);
  }
}
