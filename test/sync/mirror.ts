import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative, resolve, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { walkFiles } from '../../src/util/walk-files.js';
import { tarGz, type WriteEntry } from './tar-writer.js';

/**
 * A mirror of ../shared laid out like the upstream locations (see src/sync/sources.ts), with small
 * subsets of each corpus so that a sync runs in seconds: the first `perVendor` rule files of each
 * vendor (sorted by path), Splunk's macros, and the ATT&CK bundles named.
 */
export interface Mirror {
  root: string;
  sigmaTag: string;
  /** Rule files in the sigma archive, relative to the archive's top folder. */
  sigmaFiles: Map<string, string>;
  /** Rewrites the Sigma release: new tag, given files, optional published asset digest. */
  publishSigma(tag: string, files: Map<string, string>, asset?: { sha256: string; size: number }): Buffer;
}

const put = (path: string, data: Buffer | string): void => {
  mkdirSync(resolve(path, '..'), { recursive: true });
  writeFileSync(path, data);
};

function pick(dir: string, exts: string[], n: number): Map<string, string> {
  const files = walkFiles(dir, (name) => exts.some((e) => name.endsWith(e)), () => {}).slice(0, n);
  return new Map(files.map((f) => [relative(dir, f).split(sep).join('/'), readFileSync(f, 'utf8')]));
}

const entries = (top: string, files: Map<string, string>): WriteEntry[] => [...files].map(([name, data]) => ({ name: `${top}/${name}`, data }));

export function buildMirror(shared: string, root: string, perVendor: number, attackVersions: string[]): Mirror {
  const gh = join(root, 'github.com');
  const api = join(root, 'api.github.com', 'repos');
  const sigmaRules = pick(join(shared, 'corpora/sigma/rules'), ['.yml'], perVendor);
  const sigmaFiles = new Map([...sigmaRules].map(([k, v]) => [`rules/${k}`, v]));
  const mirror: Mirror = {
    root,
    sigmaTag: 'r2026-01-01',
    sigmaFiles,
    publishSigma(tag, files, asset) {
      const archive = tarGz(entries(`sigma-${tag}`, files));
      put(join(gh, 'SigmaHQ/sigma/archive/refs/tags', `${tag}.tar.gz`), archive);
      const assets = asset ? [{ name: `${tag}.tar.gz`, size: asset.size, digest: `sha256:${asset.sha256}` }] : [];
      put(join(api, 'SigmaHQ/sigma/releases/latest'), JSON.stringify({ tag_name: tag, assets }));
      mirror.sigmaTag = tag;
      return archive;
    },
  };
  mirror.publishSigma(mirror.sigmaTag, sigmaFiles);

  const elastic = pick(join(shared, 'corpora/elastic/rules'), ['.toml'], perVendor);
  put(join(gh, 'elastic/detection-rules/archive/refs/heads/main.tar.gz'),
    tarGz(entries('detection-rules-main', new Map([...elastic].map(([k, v]) => [`rules/${k}`, v])))));

  const splunk = pick(join(shared, 'corpora/splunk/detections'), ['.yml'], perVendor);
  const macros = pick(join(shared, 'corpora/splunk/macros'), ['.yml'], 10_000);
  const splunkFiles = new Map([...[...splunk].map(([k, v]) => [`detections/${k}`, v] as const), ...[...macros].map(([k, v]) => [`macros/${k}`, v] as const)]);
  put(join(gh, 'splunk/security_content/archive/refs/tags/v5.0.0.tar.gz'), tarGz(entries('security_content-5.0.0', splunkFiles)));
  put(join(api, 'splunk/security_content/releases/latest'), JSON.stringify({ tag_name: 'v5.0.0', assets: [] }));

  const raw = join(root, 'raw.githubusercontent.com/mitre-attack/attack-stix-data/master');
  const versions = attackVersions.map((v) => {
    const bundle = gunzipSync(readFileSync(join(shared, 'attack', `enterprise-attack-${v}.json.gz`)));
    put(join(raw, 'enterprise-attack', `enterprise-attack-${v}.json`), bundle);
    return {
      version: v,
      url: `https://raw.githubusercontent.com/mitre-attack/attack-stix-data/master/enterprise-attack/enterprise-attack-${v}.json`,
      modified: '2025-01-01T00:00:00.000Z',
      sha256: createHash('sha256').update(bundle).digest('hex'),
    };
  });
  put(join(raw, 'index.json'), JSON.stringify({ id: 'test', name: 'MITRE ATT&CK', collections: [{ id: 'x', name: 'Enterprise ATT&CK', versions }] }));
  return mirror;
}

/** How the test server misbehaves for URLs ending with `path`. */
export interface Fault {
  path: string;
  /** Send the headers (full Content-Length) and half the body, then destroy the socket. */
  drop?: boolean;
}

/** Serves a mirror folder over HTTP on 127.0.0.1 (with optional faults); returns its base URL. */
export async function serveMirror(root: string, faults: Fault[]): Promise<{ url: string; server: Server; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    const file = resolve(root, `.${path}`);
    let body: Buffer;
    try {
      if (!file.startsWith(root + sep)) throw new Error('outside');
      body = readFileSync(file);
    } catch {
      res.writeHead(404).end('not found');
      return;
    }
    const fault = faults.find((f) => path.endsWith(f.path));
    res.writeHead(200, { 'content-length': String(body.length), 'content-type': 'application/octet-stream' });
    if (fault?.drop) {
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
      return;
    }
    res.end(body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, requests };
}
