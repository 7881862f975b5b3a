import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { releaseFromFileName, type FileSpec } from './release.js';

/** One STIX object as read from a bundle (untrusted: only `type` and `id` are checked). */
export type StixObject = Record<string, unknown> & { type: string; id: string };

export interface Bundle {
  path: string;
  release: string;
  /** Where the release name came from. */
  releaseSource: 'collection' | 'file-name' | 'argument';
  domain: string;
  bundleId: string;
  specVersion: string;
  objects: StixObject[];
  /** Objects dropped because they had no string type/id, or repeated an id (reported, not imported). */
  skipped: Array<{ index: number; reason: string }>;
  bytes: number;
}

/** A bundle that cannot be read at all; `unreadable` is true for I/O errors (exit 3), false for bad content. */
export class BundleError extends Error {
  constructor(readonly path: string, message: string, readonly unreadable = false) {
    super(`${path}: ${message}`);
  }
}

const MAX_BYTES = 1 << 30;

export async function readBundle(spec: FileSpec): Promise<Bundle> {
  let raw: Buffer;
  try {
    raw = await readFile(spec.path);
  } catch (e) {
    throw new BundleError(spec.path, `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, true);
  }
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      raw = gunzipSync(raw, { maxOutputLength: MAX_BYTES });
    } catch (e) {
      throw new BundleError(spec.path, `not a readable gzip file (${(e as Error).message})`);
    }
  }
  let doc: unknown;
  try {
    doc = JSON.parse(raw.toString('utf8'));
  } catch (e) {
    throw new BundleError(spec.path, `not valid JSON (${(e as Error).message}); truncated or not a STIX bundle`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new BundleError(spec.path, 'not a STIX bundle (expected a JSON object)');
  const b = doc as Record<string, unknown>;
  if (b.type !== 'bundle' || !Array.isArray(b.objects)) {
    throw new BundleError(spec.path, `not a STIX bundle (type is ${JSON.stringify(b.type ?? null)}, expected "bundle" with an "objects" array)`);
  }
  const objects: StixObject[] = [];
  const skipped: Bundle['skipped'] = [];
  const seen = new Set<string>();
  (b.objects as unknown[]).forEach((o, index) => {
    if (!o || typeof o !== 'object' || Array.isArray(o)) return void skipped.push({ index, reason: 'not a JSON object' });
    const obj = o as Record<string, unknown>;
    if (typeof obj.type !== 'string' || typeof obj.id !== 'string' || !obj.type || !obj.id) {
      return void skipped.push({ index, reason: 'object without a string "type" and "id"' });
    }
    if (seen.has(obj.id)) return void skipped.push({ index, reason: `repeats id ${obj.id}` });
    seen.add(obj.id);
    objects.push(obj as StixObject);
  });

  const named = nameRelease(spec, objects);
  return {
    path: spec.path,
    ...named,
    bundleId: typeof b.id === 'string' ? b.id : '',
    specVersion: typeof b.spec_version === 'string' ? b.spec_version : specOfObjects(objects),
    objects,
    skipped,
    bytes: raw.length,
  };
}

function nameRelease(spec: FileSpec, objects: StixObject[]): Pick<Bundle, 'release' | 'releaseSource' | 'domain'> {
  const fromFile = releaseFromFileName(spec.path);
  const domain = fromFile?.domain ?? majorityDomain(objects) ?? 'enterprise-attack';
  const collection = objects.find((o) => o.type === 'x-mitre-collection');
  const colVersion = collection && typeof collection.x_mitre_version === 'string' ? collection.x_mitre_version.trim() : '';
  if (colVersion && /^[A-Za-z0-9._-]{1,32}$/.test(colVersion)) return { release: colVersion, releaseSource: 'collection', domain };
  if (fromFile) return { release: fromFile.release, releaseSource: 'file-name', domain };
  if (spec.release) return { release: spec.release, releaseSource: 'argument', domain };
  throw new BundleError(spec.path, 'cannot tell which ATT&CK release this is: no x-mitre-collection in the bundle; name the file enterprise-attack-X.Y.json or pass FILE@RELEASE');
}

function majorityDomain(objects: StixObject[]): string | undefined {
  const counts = new Map<string, number>();
  for (const o of objects) {
    const d = o.x_mitre_domains;
    if (Array.isArray(d)) for (const x of d) if (typeof x === 'string') counts.set(x, (counts.get(x) ?? 0) + 1);
  }
  let best: string | undefined;
  let n = 0;
  for (const [k, v] of counts) if (v > n) [best, n] = [k, v];
  return best;
}

function specOfObjects(objects: StixObject[]): string {
  return objects.some((o) => o.spec_version === '2.1') ? '2.1' : '2.0';
}
