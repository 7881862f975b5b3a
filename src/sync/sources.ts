import { pathToFileURL } from 'node:url';
import { DownloadError } from './download.js';
import { resolve, sep } from 'node:path';

/**
 * Where each corpus comes from, and the mirror layout.
 *
 * Upstream (what `detectory sync` reads without --from):
 *   sigma    https://api.github.com/repos/SigmaHQ/sigma/releases/latest          (GitHub release JSON: tag_name, assets)
 *            https://github.com/SigmaHQ/sigma/archive/refs/tags/{tag_name}.tar.gz  (the release's source archive)
 *   splunk   https://api.github.com/repos/splunk/security_content/releases/latest
 *            https://github.com/splunk/security_content/archive/refs/tags/{tag_name}.tar.gz
 *   elastic  https://github.com/elastic/detection-rules/archive/refs/heads/main.tar.gz
 *            (detection-rules publishes no GitHub releases: its rules are released from branches; main is the newest)
 *   attack   https://raw.githubusercontent.com/mitre-attack/attack-stix-data/master/index.json
 *            (collection index: collections[name="Enterprise ATT&CK"].versions[] = {version, url, modified}); each url
 *            is a STIX bundle, https://raw.githubusercontent.com/mitre-attack/attack-stix-data/master/enterprise-attack/enterprise-attack-{version}.json
 *
 * Mirror (--from BASE, BASE an http(s) URL or a folder): every upstream URL `https://HOST/PATH` is read from
 * `BASE/HOST/PATH`, including the bundle URLs listed inside index.json. So a mirror is the upstream
 * files saved under their host name:
 *   BASE/api.github.com/repos/SigmaHQ/sigma/releases/latest
 *   BASE/github.com/SigmaHQ/sigma/archive/refs/tags/{tag}.tar.gz
 *   BASE/api.github.com/repos/splunk/security_content/releases/latest
 *   BASE/github.com/splunk/security_content/archive/refs/tags/{tag}.tar.gz
 *   BASE/github.com/elastic/detection-rules/archive/refs/heads/main.tar.gz
 *   BASE/raw.githubusercontent.com/mitre-attack/attack-stix-data/master/index.json
 *   BASE/raw.githubusercontent.com/mitre-attack/attack-stix-data/master/enterprise-attack/enterprise-attack-{version}.json
 *
 * Verification. GitHub publishes no checksum for source archives; what is checked is the byte count
 * against Content-Length, gzip's CRC-32 and length trailer, each tar header's checksum and the tar
 * end-of-archive marker. When the release JSON lists an asset named like the archive file
 * ("{tag}.tar.gz") with a `digest` ("sha256:...") and `size` (GitHub computes both for uploaded assets),
 * those are checked too. MITRE's index.json lists version, url and modified; an entry's optional
 * `sha256` and `size` (a mirror may add them) are checked when present, and every bundle must be a STIX
 * bundle whose x-mitre-collection names the version the index promised.
 */
export type RuleVendor = 'sigma' | 'elastic' | 'splunk';
export type SourceName = RuleVendor | 'attack';
export const SOURCE_NAMES: readonly SourceName[] = ['sigma', 'elastic', 'splunk', 'attack'];

export interface RuleSource {
  vendor: RuleVendor;
  /** GitHub release JSON of the newest release, when the archive is a release's. */
  releaseUrl?: string;
  /** Archive URL; `{tag}` is replaced by the release's tag_name. */
  archiveUrl: string;
  /** Folders of the archive (below its top folder) kept in the cache. */
  keep: readonly string[];
  /** Folders of the cache given to the catalog build. */
  catalogDirs: readonly string[];
}

export const RULE_SOURCES: Record<RuleVendor, RuleSource> = {
  sigma: {
    vendor: 'sigma',
    releaseUrl: 'https://api.github.com/repos/SigmaHQ/sigma/releases/latest',
    archiveUrl: 'https://github.com/SigmaHQ/sigma/archive/refs/tags/{tag}.tar.gz',
    keep: ['rules', 'rules-emerging-threats', 'rules-threat-hunting', 'LICENSE'],
    catalogDirs: ['rules', 'rules-emerging-threats', 'rules-threat-hunting'],
  },
  elastic: {
    vendor: 'elastic',
    archiveUrl: 'https://github.com/elastic/detection-rules/archive/refs/heads/main.tar.gz',
    keep: ['rules', 'rules_building_block', 'LICENSE.txt', 'NOTICE.txt'],
    catalogDirs: ['rules', 'rules_building_block'],
  },
  splunk: {
    vendor: 'splunk',
    releaseUrl: 'https://api.github.com/repos/splunk/security_content/releases/latest',
    archiveUrl: 'https://github.com/splunk/security_content/archive/refs/tags/{tag}.tar.gz',
    keep: ['detections', 'macros', 'LICENSE'],
    catalogDirs: ['.'],
  },
};

export const ATTACK_INDEX_URL = 'https://raw.githubusercontent.com/mitre-attack/attack-stix-data/master/index.json';
export const ATTACK_COLLECTION = 'Enterprise ATT&CK';

/** Maps an upstream https URL onto the mirror given by --from (see the layout above). */
export function mirrored(url: string, from: string | undefined): string {
  if (!from) return url;
  const u = new URL(url);
  const rest = `${u.host}${u.pathname}${u.search}`;
  if (/^https?:\/\//i.test(from)) return `${from.replace(/\/+$/, '')}/${rest}`;
  const root = resolve(from);
  const path = resolve(root, decodeURIComponent(rest));
  if (!path.startsWith(root + sep)) throw new DownloadError(`${url}: leaves the mirror folder`);
  return pathToFileURL(path).href;
}
