/** Sets event.category / type / action / outcome from a categorization table entry. */
import type { EcsDoc } from './doc.js';
import { setPath } from './doc.js';
import type { EventClass } from './sysmon-table.js';

export function applyClass(doc: EcsDoc, c: EventClass | undefined): void {
  if (!c) return;
  setPath(doc, 'event.category', c.category ? [...c.category] : undefined);
  setPath(doc, 'event.type', c.type ? [...c.type] : undefined);
  setPath(doc, 'event.action', typeof c.action === 'string' ? c.action : [...c.action]);
  setPath(doc, 'event.outcome', c.outcome);
}
