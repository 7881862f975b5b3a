/** security_content analytic stories (stories/*.yml), keyed by name as detections cite them in tags.analytic_story. */
import type { Problem } from '../../model/index.js';
import { loadYamlFolder } from './yaml-folder.js';

export interface SplunkStory {
  id: string;
  name: string;
  description?: string;
  narrative?: string;
  references: string[];
  category: string[];
  usecase?: string;
  file: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function loadSplunkStories(dir: string): { stories: Map<string, SplunkStory>; problems: Problem[] } {
  const stories = new Map<string, SplunkStory>();
  const { files, problems } = loadYamlFolder(dir);
  for (const { file, doc } of files) {
    const name = str(doc.name);
    if (!name) {
      problems.push({ file, reason: 'story-invalid', message: 'story without a name' });
      continue;
    }
    const tags = (doc.tags ?? {}) as Record<string, unknown>;
    stories.set(name, {
      id: str(doc.id) ?? name,
      name,
      description: str(doc.description),
      narrative: str(doc.narrative),
      references: strs(doc.references),
      category: strs(tags.category),
      usecase: str(tags.usecase),
      file,
    });
  }
  return { stories, problems };
}
