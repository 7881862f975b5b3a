/**
 * EQL engine: one sequence rule (seed 003's, Elastic's "Windows Script Interpreter Executing Process
 * via WMI") over a long generated stream of ECS events: events/s, and memory sampled along the run
 * to show that sequence state stays flat (expired partials are dropped as time advances).
 * Run: npm run build && node dist/bench/eql.js [EVENTS]   (or npm run bench -- eql)
 */
import { compileEql } from '../src/engine/eql/analyze.js';
import { EqlExecutor } from '../src/engine/eql/execute.js';
import type { EqlEvent } from '../src/engine/eql/plan.js';

const SEED_003 = `sequence by host.id with maxspan = 5s
    [any where host.os.type == "windows" and
     (event.category : ("library", "driver") or (event.category == "process" and event.action : "Image loaded*")) and
     (?dll.name : "wmiutils.dll" or file.name : "wmiutils.dll") and process.name : ("wscript.exe", "cscript.exe")]
    [process where host.os.type == "windows" and event.type == "start" and
     process.parent.name : "wmiprvse.exe" and
     user.domain != "NT AUTHORITY" and
     (process.pe.original_file_name : ("cscript.exe", "wscript.exe", "PowerShell.EXE", "Cmd.Exe", "MSHTA.EXE", "RUNDLL32.EXE",
        "REGSVR32.EXE", "MSBuild.exe", "InstallUtil.exe", "RegAsm.exe", "RegSvcs.exe", "msxsl.exe", "CONTROL.EXE",
        "EXPLORER.EXE", "Microsoft.Workflow.Compiler.exe", "msiexec.exe") or
      process.executable : ("C:\\\\Users\\\\*.exe", "C:\\\\ProgramData\\\\*.exe"))]`;

const HOSTS = 20_000;
const PROCS = ['svchost.exe', 'cscript.exe', 'chrome.exe', 'wscript.exe', 'explorer.exe'];
const DLLS = ['kernel32.dll', 'wmiutils.dll', 'ntdll.dll', 'user32.dll'];

/** Event i of the stream: 1 ms apart, spread over many hosts; a fraction are the rule's stages. */
function eventAt(i: number): EqlEvent {
  const host = `host-${Math.floor(i / 50) % HOSTS}`;
  const ts = 1_700_000_000_000 + i;
  const base = { '@timestamp': new Date(ts).toISOString(), host: { id: host, os: { type: 'windows' } } };
  const doc =
    i % 3 === 0
      ? { ...base, event: { category: ['library'], type: ['start'] }, process: { name: PROCS[i % 5] }, dll: { name: DLLS[i % 4] } }
      : {
          ...base,
          event: { category: ['process'], type: ['start'] },
          process: { name: 'powershell.exe', executable: 'C:\\Windows\\System32\\powershell.exe', pe: { original_file_name: 'PowerShell.EXE' }, parent: { name: i % 11 === 0 ? 'WmiPrvSE.exe' : 'explorer.exe' } },
          user: { domain: i % 13 === 0 ? 'NT AUTHORITY' : 'CORP' },
        };
  return { doc, ts, seq: i };
}

export async function runEqlBench(): Promise<void> {
  const n = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 2_000_000);
  const r = compileEql(SEED_003);
  if (!r.ok) throw new Error(r.error.message);
  let matches = 0;
  const ex = new EqlExecutor(r.plan, () => matches++);
  const samples: string[] = [];
  // Events are generated in batches outside the timed part: events/s is the engine's alone.
  const BATCH = 10_000;
  let engine = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i += BATCH) {
    const batch: EqlEvent[] = [];
    for (let j = i; j < Math.min(n, i + BATCH); j++) batch.push(eventAt(j));
    const t = performance.now();
    for (const e of batch) ex.push(e);
    engine += performance.now() - t;
    if (Math.floor((i + BATCH) / (n / 5)) > Math.floor(i / (n / 5))) {
      const heap = process.memoryUsage().heapUsed / 2 ** 20;
      samples.push(`${String(Math.min(n, i + BATCH)).padStart(9)}  ${heap.toFixed(1).padStart(8)}  ${String(ex.pendingCount).padStart(7)}`);
    }
  }
  ex.finish();
  const total = (performance.now() - t0) / 1000;
  const s = engine / 1000;
  console.log(`seed 003 sequence rule over ${n} generated ECS events (${HOSTS} hosts, 1 ms apart, maxspan 5 s)`);
  console.log(`${Math.round(n / s)} events/s in the engine (${s.toFixed(2)} s; ${total.toFixed(2)} s with generation), ${matches} sequences, peak pending ${ex.sequenceStats?.peakPending}, expired ${ex.sequenceStats?.expired}`);
  console.log('   events   heap MB  pending');
  for (const line of samples) console.log(line);
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) await runEqlBench();
