/**
 * Elastic rules on the scan's event stream: EQL rules (event queries, sequences, samples) run in the
 * EQL engine on the query text, KQL and Lucene rules as their lowered tree (detection-eval.ts), both
 * on the event's ECS document and only on the events their index patterns and OS tags let them see.
 * Threshold and new_terms rules filter with their query tree, then aggregate over the timeline
 * (aggregate.ts). Everything else (ES|QL, machine learning, threat match...) is skipped with a
 * reason. A rule that fails at run time is reported once and stops; the scan goes on.
 *
 * Rules are stateless (an event query or a KQL/Lucene filter: each event on its own) or stateful
 * (sequences, samples, head/tail pipes, threshold and new_terms: they need the whole stream in
 * order). `local` runs the stateless ones on any thread and returns the event when a stateful rule
 * must see it; `ordered` runs the stateful ones on those events, in stream order, on one thread.
 * A scan with worker threads thus runs every thread's share locally and the stateful part on the
 * main thread, and gives the alerts of a one-thread scan, in the same order.
 */
import type { EventRecord } from '../../events/types.js';
import type { Detection, Problem, Rule } from '../../model/index.js';
import { ruleTree, walkPredicates } from '../../model/index.js';
import type { Alert } from '../alert.js';
import { alertRuleHead, LEVEL_ORDER } from '../alert.js';
import { analyze } from '../eql/analyze.js';
import type { EcsDoc } from '../eql/ecs-source.js';
import { timestampMs, toEcs } from '../eql/ecs-source.js';
import { ecsNeeds, recordIndex } from '../../events/ecs/index.js';
import { DECIDED_FIELDS, recordClass } from '../../events/ecs/event-class.js';
import type { RecordClass } from '../../events/ecs/event-class.js';
import type { EcsNeeds } from '../../events/ecs/index.js';
import { formatEqlError } from '../eql/errors.js';
import { EqlExecutor } from '../eql/execute.js';
import type { EqlEvent, EqlMatch } from '../eql/plan.js';
import { first, sharedFieldReader } from '../eql/values.js';
import type { Value } from '../eql/values.js';
import { aggregatorFor } from './aggregate.js';
import type { AggAlertPart, Aggregator } from './aggregate.js';
import { ruleQuery } from '../cache/parsed-queries.js';
import { parse as parseEql } from '../../formats/eql/parser.js';
import type { EqlQuery, EventQuery } from '../../formats/eql/ast.js';
import { Unsupported, compileDetection } from './detection-eval.js';
import type { DocTest } from './detection-eval.js';
import { docIndex, eventScope, hostOs, inScope } from './index-patterns.js';
import type { EventScope } from './index-patterns.js';
import { detectionGate, detectionNeeds, eqlGate, eqlNeeds, pickNeed } from './required-values.js';
import type { Gate, Required } from './required-values.js';
import { classPossible, refutableFilters } from './class-gate.js';
import { RuleIndex } from './rule-index.js';
import { FieldSet, ORDERED_FIELDS } from './needed-fields.js';
import { cutDoc, docCut } from './ordered-doc.js';
import type { DocCut } from './ordered-doc.js';

interface ElasticEvent extends EqlEvent {
  rec: OrderedEvent['rec'];
}

interface Runnable {
  rule: Rule;
  scope: EventScope;
  /** Fields shown in `matched` (the positive predicates): per event of a match (one list per positive stage). */
  shown: string[][];
  eql?: EqlExecutor<ElasticEvent>;
  /** Required equalities, one of which an event must meet to concern the rule; undefined: every event. */
  required?: Required[];
  /**
   * Per filter (an EQL query's every stage, missing ones and `until` included), its gate: the AND /
   * OR tree of needs that hold when it does (required-values.ts): an event failing every filter's
   * never concerns the rule. Kept: the needs on fields a class of Windows events decides
   * (refutableFilters). Undefined: none (every event may concern the rule).
   */
  filters?: ReadonlyArray<Gate | undefined>;
  test?: DocTest;
  /** Threshold and new_terms rules: the events passing `test` go to the aggregation. */
  agg?: Aggregator;
  /** Needs the ordered stream (see the file comment). */
  stateful: boolean;
  /** A stateful rule's fields (what `ordered` reads of a document for it, alerts included). */
  fields?: FieldSet;
  failed?: boolean;
}

/** An event a stateful rule must see (structured-cloned from a worker): its document, source and the stateful rules it meets. */
export interface OrderedEvent {
  doc: EcsDoc;
  ts: number;
  rec: Pick<EventRecord, 'file' | 'recordId' | 'timestamp'>;
  /** Indexes of the stateful rules in scope whose filter (or one of whose EQL stages) the document meets, ascending. */
  rules: number[];
}

export interface SkippedRule {
  rule: Rule;
  reason: string;
  message: string;
}

export interface RunnerOptions {
  /** false: every rule sees every event in its scope (no dispatch on required values; for tests). */
  index?: boolean;
  /**
   * `local` returns only the part of a Windows event's document the stateful rules read (a scan with
   * worker threads: a worker's events are cloned to the main thread, and every thread's are held
   * until their task's turn; see ordered-doc.ts).
   */
  cutOrdered?: boolean;
}

const SKIP_TYPES: Record<string, [string, string]> = {
  esql: ['esql', 'ES|QL rules are not run (their aggregations need the whole index)'],
  machine_learning: ['machine-learning', 'machine-learning rules need an anomaly job'],
  threat_match: ['threat-match', 'indicator-match rules need a threat index'],
};

/** Indexes, and OSes per index, whose rule scopes are kept. */
const MAX_SCOPE_INDEXES = 1024;
const MAX_SCOPE_OSES = 64;
/** Distinct scopes (sets of rules shown) with their own rule index; events of others use the index of every rule. */
const MAX_SCOPE_INDEXES_BUILT = 16;
/** Classes of Windows events (channel and code) given their own dispatch, and distinct rule indexes built for them. */
const MAX_CLASSES = 4096;
const MAX_CLASS_INDEXES = 256;
/** Class numbers (RecordClass.id) answered from an array; a higher one (classes are made once each: many inputs) is not gated. */
const MAX_CLASS_ID = 1 << 16;
/** No candidate rule (shared: most events have none). */
const NO_RULES: readonly number[] = [];

/** RuleIndex.candidates of a prepared event; a document toEcs built from a Windows event has no dotted top-level key. */
function candidatesOf(p: PreparedEvent): readonly number[] {
  return p.index.candidates(p.doc, p.windows && !p.rec.ecs);
}

/** Sets of stateful rules with their own document cut (see ElasticRunner.cuts). */
const MAX_CUTS = 4096;

/** An event `prepare`d for its rules: its document, the rules its index and OS see, and the index of its candidates. */
export interface PreparedEvent {
  rec: EventRecord;
  doc: Record<string, unknown>;
  visible: Uint8Array;
  index: RuleIndex;
  /** A Windows event (its document built here, not an ECS input's). */
  windows: boolean;
}

export class ElasticRunner {
  readonly loaded: Rule[] = [];
  readonly skipped: SkippedRule[] = [];
  private readonly runnables: Runnable[] = [];
  /** Every rule's filing (index.add's arguments), to build the index of each scope. */
  private readonly filings: Array<Required[] | undefined> = [];
  /** Every rule filed; used when a scope's own index was not kept. */
  private readonly index = new RuleIndex();
  /** Per scope (the flags of `visible`): an index of the rules it shows only (fewer fields read, fewer candidates). */
  private readonly scopeIndexes = new WeakMap<Uint8Array, RuleIndex>();
  /** The same by the rules shown (several index and OS pairs often show the same rules). */
  private readonly scopeIndexesByRules = new Map<string, RuleIndex>();
  /** Per class of Windows events (see classIndex); null: no rule can concern its events. */
  private readonly classIndexes: Array<RuleIndex | null | undefined> = [];
  private readonly classIndexesByRules = new Map<string, RuleIndex>();
  private classesSeen = 0;
  private readonly useIndex: boolean;
  private seq = 0;
  /** Per index: does a rule see Windows events of it (else their ECS document is not even built). */
  private readonly indexSeen = new Map<string, boolean>();
  private readonly scopes = new Map<string | undefined, Map<string | undefined, Uint8Array>>();
  /** Where alerts go: the constructor's sink, or the one `local` is given while it runs. */
  private sink: (a: Alert) => void;
  /** The fields the loaded rules (and this runner) read: events' documents are built with these only. */
  private readonly fieldSet = new FieldSet();
  /** What toEcs builds of each event (from fieldSet, once every rule is prepared). */
  readonly needs: EcsNeeds;
  /** The fields the stateful rules read (what `ordered` needs of a document). */
  private readonly statefulFields = new FieldSet();
  /** With options.cutOrdered: the part of documents `local` returns for `ordered`, per every stateful rule. */
  private readonly orderedCut?: DocCut;
  private readonly cutOrdered: boolean;
  /**
   * Per set of stateful rules an event meets (their indexes, joined): the cut of their own fields
   * (null: one of them may read any field, the document goes whole). An event meets a few of the
   * stateful rules, which read far fewer fields than all of them together: a smaller cut is cheaper
   * to make, to clone to the main thread, to hold and to rebuild there.
   */
  private readonly cuts = new Map<string, DocCut | null>();

  /**
   * `minLevel`: alerts below this level (LEVEL_ORDER) are not emitted. It may be set after the
   * runner is built, before its first event (a scan worker builds its runner before it knows it).
   */
  constructor(rules: Rule[], private readonly onAlert: (a: Alert) => void, private readonly onProblem: (p: Problem) => void, public minLevel?: number, options: RunnerOptions = {}) {
    this.useIndex = options.index !== false;
    this.sink = onAlert;
    for (const rule of rules) this.prepare(rule);
    this.needs = ecsNeeds(this.fieldSet.all ? undefined : this.fieldSet.fields);
    this.cutOrdered = options.cutOrdered === true;
    if (this.cutOrdered && !this.statefulFields.all) this.orderedCut = docCut(this.statefulFields.fields);
  }

  /** Notes the fields a loaded rule reads (all rules: fieldSet; stateful ones: statefulFields too). */
  private noteFields(r: Runnable, eqlTree?: unknown): void {
    if (r.stateful) r.fields = new FieldSet(ORDERED_FIELDS);
    for (const set of r.fields ? [this.fieldSet, this.statefulFields, r.fields] : [this.fieldSet]) {
      for (const list of r.shown) for (const f of list) set.add(f);
      if (r.eql) {
        if (eqlTree === undefined) set.all = true;
        else set.addEqlTree(eqlTree);
      } else {
        set.addDetection(r.rule.detection);
        if (r.agg) set.addAggregation(r.rule);
      }
    }
  }

  /** The fields the loaded rules and the runner read (undefined: any field); `needs` is built from them. */
  get neededFields(): ReadonlySet<string> | undefined {
    return this.fieldSet.all ? undefined : this.fieldSet.fields;
  }

  get size(): number {
    return this.runnables.length;
  }

  private prepare(rule: Rule): void {
    const skip = (reason: string, message: string): void => {
      this.skipped.push({ rule, reason, message });
    };
    const typeSkip = SKIP_TYPES[rule.type];
    if (typeSkip) return skip(typeSkip[0], typeSkip[1]);
    const aggregated = rule.type === 'threshold' || rule.type === 'new_terms';
    if (rule.type !== 'eql' && rule.type !== 'query' && !aggregated) return skip('rule-type', `rule type '${rule.type}' is not run`);
    if (!rule.query?.trim()) return skip('no-query', 'the rule has no query');
    const scope = eventScope((rule.extra.index as string[] | undefined) ?? [], rule.tags);
    if (rule.language === 'eql') {
      if (rule.extra.filters) return skip('kibana-filters', 'EQL rule with Kibana filters: the filters are not run with the query');
      // Parsed once: the plan, the required values and the fields read all come from this tree.
      const parsed = ruleQuery(rule, parseEql);
      const compiled = parsed.ok ? analyze(parsed.value) : parsed;
      if (!compiled.ok) return skip('eql-unsupported', `query ${formatEqlError(compiled.error)}`);
      const stateful = compiled.plan.kind !== 'event' || compiled.plan.pipes.some((p) => p.kind !== 'filter');
      // Shown fields after the analysis: it bounds `with runs=N`, by which they are listed.
      const query = parsed.ok ? parsed.value : undefined;
      const r: Runnable = { rule, scope, shown: shownFields(rule), stateful, required: eqlStagesRequired(query), filters: query && eqlFilters(query).map(eqlGate) };
      r.eql = new EqlExecutor<ElasticEvent>(compiled.plan, (m) => this.emit(r, m));
      this.add(r);
      this.noteFields(r, parsed.ok ? parsed.value : undefined);
      return;
    }
    const shown = shownFields(rule);
    if (rule.language !== 'kuery' && rule.language !== 'lucene') return skip('language', `query language '${rule.language}' is not run`);
    if (!rule.detection) return skip('no-predicates', 'the query yielded no condition');
    try {
      const needs = detectionNeeds(rule.detection);
      const r: Runnable = { rule, scope, shown, stateful: aggregated, test: compileDetection(rule.detection), required: pickNeed(needs), filters: [detectionGate(rule.detection)] };
      if (aggregated) {
        const a = aggregatorFor(rule, (ev, part) => this.emit(r, { events: [ev as ElasticEvent] }, part));
        if (!a.ok) return skip(a.reason, a.message);
        r.agg = a.agg;
      }
      this.add(r);
      this.noteFields(r);
    } catch (e) {
      if (e instanceof Unsupported) return skip('unsupported-condition', e.message);
      throw e;
    }
  }

  private add(r: Runnable): void {
    // Only the needs a class can rule out are kept (each class tests every rule's).
    r.filters = refutableFilters(r.filters, DECIDED_FIELDS);
    const i = this.runnables.length;
    this.runnables.push(r);
    this.loaded.push(r.rule);
    const required = this.useIndex ? r.required : undefined;
    this.filings.push(required);
    this.index.add(i, required);
  }

  /** The index of the rules a scope shows (built at its first event; the scopes of an input are few). */
  private indexOf(visible: Uint8Array, kept: boolean): RuleIndex {
    if (!kept) return this.index;
    let index = this.scopeIndexes.get(visible);
    if (!index) {
      const rules = visible.join('');
      index = this.scopeIndexesByRules.get(rules);
      if (!index) {
        if (this.scopeIndexesByRules.size >= MAX_SCOPE_INDEXES_BUILT) index = this.index;
        else {
          index = new RuleIndex();
          for (let i = 0; i < this.filings.length; i++) if (visible[i]) index.add(i, this.filings[i]);
          this.scopeIndexesByRules.set(rules, index);
        }
      }
      this.scopeIndexes.set(visible, index);
    }
    return index;
  }

  /** One event of the stream (in order), every rule on this thread. */
  push(rec: EventRecord): void {
    const o = this.local(rec, this.onAlert);
    if (o) this.ordered(o);
  }

  /**
   * The stateless rules on one event, their alerts to `sink`; returns the event when a stateful rule
   * must see it (hand it to `ordered`, in stream order), else undefined. `held`: the event is
   * kept or cloned before `ordered` sees it (options.cutOrdered then cuts its document); false: it
   * goes to `ordered` at once, whole (nothing is gained by cutting it).
   */
  local(rec: EventRecord, sink: (a: Alert) => void, held = true): OrderedEvent | undefined {
    const p = this.prepareEvent(rec);
    if (!p) return undefined;
    return this.run(p, candidatesOf(p), sink, held);
  }

  /**
   * The first part of `local`: the event's document and the index its candidates come from
   * (undefined: no rule can concern the event). A scan prepares a batch of events, then takes their
   * candidates, then runs them (`run`, in stream order): each part over consecutive events.
   */
  prepareEvent(rec: EventRecord): PreparedEvent | undefined {
    if (this.runnables.length === 0) return undefined;
    // A Windows event's index is told by its channel (recordIndex: the name docIndex reads from the
    // document toEcs builds), before the document is built and without a string per event.
    const recIndex = recordIndex(rec);
    if (recIndex !== undefined && !this.seen(recIndex)) return undefined;
    // A Windows event's class (channel and code) decides some fields (event.category...): only the
    // rules whose filters they allow are dispatched, and none at all skips the document.
    const cls = recIndex !== undefined && this.useIndex ? recordClass(rec) : undefined;
    const byClass = cls !== undefined ? this.classIndex(cls, recIndex!) : undefined;
    if (byClass === null) return undefined;
    const doc = toEcs(rec, this.needs, cls);
    const visible = this.visible(recIndex ?? docIndex(doc), hostOs(doc));
    const index = byClass ?? this.indexOf(visible, this.visibleKept);
    return { rec, doc, visible, index, windows: recIndex !== undefined };
  }

  /** The candidate rules of a prepared event (a scan takes a whole batch's lists before it runs them). */
  candidatesOf(p: PreparedEvent | undefined): readonly number[] {
    return p ? candidatesOf(p) : NO_RULES;
  }

  /**
   * The rest of `local`: the rules among `candidates` (the prepared index's, for its document) on
   * the event, alerts to `sink`; returns the event when a stateful rule must see it.
   */
  run(p: PreparedEvent, candidates: readonly number[], sink: (a: Alert) => void, held = true): OrderedEvent | undefined {
    const { rec, doc, visible } = p;
    let ev: ElasticEvent | undefined;
    let later: number[] | undefined;
    this.sink = sink;
    try {
      for (const i of candidates) {
        const r = this.runnables[i];
        if (r.failed || visible[i] === 0) continue;
        ev ??= { doc, ts: timestampMs(doc), seq: this.seq++, rec };
        try {
          if (r.stateful) {
            // Only events that meet the rule's filter (a stage of an EQL query) go on to the ordered part.
            if (r.agg ? r.test?.(doc) : r.eql?.concerns(ev)) (later ??= []).push(i);
          } else if (r.eql) r.eql.push(ev);
          else if (r.test?.(doc)) this.emit(r, { events: [ev] });
        } catch (e) {
          this.fail(r, e);
        }
      }
    } finally {
      this.sink = this.onAlert;
    }
    if (!later) return undefined;
    // Documents built here from Windows events (not ECS input) may be cut to what `ordered` reads.
    const cut = held && this.cutOrdered && !rec.ecs && p.windows ? this.cutFor(later) : undefined;
    const out = cut ? cutDoc(doc, cut) : doc;
    return { doc: out, ts: ev!.ts, rec: { file: rec.file, recordId: rec.recordId, timestamp: rec.timestamp }, rules: later };
  }

  /** The cut keeping what the stateful rules `rules` read (undefined: the whole document). */
  private cutFor(rules: number[]): DocCut | undefined {
    const key = rules.length === 1 ? String(rules[0]) : rules.join(',');
    let cut = this.cuts.get(key);
    if (cut === undefined) {
      // Beyond the bound (sets are few in practice), the cut of every stateful rule: a superset.
      if (this.cuts.size >= MAX_CUTS) return this.orderedCut;
      const fields = new Set<string>();
      for (const i of rules) {
        const f = this.runnables[i].fields;
        if (!f || f.all) {
          cut = null;
          break;
        }
        for (const name of f.fields) fields.add(name);
      }
      if (cut === undefined) cut = docCut(fields);
      this.cuts.set(key, cut);
    }
    return cut ?? undefined;
  }

  /**
   * The index of the rules a class of Windows events may concern (visible to its index and allowed
   * by the class's fields: classPossible), null when there is none (the event is skipped), or
   * undefined beyond the bounds (the scope's index is used).
   */
  private classIndex(cls: RecordClass, recIndex: string): RuleIndex | null | undefined {
    if (cls.id >= MAX_CLASS_ID) return undefined;
    const index = this.classIndexes[cls.id];
    return index !== undefined ? index : this.newClassIndex(cls, recIndex);
  }

  /**
   * classIndex for a class not met before (its own method: the per-event lookup above stays small
   * for the optimizing compiler, and a new class's work does not invalidate its compiled code).
   */
  private newClassIndex(cls: RecordClass, recIndex: string): RuleIndex | null | undefined {
    let index: RuleIndex | null | undefined;
    if (this.classesSeen >= MAX_CLASSES) return undefined;
    this.classesSeen++;
    const visible = this.visible(recIndex, 'windows');
    const rules: number[] = [];
    for (let i = 0; i < this.runnables.length; i++) if (visible[i] && classPossible(this.runnables[i].filters, cls.fields)) rules.push(i);
    if (rules.length === 0) index = null;
    else {
      const key = rules.join(',');
      index = this.classIndexesByRules.get(key);
      if (!index) {
        if (this.classIndexesByRules.size >= MAX_CLASS_INDEXES) return undefined;
        index = new RuleIndex();
        for (const i of rules) index.add(i, this.filings[i]);
        this.classIndexesByRules.set(key, index);
      }
    }
    while (this.classIndexes.length < cls.id) this.classIndexes.push(undefined);
    this.classIndexes[cls.id] = index;
    return index;
  }

  /** Was the last answer of `visible` kept (beyond the bounds it is computed per event)? */
  private visibleKept = false;

  /**
   * Per index and OS: which rules see its events (inScope, answered once per pair; an input has few);
   * whether the answer is kept goes to visibleKept (no pair allocated per event).
   */
  private visible(index: string | undefined, os: string | undefined): Uint8Array {
    let byOs = this.scopes.get(index);
    let kept = true;
    if (!byOs) {
      byOs = new Map();
      if (this.scopes.size < MAX_SCOPE_INDEXES) this.scopes.set(index, byOs);
      else kept = false;
    }
    let flags = byOs.get(os);
    if (!flags) {
      flags = Uint8Array.from(this.runnables, (r) => (inScope(r.scope, os, index) ? 1 : 0));
      if (kept && byOs.size < MAX_SCOPE_OSES) byOs.set(os, flags);
      else kept = false;
    }
    this.visibleKept = kept;
    return flags;
  }

  /** Can a rule see the Windows events of an index (recordIndex: their channel)? Asked before toEcs. */
  private seen(index: string): boolean {
    let ok = this.indexSeen.get(index);
    if (ok === undefined) {
      ok = this.runnables.some((r) => inScope(r.scope, 'windows', index));
      if (this.indexSeen.size < 1024) this.indexSeen.set(index, ok);
    }
    return ok;
  }

  /** The stateful rules on an event `local` returned (on the thread that runs them, in stream order). */
  ordered(o: OrderedEvent): void {
    const ev: ElasticEvent = { doc: o.doc, ts: o.ts, seq: this.seq++, rec: o.rec };
    for (const i of o.rules) {
      const r = this.runnables[i];
      if (!r || r.failed || !r.stateful) continue;
      try {
        if (r.eql) r.eql.push(ev);
        else r.agg?.push(ev); // `local` tested the filter
      } catch (e) {
        this.fail(r, e);
      }
    }
  }

  /** End of the stream: sequences waiting on a trailing missing event, and samples, complete. */
  finish(): void {
    for (const r of this.runnables) {
      if (r.failed || !r.eql) continue;
      try {
        r.eql.finish();
      } catch (e) {
        this.fail(r, e);
      }
    }
  }

  private fail(r: Runnable, e: unknown): void {
    r.failed = true;
    this.onProblem({ file: r.rule.path, reason: 'runtime-error', message: `rule "${r.rule.title}" stopped: ${(e as Error).message}` });
  }

  private emit(r: Runnable, m: EqlMatch<ElasticEvent>, part?: AggAlertPart): void {
    const level = r.rule.level ?? 'medium';
    if (this.minLevel !== undefined && (LEVEL_ORDER[level] ?? 2) < this.minLevel) return;
    const events = m.events.map(eventInfo);
    const matched: Alert['matched'] = {};
    for (const [j, e] of m.events.entries()) {
      for (const f of r.shown[Math.min(j, r.shown.length - 1)] ?? []) {
        if (f in matched) continue;
        const v = readerOf(f)(e.doc);
        if (v !== null) matched[f] = Array.isArray(v) ? v.map(String) : String(first(v));
      }
    }
    const alert: Alert = {
      rule: alertRuleHead(r.rule, 'elastic', true),
      event: events[0],
      techniques: r.rule.techniques,
      matched,
      ...part,
    };
    if (m.events.length > 1 || r.rule.sequence) alert.events = events;
    this.sink(alert);
  }
}

/** Per event of a match, the fields the positive predicates read (ECS names): one list per positive stage. */
function shownFields(rule: Rule): string[][] {
  if (!rule.sequence) return [fieldsOf(ruleTree(rule))];
  return rule.sequence.stages.filter((s) => !s.missing).flatMap((s) => Array.from({ length: s.runs ?? 1 }, () => fieldsOf(s.detection)));
}

function fieldsOf(tree: Detection | undefined): string[] {
  const out = new Set<string>();
  if (tree) {
    walkPredicates(tree, (p, _path, negated) => {
      const f = (p.authoredField ?? p.field)?.replace(/^\?/, '');
      if (!negated && f && f !== 'event.category' && f !== 'host.os.type' && out.size < 12) out.add(f);
    });
  }
  return [...out];
}

/** Readers of the dotted fields alerts show (a few hundred names, read on every alert). */
const readers = new Map<string, (d: EcsDoc) => Value>();
function readerOf(field: string): (d: EcsDoc) => Value {
  let r = readers.get(field);
  if (!r) {
    r = sharedFieldReader(field.split('.'));
    if (readers.size < 10_000) readers.set(field, r);
  }
  return r;
}

function eventInfo(e: ElasticEvent): Alert['event'] {
  const doc: EcsDoc = e.doc;
  const s = (path: string): string | null => {
    const v = first(readerOf(path)(doc));
    return v === null ? null : String(v);
  };
  const code = s('event.code') ?? s('winlog.event_id');
  return {
    file: e.rec.file,
    record_id: e.rec.recordId ?? null,
    timestamp: e.rec.timestamp ?? s('@timestamp'),
    computer: s('host.name') ?? s('winlog.computer_name'),
    channel: s('winlog.channel'),
    event_id: code !== null && /^\d+$/.test(code) ? Number(code) : null,
  };
}

/** The filters of an EQL query: the event query, or every stage of a sequence or sample (missing ones and `until` included). */
function eqlFilters(query: EqlQuery): EventQuery[] {
  const body = query.body;
  return body.type === 'event' ? [body] : [...body.items.map((it) => it.query), ...('until' in body && body.until ? [body.until.query] : [])];
}

/**
 * One required equality per filter of an EQL query (every stage, missing ones and `until` included:
 * the executor must see their events), or undefined when some filter has none.
 */
function eqlStagesRequired(query: EqlQuery | undefined): Required[] | undefined {
  if (!query) return undefined;
  const out: Required[] = [];
  for (const q of eqlFilters(query)) {
    const need = pickNeed(eqlNeeds(q));
    if (!need) return undefined;
    out.push(...need);
  }
  return out;
}
