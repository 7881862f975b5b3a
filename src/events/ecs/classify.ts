/** Sets event.category / type / action / outcome from a categorization table entry. */
import type { EcsDoc } from './doc.js';
import { partsOf, setParts } from './doc.js';
import type { EventClass } from './sysmon-table.js';

const CATEGORY = partsOf('event.category');
const TYPE = partsOf('event.type');
const ACTION = partsOf('event.action');
const OUTCOME = partsOf('event.outcome');

export function applyClass(doc: EcsDoc, c: EventClass | undefined): void {
  if (!c) return;
  setParts(doc, CATEGORY, c.category ? [...c.category] : undefined);
  setParts(doc, TYPE, c.type ? [...c.type] : undefined);
  setParts(doc, ACTION, typeof c.action === 'string' ? c.action : [...c.action]);
  setParts(doc, OUTCOME, c.outcome);
}
