import type { Detection, Loss, Rule } from '../model/index.js';
import { ruleTree } from '../model/index.js';

/**
 * Every condition of a rule's raw query that its predicate tree does not hold exactly: the parser's
 * `Rule.losses`, plus whatever the tree or `extra.unlowered` shows that no loss names (an unknown
 * node, a constant standing for a condition). A rule with any is `partial`, never `parsed`.
 */
export function ruleLosses(rule: Rule): Loss[] {
  const out: Loss[] = [...(rule.losses ?? [])];
  const named = new Set(out.map((l) => l.text));
  // a loss may quote the authored query where the tree quotes the macro-expanded one: the
  // extra.unlowered entry at the loss's offset links the two
  const offsets = new Set(out.map((l) => l.offset));
  const unlowered = Array.isArray(rule.extra.unlowered) ? (rule.extra.unlowered as Array<{ text?: unknown; what?: unknown; offset?: unknown }>) : [];
  for (const u of unlowered) if (typeof u.text === 'string' && offsets.has(u.offset as number)) named.add(u.text);
  const tree = ruleTree(rule);
  if (tree) {
    for (const n of oddNodes(tree)) {
      if (n.kind === 'unknown') {
        if (named.has(n.text)) continue;
        named.add(n.text);
        out.push({ text: n.text, reason: 'unknown', detail: `not lowered: ${n.reason}` });
      } else {
        out.push({ text: String(n.value), reason: 'constant', detail: `a condition reduced to the constant ${n.value}` });
      }
    }
  }
  for (const u of unlowered) {
    const text = typeof u.text === 'string' ? u.text : typeof u.what === 'string' ? u.what : JSON.stringify(u);
    if (named.has(text) || offsets.has(u.offset as number)) continue;
    named.add(text);
    out.push({ text, reason: 'unlowered', ...(typeof u.offset === 'number' ? { offset: u.offset } : {}), detail: typeof u.what === 'string' ? u.what : undefined });
  }
  return out;
}

/** Unknown and constant nodes of a tree, in walk order. */
export function oddNodes(d: Detection): Array<Extract<Detection, { kind: 'unknown' | 'const' }>> {
  switch (d.kind) {
    case 'unknown':
    case 'const':
      return [d];
    case 'and':
    case 'or':
      return d.children.flatMap(oddNodes);
    case 'not':
      return oddNodes(d.child);
    default:
      return [];
  }
}
