/** The ATT&CK knowledge base: import, history, lookups and reports. */
export { importAttack, type AttackProblem, type Summary, type ReleaseSummary } from './import.js';
export { techniqueStatus, type TechniqueStatus } from './status.js';
export { loadKnowledgeBase, KnowledgeBase, NoReleaseError, type AObj, type ARel } from './kb.js';
export { resolveInKb, resolveViaOtherReleases, explainMiss, type Resolved } from './resolve.js';
export { buildShow, type ShowReport } from './show.js';
export { historyReport, type HistoryReport } from './history-report.js';
export { renderShow, renderHistory } from './render.js';
export { loadCatalog, EMPTY_CATALOG, type Catalog, type CatalogRule } from './catalog-join.js';
export { eventCategoryOf, eventIdsOf, LOG_SOURCE_TABLE } from './log-source-map.js';
export { releasesInOrder } from './history.js';
