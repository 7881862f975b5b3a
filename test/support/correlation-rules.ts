/** Correlations of every type written for the shared events (EVTX-ATTACK-SAMPLES, regression data), and those inputs once per content. */
import { join } from 'node:path';
import { listEventFiles } from '../../src/events/read.js';
import { fileHash } from '../../src/store/duckdb/ingest.js';

const base = (name: string, logsource: string, selection: string): string =>
  `title: ${name}\nid: 00000000-0000-4000-9000-${String(name.length).padStart(4, '0')}${Buffer.from(name).toString('hex').slice(0, 8).padEnd(8, '0')}\nname: ${name}\nlogsource: ${logsource}\ndetection:\n  s: ${selection}\n  condition: s\nlevel: low\n`;

export function correlations(securityIds: string[]): string {
  const c = (title: string, body: string): string => `title: ${title}\nlevel: high\ncorrelation:\n${body}`;
  return [
    base('proc', '{product: windows, category: process_creation}', '{Image|contains: "\\\\"}'),
    base('net', '{product: windows, category: network_connection}', '{Initiated: "true"}'),
    base('logon_ok', '{product: windows, service: security}', '{EventID: 4624}'),
    base('logon_fail', '{product: windows, service: security}', '{EventID: 4625}'),
    base('psh', '{product: windows, category: ps_script}', '{ScriptBlockText|contains: "-"}'),
    c('corpus security rules per computer', `  type: event_count\n  rules: [${securityIds.join(', ')}]\n  group-by: [Computer]\n  timespan: 1h\n  condition: {gte: 2}\n  generate: true\n`),
    c('process burst', '  type: event_count\n  rules: [proc]\n  group-by: [Computer, User]\n  timespan: 5m\n  condition: {gte: 5}\n  generate: true\n'),
    c('few failures', '  type: event_count\n  rules: [logon_fail]\n  group-by: [TargetUserName]\n  timespan: 10m\n  condition: {lt: 3}\n'),
    c('many images', '  type: value_count\n  rules: [proc]\n  group-by: [Computer]\n  timespan: 10m\n  condition: {field: Image, gte: 4}\n  generate: true\n'),
    c('spray', '  type: value_count\n  rules: [logon_fail, logon_ok]\n  group-by: [IpAddress]\n  timespan: 1h\n  condition: {field: TargetUserName, gte: 2}\n'),
    c('ports', '  type: value_sum\n  rules: [net]\n  group-by: [Image]\n  timespan: 1h\n  condition: {field: DestinationPort, gt: 1000}\n  generate: true\n'),
    c('low pids', '  type: value_avg\n  rules: [proc]\n  group-by: [Computer]\n  timespan: 1h\n  condition: {field: ProcessId, lt: 3000}\n  generate: true\n'),
    c('rare image', '  type: value_percentile\n  rules: [proc]\n  group-by: [Computer]\n  timespan: 1d\n  condition: {field: Image, lte: 5}\n  generate: true\n'),
    c('process and connection', '  type: temporal\n  rules: [proc, net, psh]\n  group-by: [Computer]\n  timespan: 5m\n  condition: {gte: 2}\n  generate: true\n'),
    c('process then connection', '  type: temporal_ordered\n  rules: [proc, net]\n  group-by: [Image]\n  timespan: 10m\n  generate: true\n'),
    `title: logon then process\nid: 00000000-0000-4000-9000-00000000c0c0\nname: logon_then_process\nlevel: high\ncorrelation:\n  type: temporal_ordered\n  rules: [logon_ok, proc]\n  group-by: [host]\n  aliases:\n    host:\n      logon_ok: Computer\n      proc: Computer\n  timespan: 1h\n  generate: true\n`,
    c('repeated logon then process', '  type: event_count\n  rules: [logon_then_process]\n  group-by: [host]\n  timespan: 1d\n  condition: {gte: 2}\n'),
  ].join('---\n');
}

/** Each content once, as a store keeps it (the first file of a content hash). */
export async function uniqueInputs(shared: string): Promise<string[]> {
  const { files } = listEventFiles([join(shared, 'conformance', 'sigma-regression'), join(shared, 'evtx')], () => {});
  const seen = new Set<string>();
  const inputs: string[] = [];
  for (const f of files) {
    const h = await fileHash(f);
    if (!seen.has(h)) inputs.push(f);
    seen.add(h);
  }
  return inputs;
}
