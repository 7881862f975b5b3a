import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { requireShared } from '../helpers/shared.js';
import { CIM_FIELDS, ECS_FIELDS, WINDOWS_RAW_FIELDS, lookupField } from '../../src/taxonomy/index.js';

/** ECS-table names that are Elastic integration fields rather than ECS proper. */
const NOT_ECS = /^(powershell\.|winlog\.|process\.Ext\.|file\.Ext\.)/;

test('every ECS field of the crosswalk exists in ecs_flat.yml', (t) => {
  const shared = requireShared(t, 'the ECS schema');
  if (!shared) return;
  const text = readFileSync(join(shared, 'schemas/ecs/ecs_flat.yml'), 'utf8');
  const names = new Set([...text.matchAll(/^([^\s:'][^:]*|'[^']+'):\s*$/gm)].map((m) => m[1].replace(/'/g, '')));
  assert.ok(names.size > 1000, `ecs_flat.yml read (${names.size} fields)`);
  const missing = ECS_FIELDS.filter((f) => !NOT_ECS.test(f.vendor) && !names.has(f.vendor)).map((f) => f.vendor);
  assert.deepEqual(missing, []);
});

function ossemFields(dir: string): Set<string> {
  const out = new Set<string>();
  const walk = (d: string): void => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n.endsWith('.yml')) for (const m of readFileSync(p, 'utf8').matchAll(/^\s+name:\s*(\S+)\s*$/gm)) out.add(m[1]);
    }
  };
  walk(dir);
  return out;
}

/** Canonical names that are Sigma taxonomy names for non-Windows-event sources or event metadata. */
const NOT_IN_OSSEM = new Set(['EventID', 'Channel', 'Provider_Name', 'Computer', 'c-uri', 'c-uri-stem', 'c-uri-query', 'c-useragent', 'cs-method', 'sc-status', 'cs-referrer', 'ImagePath', 'ServiceName', 'Payload', 'LogonType', 'SourceHostname', 'ObjectName', 'Message',
  // PowerShell 4104 (the OSSEM dictionary has 400/403/600 only) and Sigma file_rename
  'ScriptBlockText', 'ScriptBlockId', 'SourceFilename']);

test('raw Windows names and Sigma-style canonical targets exist in the OSSEM dictionaries', (t) => {
  const shared = requireShared(t, 'the OSSEM dictionaries');
  if (!shared) return;
  const names = ossemFields(join(shared, 'schemas/ossem/windows'));
  assert.ok(names.has('NewProcessName') && names.has('Image'));
  const rawMissing = WINDOWS_RAW_FIELDS.filter((f) => !['Process_Command_Line', 'EventCode', 'TargetFileName', 'Message', 'ObjectName', 'ScriptBlockText'].includes(f.vendor) && !names.has(f.vendor)).map((f) => f.vendor);
  assert.deepEqual(rawMissing, []);
  const targets = new Set([...ECS_FIELDS, ...CIM_FIELDS, ...WINDOWS_RAW_FIELDS].map((f) => f.canonical).filter((c) => /^[A-Z]/.test(c)));
  const missing = [...targets].filter((c) => !names.has(c) && !NOT_IN_OSSEM.has(c));
  assert.deepEqual(missing, []);
});

/**
 * Splunk's data_sources map Sigma / raw fields onto CIM fields. Where they disagree with the crosswalk,
 * the reason is written here.
 */
const ACCEPTED_DISAGREEMENTS: Record<string, string> = {
  'Computer=Processes.dest': 'CIM dest is the host: canonical host.name (Sigma has no host field in its taxonomy)',
  'Computer=Filesystem.dest': 'same',
  'Computer=Registry.dest': 'same',
  'ScriptBlockText=Processes.process': 'Splunk reuses Processes.process for script blocks; in the crosswalk Processes.process is CommandLine',
  'Path=Processes.process_path': 'PowerShell script path reused as process path by Splunk',
  'ScriptBlockId=Processes.process_id': 'Splunk reuse of process_id',
  'UserID=Processes.user_id': 'Splunk reuse of user_id',
  'SubjectUserSid=Processes.user': 'SID vs account name: both land on User in Splunk, the raw field stays SubjectUserSid',
  'UserSid=Processes.user': 'CrowdStrike field, same as above',
  'ImageFileName=Processes.process_path': 'CrowdStrike raw field, not in the crosswalk',
  'ParentBaseFileName=Processes.parent_process_name': 'CrowdStrike raw field, not in the crosswalk',
  'RawProcessId=Processes.process_id': 'CrowdStrike raw field',
  'SHA256HashData=Processes.process_hash': 'CrowdStrike raw field',
  'ProcessId=Processes.parent_process_id': 'in Security 4688 ProcessId is the parent (creator) process id',
};

test('crosswalk agrees with the Splunk data_sources CIM field mappings', (t) => {
  const shared = requireShared(t, 'the Splunk data sources');
  if (!shared) return;
  const dir = join(shared, 'corpora/splunk/data_sources');
  let agree = 0;
  const disagree: string[] = [];
  for (const n of readdirSync(dir)) {
    const doc = parse(readFileSync(join(dir, n), 'utf8')) as { field_mappings?: Array<{ data_model?: string; mapping?: Record<string, string> }> };
    for (const fm of doc?.field_mappings ?? []) {
      if (fm.data_model !== 'cim' || !fm.mapping) continue;
      for (const [from, to] of Object.entries(fm.mapping)) {
        const sigmaField = from.split('|')[0];
        const expected = lookupField('splunk', sigmaField).field;
        const got = lookupField('splunk', to).field;
        if (expected === got) agree++;
        else if (!ACCEPTED_DISAGREEMENTS[`${sigmaField}=${to}`]) disagree.push(`${n}: ${from} -> ${to}: crosswalk says ${got}`);
      }
    }
  }
  assert.deepEqual(disagree, []);
  assert.ok(agree >= 20, `${agree} mappings agree`);
});
