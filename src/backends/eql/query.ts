import type { Detection } from '../../model/index.js';
import type { SequenceInfo, SequenceItemInfo } from '../../formats/eql/lower.js';
import { fail } from '../elastic/print-error.js';
import { printEqlEvent } from './print.js';
import type { EqlPrintOptions } from './print.js';

/**
 * A whole EQL query: an event query, or a sequence / sample / join rebuilt from the stage subtrees
 * (the `or` children of the detection) and the structure the lowering kept (SequenceInfo: keys,
 * maxspan, missing stages, until, runs).
 */
export function printEqlQuery(detection: Detection, sequence?: SequenceInfo, opts: EqlPrintOptions = {}): string {
  if (!sequence) return printEqlEvent(detection, opts);
  if (detection.kind !== 'or') return fail('sequence', 'a sequence whose tree is not an or of its stages');
  const stage = (it: SequenceItemInfo): string => {
    let d = detection.children[it.index] ?? fail('sequence', `no subtree for stage ${it.index}`);
    const negated = it.missing || it === sequence.until;
    if (negated) d = d.kind === 'not' ? d.child : fail('sequence', 'a missing stage that is not negated');
    const by = it.by.length ? ` by ${it.by.join(', ')}` : '';
    const runs = it.runs !== undefined ? ` with runs=${it.runs}` : '';
    return `${it.missing ? '!' : ''}[${printEqlEvent(d, opts)}]${by}${runs}`;
  };
  const head: string[] = [sequence.kind];
  if (sequence.by.length) head.push(`by ${sequence.by.join(', ')}`);
  if (sequence.maxspan) head.push(`with maxspan=${sequence.maxspan}`);
  const lines = [head.join(' '), ...sequence.items.map((it) => `  ${stage(it)}`)];
  if (sequence.until) lines.push(`until ${stage(sequence.until)}`);
  return lines.join('\n');
}
