/** Splunk security_content detections -> the one model. */
export { loadSplunkMacros, macroOf, type LoadedMacros } from './macros.js';
export { loadSplunkStories, type SplunkStory } from './stories.js';
export { loadSplunkDataSources, type SplunkDataSource, type SplunkFieldMapping } from './data-sources.js';
export { parseSplunkFile, parseSplunkText, normalizeTechnique, type ParsedSplunk } from './rule.js';
export { analyzeSearch, type AnalyzedSearch, type PredicateOriginAt, type QueryProblem } from './analyze-search.js';
export { deriveLogSource } from './logsource.js';
export { DATAMODEL_LOGSOURCE, SELECTOR_LOGSOURCE, SYSMON_EVENT_CATEGORY, DATA_SOURCE_LOGSOURCE } from './logsource-map.js';
export { levelOfScore, riskScore, RISK_SCORE_LEVELS } from './level.js';
export { walkSplunkDetections } from './walk.js';
export { parseSplunkCorpus, type SplunkCorpus } from './corpus.js';
