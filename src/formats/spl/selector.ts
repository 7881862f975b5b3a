/**
 * Event selectors: conditions on where events come from (index, source, sourcetype, eventtype,
 * tstats' data-model nodename; Channel or host when they sit beside them, as in the
 * `wineventlog_security` macro). In Sigma these live
 * in `logsource`, not in the detection; top-level AND-ed selector conditions are split off so
 * that the detection holds only what the rule looks for.
 */
import { walkPredicates, type Detection } from '../../model/index.js';

export const SELECTOR_FIELDS: ReadonlySet<string> = new Set(['index', 'source', 'sourcetype', 'eventtype', 'nodename']);
const SELECTOR_COMPANIONS: ReadonlySet<string> = new Set(['Channel', 'host']);

export function isSelector(d: Detection): boolean {
  let any = false;
  let only = true;
  walkPredicates(d, (p) => {
    const f = p.field ?? '';
    if (SELECTOR_FIELDS.has(f)) any = true;
    else if (!SELECTOR_COMPANIONS.has(f)) only = false;
  });
  return any && only;
}

/** Splits the top-level AND into (selector conditions, the rest). */
export function splitSelector(d: Detection): { selector?: Detection; rest?: Detection } {
  const items = d.kind === 'and' ? d.children : [d];
  const sel = items.filter(isSelector);
  const rest = items.filter((c) => !isSelector(c));
  const mk = (xs: Detection[]): Detection | undefined => (xs.length === 0 ? undefined : xs.length === 1 ? xs[0] : { kind: 'and', children: xs });
  return { selector: mk(sel), rest: mk(rest) };
}
