/**
 * Record plans: the fields of a record read straight from its template instance's values. Records
 * of one template with the same value types walk the same tree to the same names (flat.ts); only
 * the values differ. So the first such record is walked once more with a Marker in place of each
 * value, which tells, for every name, the substitution (or the template's literal text) its value
 * comes from; the next records of that template and types take their values from that list without
 * walking the tree (the walk was a third of decoding a record).
 *
 * A plan is used only for records whose types are the plan's, value for value, with no null value
 * where a type is given (attributes with no value are dropped, which changes the names), and whose
 * BinXml values each hold one instance of the plan's nested template (a record's EventData usually
 * is one: see Shape). Templates where a value is more than one substitution (text joined from
 * several, a <Data Name> taken from a value), that hold array values, other BinXml content, or a
 * template instance of their own, are never planned: they keep the walk. flat.test.ts checks plans
 * against rendering on every shared sample record.
 */
import { type Fields, fieldValue, finishFlat, type FieldValue } from '../normalize.js';
import type { Layout } from '../field-layout.js';
import type { FlatRecord } from './flat.js';
import type { XInstance, XNode } from './nodes.js';
import type { RenderState } from './render.js';
import { filetimeFull } from './time.js';
import { T_ARRAY, T_BINXML } from './values.js';

/** Where a value stands in the tracing walk's output: value `index` of the record's instance `inst` (see Shape). */
export class Marker {
  constructor(
    readonly inst: number,
    readonly index: number,
  ) {}

  /** Text joined from a Marker carries MARK: such a value is not one substitution. */
  toString(): string {
    return `${MARK}${this.inst}.${this.index}${MARK}`;
  }
}

const MARK = '\u0000\ufdd0';

/**
 * The template instances of a record: its own (number 0), and the instances nested in its BinXml
 * values (a record's EventData is usually one), numbered in that order, depth first.
 */
interface Shape {
  nodes: XNode[];
  types: number[];
  /** Per value: the shape of the instance its BinXml value holds (only for BinXml values). */
  nested: Array<Shape | undefined>;
}

/** A System value decodeRecord reads: value `index` of instance `inst` (raw), or `value` when inst < 0. */
interface Source {
  inst: number;
  index: number;
  value: unknown;
}

export interface RecordPlan {
  shape: Shape;
  layout: Layout;
  /** Per name slot: the instance and value it comes from, or inst -1 for consts[slot]. */
  insts: Int32Array;
  indexes: Int32Array;
  consts: FieldValue[];
  channel: Source;
  eventId: Source;
  computer: Source;
  recordId: Source;
  dataKeys: number | undefined;
  /** The FILETIME value of TimeCreated/@SystemTime (instance, index), or inst -1. */
  time: Source;
}

interface NoPlan {
  shape: Shape;
  layout: null;
}

/**
 * Plans, and shapes that cannot be planned, per template definition (its decoded nodes) and per the
 * template of the first instance nested in its values: a provider's records share one outer
 * template (System, and its EventData as a BinXml value) whose EventData template differs per event.
 * Both levels are weak: a chunk's templates (decoded per chunk unless shared, see template-cache.ts)
 * take their plans with them when they go.
 */
const plans = new WeakMap<XNode[], ByNested>();

interface ByNested {
  nested: WeakMap<XNode[], Array<RecordPlan | NoPlan>>;
  /** Instances with no nested template. */
  none?: Array<RecordPlan | NoPlan>;
}

/** Shapes kept per pair of templates: records of others keep the walk. */
const MAX_PLANS_PER_TEMPLATE = 8;
/** Instances in one shape: more nesting keeps the walk. */
const MAX_SHAPE_INSTANCES = 8;

/** The plans for this instance's pair of templates (created when `create`). */
function plansFor(inst: XInstance, create: boolean): Array<RecordPlan | NoPlan> | undefined {
  let by = plans.get(inst.nodes);
  if (!by) {
    if (!create) return undefined;
    plans.set(inst.nodes, (by = { nested: new WeakMap() }));
  }
  const t = inst.types;
  let inner: XNode[] | undefined;
  for (let i = 0; i < t.length; i++) {
    if (t[i] === T_BINXML) {
      inner = soleInstance(inst.vals[i])?.nodes;
      break;
    }
  }
  if (!inner) return by.none ?? (create ? (by.none = []) : undefined);
  let list = by.nested.get(inner);
  if (!list && create) by.nested.set(inner, (list = []));
  return list;
}

/** The record's template instance when the record is that instance alone (nearly every record). */
export function recordInstance(nodes: XNode[]): XInstance | undefined {
  if (nodes.length !== 1) return undefined;
  const n = nodes[0];
  return typeof n !== 'string' && n.k === 2 ? n : undefined;
}

/** The only instance a BinXml value holds, if that is all it holds. */
function soleInstance(v: unknown): XInstance | undefined {
  return Array.isArray(v) ? recordInstance(v as XNode[]) : undefined;
}

/**
 * Whether the instance has this shape: same template, same types, a value wherever a type is given,
 * nested instances alike. Pushes the instances onto `out` in shape order.
 */
function fits(shape: Shape, inst: XInstance, out: XInstance[]): boolean {
  if (inst.nodes !== shape.nodes) return false;
  const t = inst.types;
  const types = shape.types;
  if (t.length !== types.length) return false;
  const v = inst.vals;
  for (let i = 0; i < types.length; i++) {
    if (t[i] !== types[i]) return false;
    if (types[i] !== 0 && v[i] === null) return false;
  }
  out.push(inst);
  const nested = shape.nested;
  for (let i = 0; i < nested.length; i++) {
    const s = nested[i];
    if (s === undefined) continue;
    const n = soleInstance(v[i]);
    if (!n || !fits(s, n, out)) return false;
  }
  return true;
}

/** The record's instances in shape order (one list serves: planOf's result is used at once). */
const INSTANCES: XInstance[] = [];

/** The plan for this instance (undefined: none learnt yet, or none possible: walk it); fills INSTANCES. */
export function planOf(inst: XInstance): RecordPlan | undefined {
  const list = plansFor(inst, false);
  if (!list) return undefined;
  for (const p of list) {
    INSTANCES.length = 0;
    if (fits(p.shape, inst, INSTANCES)) return p.layout ? (p as RecordPlan) : undefined;
  }
  return undefined;
}

/** Whether this instance's shape was already noted (planned or not), or its template has all it may keep. */
function noted(inst: XInstance): boolean {
  const list = plansFor(inst, false);
  if (!list) return false;
  if (list.length >= MAX_PLANS_PER_TEMPLATE) return true;
  for (const p of list) if (fits(p.shape, inst, [])) return true;
  return false;
}

/** Records the plan, or that this shape has none. */
export function notePlan(inst: XInstance, shape: Shape | undefined, plan: RecordPlan | null): void {
  if (noted(inst)) return;
  const entry: RecordPlan | NoPlan = plan ?? { shape: shape ?? shapeOf(inst, false)!, layout: null };
  const list = plansFor(inst, true);
  if (!list) return;
  if (plan) planStats.learnt++;
  else planStats.refused++;
  list.push(entry);
}

/**
 * The instance's shape; with `strict`, undefined when it cannot be planned (array values, a null
 * value under a type, a BinXml value other than one instance, too many instances). Without, the
 * shape of its own template and types only (to note that it has no plan).
 */
function shapeOf(inst: XInstance, strict: boolean, count = { n: 0 }): Shape | undefined {
  if (++count.n > MAX_SHAPE_INSTANCES && strict) return undefined;
  const types = Array.from(inst.types);
  const nested: Array<Shape | undefined> = new Array(types.length).fill(undefined);
  if (strict) {
    for (let i = 0; i < types.length; i++) {
      const t = types[i];
      if ((t & T_ARRAY) !== 0 || (t !== 0 && inst.vals[i] === null)) return undefined;
      if (t === T_BINXML) {
        const n = soleInstance(inst.vals[i]);
        const s = n && shapeOf(n, true, count);
        if (!s) return undefined;
        nested[i] = s;
      }
    }
  }
  return { nodes: inst.nodes, types, nested };
}

/**
 * The instance rebuilt with a Marker for each value (nested instances rebuilt too), for a tracing
 * walk, with its shape and the rebuilt instances (whose walk is expected); undefined when the
 * instance cannot be planned or its shape is noted already.
 */
export function tracingInstance(inst: XInstance): { inst: XInstance; shape: Shape; known: Set<XInstance> } | undefined {
  if (noted(inst)) return undefined;
  const shape = shapeOf(inst, true);
  if (!shape) return undefined;
  const known = new Set<XInstance>();
  let next = 0;
  const rebuild = (s: Shape, real: XInstance): XInstance => {
    const no = next++;
    const vals: unknown[] = new Array(s.types.length);
    const fake: XInstance = { k: 2, nodes: s.nodes, vals, types: real.types, offs: real.offs };
    known.add(fake);
    for (let i = 0; i < s.types.length; i++) {
      const n = s.nested[i];
      vals[i] = n ? [rebuild(n, soleInstance(real.vals[i])!)] : new Marker(no, i);
    }
    return fake;
  };
  return { inst: rebuild(shape, inst), shape, known };
}

const carriesMark = (v: unknown): boolean => typeof v === 'string' && v.includes(MARK);

function source(v: unknown): Source | undefined {
  if (v instanceof Marker) return { inst: v.inst, index: v.index, value: undefined };
  if (carriesMark(v) || (v !== null && typeof v === 'object')) return undefined;
  return { inst: -1, index: -1, value: v };
}

/**
 * The plan from a tracing walk: the layout it reached, the value it stored per name slot (a Marker,
 * or the template's own text), the System values and the timestamp's value. Null when a value or
 * name is more than one substitution.
 */
export function planFrom(shape: Shape, layout: Layout, recipes: unknown[], sys: { channel: unknown; eventId: unknown; computer: unknown; recordId: unknown },
  dataKeys: number | undefined, time: Marker | undefined): RecordPlan | null {
  if (recipes.length !== layout.keys.length || layout.keys.some(carriesMark)) return null;
  const insts = new Int32Array(recipes.length);
  const indexes = new Int32Array(recipes.length);
  const consts: FieldValue[] = new Array(recipes.length).fill(null);
  for (let i = 0; i < recipes.length; i++) {
    const s = source(recipes[i]);
    if (!s) return null;
    insts[i] = s.inst;
    indexes[i] = s.index;
    if (s.inst < 0) consts[i] = fieldValue(s.value);
  }
  const channel = source(sys.channel);
  const eventId = source(sys.eventId);
  const computer = source(sys.computer);
  const recordId = source(sys.recordId);
  if (!channel || !eventId || !computer || !recordId) return null;
  const t: Source = time ? { inst: time.inst, index: time.index, value: undefined } : { inst: -1, index: -1, value: undefined };
  return { shape, layout, insts, indexes, consts, channel, eventId, computer, recordId, dataKeys, time: t };
}

/** Records decoded by a plan, and plans noted (learnt, or refused for a template and its types), on this thread. */
export const planStats = { applied: 0, learnt: 0, refused: 0 };

/**
 * Set on a thread that only sends its events on (engine/parallel/decode-worker.ts): records read by a
 * plan keep their values as a list (FlatFields.values) instead of a field map, which the receiver builds.
 */
let valuesOnly = false;

export function setValuesOnly(on: boolean): void {
  valuesOnly = on;
}

/** Values of one record's name slots (one list serves: the layout copies them into the map). */
const VALS: FieldValue[] = [];

const valueOf = (s: Source): unknown => (s.inst >= 0 ? INSTANCES[s.inst].vals[s.index] : s.value);

/** The record's fields by its plan, as the walk would give them (planOf found the plan and filled INSTANCES). */
export function applyPlan(p: RecordPlan, st: RenderState): FlatRecord {
  planStats.applied++;
  const insts = p.insts;
  const indexes = p.indexes;
  for (let i = 0; i < insts.length; i++) {
    const n = insts[i];
    VALS[i] = n >= 0 ? fieldValue(INSTANCES[n].vals[indexes[i]]) : p.consts[i];
  }
  const values = valuesOnly ? VALS.slice(0, insts.length) : undefined;
  const fields = values ? (Object.create(null) as Fields) : p.layout.build(VALS);
  if (p.time.inst >= 0) st.systemTime = filetimeFull(st.buf, INSTANCES[p.time.inst].offs[p.time.index]);
  const flat = finishFlat(fields, p.layout.keys, valueOf(p.channel), valueOf(p.eventId), valueOf(p.computer), p.dataKeys);
  if (values) flat.values = values;
  const rid = valueOf(p.recordId);
  return typeof rid === 'number' ? { flat, recordId: rid } : { flat };
}
