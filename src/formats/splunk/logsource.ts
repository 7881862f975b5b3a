/**
 * Derives a Sigma-style log source for a Splunk detection from the tables in logsource-map.ts:
 * data model first (category only, plus the product when every data source that names one agrees), else the
 * event selector (service, product) with the EventCode predicate (category), else data_source names.
 */
import { walkPredicates, type Detection, type LogSource } from '../../model/index.js';
import { DATA_SOURCE_LOGSOURCE, DATAMODEL_LOGSOURCE, SELECTOR_LOGSOURCE, SYSMON_EVENT_CATEGORY, WINDOWS_EVENT_CATEGORY } from './logsource-map.js';

export interface LogSourceInputs {
  datamodels: string[];
  selector?: Detection;
  detection?: Detection;
  dataSources: string[];
}

function merge(target: LogSource, src: LogSource): void {
  if (src.product && !target.product) target.product = src.product;
  if (src.category && !target.category) target.category = src.category;
  if (src.service && !target.service) target.service = src.service;
}

function fromDataSource(name: string): LogSource | undefined {
  for (const r of DATA_SOURCE_LOGSOURCE) {
    const m = r.pattern.exec(name.trim());
    if (!m) continue;
    const ls = { ...r.logsource };
    if (r.sysmonId && m[1]) {
      const cat = SYSMON_EVENT_CATEGORY[Number(m[1])];
      if (cat) ls.category = cat;
    }
    return ls;
  }
  return undefined;
}

/** The single EventCode / EventID value the detection requires, if any (not under a negation). */
function eventCode(d: Detection | undefined): number | undefined {
  if (!d) return undefined;
  const codes = new Set<number>();
  walkPredicates(d, (p, _path, negated) => {
    if (negated || p.op !== 'eq' || !/^(EventCode|EventID)$/i.test(p.field ?? '')) return;
    for (const v of p.values) if (typeof v === 'number' || /^\d+$/.test(String(v))) codes.add(Number(v));
  });
  return codes.size === 1 ? [...codes][0] : undefined;
}

export function deriveLogSource(inp: LogSourceInputs): LogSource {
  const ls: LogSource = {};
  for (const dm of inp.datamodels) {
    const hit = DATAMODEL_LOGSOURCE[dm] ?? DATAMODEL_LOGSOURCE[dm.split('.')[0]];
    if (hit) merge(ls, hit);
  }
  const fromSources = inp.dataSources.map(fromDataSource).filter((x): x is LogSource => x !== undefined);
  if (ls.category) {
    const products = new Set(fromSources.map((s) => s.product).filter((p) => p !== undefined));
    if (products.size === 1) {
      const [p] = [...products];
      if (p) ls.product = p;
    }
    return ls;
  }
  if (inp.selector) {
    const values: string[] = [];
    walkPredicates(inp.selector, (p, _path, negated) => {
      if (!negated) for (const v of p.values) if (typeof v === 'string') values.push(v);
    });
    const hit = SELECTOR_LOGSOURCE.find((r) => values.some((v) => r.pattern.test(v)));
    if (hit) merge(ls, hit.logsource);
  }
  const code = eventCode(inp.detection);
  if (code !== undefined && !ls.category) {
    const cat = ls.service === 'sysmon' ? SYSMON_EVENT_CATEGORY[code] : ls.service ? WINDOWS_EVENT_CATEGORY[ls.service]?.[code] : undefined;
    if (cat) ls.category = cat;
  }
  for (const s of fromSources) merge(ls, s);
  return ls;
}
