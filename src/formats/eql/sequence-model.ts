/**
 * The model's Sequence (src/model/sequence.ts) for an EQL sequence or sample: each bracketed query
 * becomes a stage with its own lowered filter (from lowerEql), its join keys (with `?` optional
 * keys), its runs and missing flag; maxspan and until are kept. Python EQL `join` has no place in
 * the model (no order, no window): it stays undefined and the caller keeps the `or` tree.
 */
import type { Detection, JoinKey, Sequence, SequenceStage } from '../../model/index.js';
import type { EqlQuery, Expr, SequenceItem } from './ast.js';
import type { EqlLowering, SequenceItemInfo } from './lower.js';

export function sequenceModel(q: EqlQuery, l: EqlLowering): Sequence | undefined {
  const body = q.body;
  if ((body.type !== 'sequence' && body.type !== 'sample') || !l.sequence || l.detection.kind !== 'or') return undefined;
  const children = l.detection.children;
  // A field key is its name (without `?`); a computed key its source text.
  const key = (e: Expr): JoinKey => ({ text: e.type === 'field' ? e.name : textOf(q.source, e), optional: e.type === 'field' && e.optional });
  const stage = (it: SequenceItem, info: SequenceItemInfo): SequenceStage | undefined => {
    const d = children[info.index];
    if (!d) return undefined;
    // lowerEql wraps missing-event and until stages in `not`: the stage's own filter is the child.
    const detection: Detection = (it.missing || info === l.sequence?.until) && d.kind === 'not' ? d.child : d;
    return {
      category: it.query.category,
      detection,
      by: it.by.map(key),
      missing: it.missing,
      ...(it.runs !== undefined ? { runs: it.runs } : {}),
      text: textOf(q.source, it.query),
    };
  };
  const stages: SequenceStage[] = [];
  for (let i = 0; i < body.items.length; i++) {
    const s = stage(body.items[i], l.sequence.items[i]);
    if (!s) return undefined;
    stages.push(s);
  }
  const out: Sequence = { kind: body.type, by: body.by.map(key), stages };
  if (body.type === 'sequence') {
    if (body.maxspan) {
      out.maxspan = body.maxspan.text;
      if (body.maxspan.ms !== undefined) out.maxspanMs = body.maxspan.ms;
    }
    if (body.until && l.sequence.until) {
      const u = stage(body.until, l.sequence.until);
      if (u) out.until = u;
    }
  }
  return out;
}

function textOf(source: string, node: { span: { offset: number; end: number } }): string {
  return source.slice(node.span.offset, node.span.end).replace(/\s+/g, ' ').trim();
}
