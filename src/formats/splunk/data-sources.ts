/**
 * security_content data sources (data_sources/*.yml), keyed by the name detections cite in
 * `data_source`: where the events come from (source, sourcetype), their fields, and the
 * field_mappings onto CIM data sets (a cross-check for the taxonomy's crosswalk).
 */
import type { Problem } from '../../model/index.js';
import { loadYamlFolder } from './yaml-folder.js';

export interface SplunkFieldMapping {
  dataModel: string;
  dataSet: string;
  /** Raw field -> data-model field. */
  mapping: Record<string, string>;
}

export interface SplunkDataSource {
  id: string;
  name: string;
  source?: string;
  sourcetype?: string;
  /** The field that tells event kinds apart (EventID, EventCode...). */
  separator?: string;
  fields: string[];
  fieldMappings: SplunkFieldMapping[];
  file: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

export function loadSplunkDataSources(dir: string): { dataSources: Map<string, SplunkDataSource>; problems: Problem[] } {
  const dataSources = new Map<string, SplunkDataSource>();
  const { files, problems } = loadYamlFolder(dir);
  for (const { file, doc } of files) {
    const name = str(doc.name);
    if (!name) {
      problems.push({ file, reason: 'data-source-invalid', message: 'data source without a name' });
      continue;
    }
    const mappings = Array.isArray(doc.field_mappings) ? doc.field_mappings : [];
    dataSources.set(name, {
      id: str(doc.id) ?? name,
      name,
      source: str(doc.source),
      sourcetype: str(doc.sourcetype),
      separator: str(doc.separator),
      fields: Array.isArray(doc.fields) ? doc.fields.map(String) : [],
      fieldMappings: mappings
        .filter((m): m is Record<string, unknown> => !!m && typeof m === 'object')
        .map((m) => ({
          dataModel: str(m.data_model) ?? '',
          dataSet: str(m.data_set) ?? '',
          mapping: Object.fromEntries(Object.entries((m.mapping ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)])),
        })),
      file,
    });
  }
  return { dataSources, problems };
}
