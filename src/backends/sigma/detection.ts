/**
 * A model tree as a Sigma `detection` section: search identifiers and the condition combining them.
 * A group of plain items under an `and` (distinct keys) is one map; an `or` of such groups is one
 * list of maps; everything else is combined in the condition with and / or / not and parentheses
 * (Sigma's precedence: or, and, not, loosest first). Constants are folded away first (`x and true`
 * is `x`); a tree that folds to a constant, and an unknown node, cannot be written (SigmaPrintError).
 */
import type { Detection, Predicate } from '../../model/index.js';
import { foldConstants } from '../../model/fold.js';
import { sigmaFail } from './errors.js';
import { sigmaItem, type SigmaItem, type YamlScalar } from './item.js';

export interface SigmaDetection {
  /** Search identifiers in order, then `condition`. */
  section: Record<string, unknown>;
}

type FieldItem = Extract<SigmaItem, { kind: 'field' }>;
type YamlMap = Record<string, YamlScalar | YamlScalar[]>;
/** An expression of the condition with its precedence: 0 or, 1 and, 2 not / identifier. */
type Expr = { text: string; prec: number };

export function sigmaDetection(tree: Detection): SigmaDetection {
  const folded = foldConstants(tree);
  if (folded.kind === 'const') return sigmaFail('const', `the condition is always ${folded.value}: Sigma has no constant`);
  const searches: Record<string, unknown> = {};
  let n = 0;
  const name = (body: unknown): string => {
    const id = `sel${++n}`;
    searches[id] = body;
    return id;
  };
  const condition = new Writer(name).expr(folded).text;
  return { section: { ...searches, condition } };
}

class Writer {
  constructor(private readonly name: (body: unknown) => string) {}

  expr(d: Detection): Expr {
    switch (d.kind) {
      case 'pred': {
        const it = sigmaItem(d);
        if (it.kind === 'keywords') return { text: this.name(it.values), prec: 2 };
        const id = this.name({ [it.key]: it.value });
        return it.negated ? { text: `not ${id}`, prec: 2 } : { text: id, prec: 2 };
      }
      case 'and': {
        const maps = this.maps(d.children);
        const parts: Expr[] = maps.grouped.map((m) => ({ text: this.name(m), prec: 2 }));
        parts.push(...maps.rest.map((c) => this.expr(c)));
        return join(parts, 'and', 1);
      }
      case 'or': {
        const groups = d.children.map((c) => this.plainGroup(c));
        if (groups.every((g) => g !== undefined) && groups.length > 1) return { text: this.name(groups), prec: 2 };
        return join(d.children.map((c) => this.expr(c)), 'or', 0);
      }
      case 'not': {
        const inner = this.expr(d.child);
        return { text: `not ${inner.prec < 2 ? `(${inner.text})` : inner.text}`, prec: 2 };
      }
      case 'const':
        return sigmaFail('const', 'a constant inside the condition');
      case 'unknown':
        return sigmaFail('unknown', `a condition that was never read (${d.reason}): ${d.text.slice(0, 200)}`);
      case 'computed':
        return sigmaFail('computed', 'a test of a computed value (Sigma tests event fields only)');
    }
  }

  /** The children of an `and` that form maps (plain, positive field items; keys distinct per map). */
  private maps(children: Detection[]): { grouped: YamlMap[]; rest: Detection[] } {
    const grouped: YamlMap[] = [];
    const rest: Detection[] = [];
    for (const c of children) {
      const it = c.kind === 'pred' ? plainItem(c) : undefined;
      if (!it) {
        rest.push(c);
        continue;
      }
      const free = grouped.find((m) => !(it.key in m));
      if (free) free[it.key] = it.value;
      else grouped.push({ [it.key]: it.value });
    }
    return { grouped, rest };
  }

  /** A predicate or an `and` of predicates that is one map (the element of a list of maps). */
  private plainGroup(d: Detection): YamlMap | undefined {
    const kids = d.kind === 'and' ? d.children : [d];
    const m: YamlMap = {};
    for (const c of kids) {
      const it = c.kind === 'pred' ? plainItem(c) : undefined;
      if (!it || it.key in m) return undefined;
      m[it.key] = it.value;
    }
    return m;
  }
}

function plainItem(p: Predicate): FieldItem | undefined {
  const it = sigmaItem(p);
  return it.kind === 'field' && !it.negated ? it : undefined;
}

function join(parts: Expr[], op: 'and' | 'or', prec: number): Expr {
  if (parts.length === 1) return parts[0];
  return { text: parts.map((p) => (p.prec < prec ? `(${p.text})` : p.text)).join(` ${op} `), prec };
}
