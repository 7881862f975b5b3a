/**
 * Applies the PowerShell tables (powershell-table.ts) and the pipelines' scripts: ContextInfo and
 * param2/param3 key-value splitting, invocation details, script block entropy, file and args.
 */
import { splitWindowsCommandLine } from './command-line.js';
import { type EcsDoc, getNested, setPath } from './doc.js';
import { appendRelated, applyMoves } from './moves.js';
import { fileParts } from './paths.js';
import { CLASSIC_CLEANUP, CLASSIC_MOVES, OPERATIONAL_CLEANUP, OPERATIONAL_MOVES, POWERSHELL_EVENT_TYPES } from './powershell-table.js';
import { dropEmptyValues, type EventData, type WinContext } from './winlog.js';
import { EMPTY_VALUES } from './winlog-table.js';
import { scriptBlockStats } from './entropy.js';
import { deleteEach } from './empty-values.js';
import RE2 from 're2';

// Event text is attacker-influenced: the patterns with overlapping parts run in RE2 (linear time).
const DETAIL_OPERATIONAL = new RE2('^([^(]+)\\(([^)]+)\\):\\s*(.+)?$', 'u');
const DETAIL_CLASSIC = new RE2('^([^:(]+)\\(([^)]+)\\):\\s*(.+)?$', 'u');
const PARAMETER_BINDING = new RE2('name=(.+);\\s*value=(.+)$', 'u');
const CONTEXT_KEY = /^[A-Za-z][A-Za-z0-9 _.-]*$/;

/** Microsoft-Windows-PowerShell/Operational (powershell_operational.yml). */
export function mapPowerShellOperational(ctx: WinContext): void {
  const { doc, code } = ctx;
  let data = ctx.data;
  if (code === '4103' && data.ContextInfo) splitContextInfo(data, data.ContextInfo); // "parse_context_info"
  data = removeKeySpaces(ctx); // "Remove spaces from all event_data keys"
  dropEmptyValues(data, EMPTY_VALUES);
  classify(doc, code);
  applyMoves(doc, data, code, OPERATIONAL_MOVES, ctx.needs);
  setPath(doc, 'process.pid', getNested(doc, 'winlog.process.pid')); // set process.pid copy_from winlog.process.pid
  setPath(doc, 'user.id', getNested(doc, 'winlog.user.identifier')); // set user.id copy_from winlog.user.identifier
  if (data.ConnectedUser !== undefined) {
    // split ConnectedUser "DOMAIN\name" -> source.user.*; the user becomes the destination user
    const parts = data.ConnectedUser.split('\\');
    if (parts.length === 2) {
      setPath(doc, 'source.user.domain', parts[0]);
      setPath(doc, 'source.user.name', parts[1]);
      appendRelated(doc, 'related.user', parts[1]);
      setPath(doc, 'user.domain', parts[0]);
      setPath(doc, 'user.name', parts[1]);
    }
  }
  const text = getNested(doc, 'powershell.file.script_block_text');
  if (typeof text === 'string') {
    const trimmed = text.trim(); // trim powershell.file.script_block_text
    setPath(doc, 'powershell.file.script_block_text', trimmed);
    const stats = scriptBlockStats(trimmed.replace(/# SIG # Begin signature block[\s\S]+/, ''));
    if (stats) {
      setPath(doc, 'powershell.file.script_block_entropy_bits', stats.entropyBits);
      setPath(doc, 'powershell.file.script_block_entropy_normalized', stats.normalized);
      setPath(doc, 'powershell.file.script_block_surprisal_stdev', stats.surprisalStdev);
      setPath(doc, 'powershell.file.script_block_length', stats.length);
      setPath(doc, 'powershell.file.script_block_unique_symbols', stats.uniqueSymbols);
    }
  }
  if (code === '4103' && data.Payload !== undefined) setInvocationDetails(doc, data.Payload.split('\n'), DETAIL_OPERATIONAL);
  commandArgs(doc);
  if (data.Path !== undefined) {
    data.ScriptName = data.Path; // rename Path -> ScriptName
    delete data.Path;
  }
  scriptFile(doc, data);
  deleteEach(data, OPERATIONAL_CLEANUP);
  delete (doc.winlog as Record<string, unknown>).time_created;
}

/** Windows PowerShell classic log (powershell.yml). */
export function mapPowerShellClassic(ctx: WinContext): void {
  const { doc, code, data } = ctx;
  if (code === '800' && data.param2 !== undefined) splitParam2(data, data.param2); // kv param2
  else if (data.param3 !== undefined) splitParam3(data, data.param3); // "Split Events 4xx and 600"
  dropEmptyValues(data, EMPTY_VALUES);
  classify(doc, code);
  applyMoves(doc, data, code, CLASSIC_MOVES, ctx.needs);
  if (data.UserId !== undefined) {
    const parts = data.UserId.split('\\');
    if (parts.length === 2) {
      setPath(doc, 'user.domain', parts[0]);
      setPath(doc, 'user.name', parts[1]);
      appendRelated(doc, 'related.user', parts[1]);
    }
  }
  if (code === '800' && data.param3 !== undefined) setInvocationDetails(doc, data.param3.split(/\r?\n/).filter((l) => l !== ''), DETAIL_CLASSIC);
  commandArgs(doc);
  scriptFile(doc, data);
  deleteEach(data, CLASSIC_CLEANUP);
  delete (doc.winlog as Record<string, unknown>).time_created;
}

function classify(doc: EcsDoc, code: string): void {
  setPath(doc, 'event.category', ['process']); // set event.category ["process"]
  setPath(doc, 'event.type', [POWERSHELL_EVENT_TYPES[code] ?? 'info']); // set event.type start/end/info
}

/**
 * 4103 ContextInfo: lines "        Key = Value" (8+ leading spaces, a key of letters, digits, spaces,
 * "_.-", then ":" or "="); other lines continue the value. Parsed by hand: a regex with a lazy key
 * and optional spaces backtracks quadratically on long lines.
 */
function contextLine(line: string): [string, string] | undefined {
  let i = 0;
  while (i < line.length && /\s/.test(line[i])) i++;
  if (i < 8) return undefined;
  const sep = line.slice(i).search(/[:=]/);
  if (sep < 0) return undefined;
  const key = line.slice(i, i + sep).trimEnd();
  if (!CONTEXT_KEY.test(key)) return undefined;
  return [key, line.slice(i + sep + 1)];
}

function splitContextInfo(data: EventData, info: string): void {
  let key: string | undefined;
  let value = '';
  for (const line of info.split(/\r?\n/)) {
    const kv = contextLine(line);
    if (kv) {
      if (key !== undefined) data[key] = value.trim();
      [key, value] = kv;
    } else if (key !== undefined) value += '\n' + line;
  }
  if (key !== undefined) data[key] = value.trim();
}

function removeKeySpaces(ctx: WinContext): EventData {
  const out: EventData = {};
  for (const [k, v] of Object.entries(ctx.data)) out[k.replace(/\s/g, '')] = v;
  (ctx.doc.winlog as Record<string, unknown>).event_data = out;
  ctx.data = out;
  return out;
}

/**
 * 800 param2: "\n\tKey=Value" pairs (kv: field_split "\n\t", value_split "=", keys and values trimmed
 * of "\n\t"). The log writes CRLF line ends; the "\r" is trimmed too, or every value would end in it.
 */
function splitParam2(data: EventData, p: string): void {
  for (const part of p.split(/\r?\n\t/)) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq).replace(/^[\r\n\t]+|[\r\n\t]+$/g, '');
    if (key) data[key] = part.slice(eq + 1).replace(/^[\r\n\t]+|[\r\n\t]+$/g, '');
  }
}

/** 400/403/600 param3: "\tKey=" starts a key; everything up to the next key is its value. */
function splitParam3(data: EventData, p: string): void {
  const re = /(?:^|\n)?\t(\w+)=/g;
  let key: string | undefined;
  let prevEnd = 0;
  for (let m = re.exec(p); m; m = re.exec(p)) {
    if (key !== undefined) data[key] = p.slice(prevEnd, m.index).trim();
    key = m[1];
    prevEnd = m.index + m[0].length;
  }
  if (key !== undefined) data[key] = p.slice(prevEnd).trim();
}

/** "Parses all command invocation detail raw lines" -> powershell.command.invocation_details. */
function setInvocationDetails(doc: EcsDoc, lines: string[], detail: RE2): void {
  const out: Record<string, string>[] = [];
  for (const raw of lines) {
    const m = detail.exec(raw);
    if (!m || m[3] === undefined) {
      out.push({ value: raw });
      continue;
    }
    if (m[1] !== 'ParameterBinding') {
      out.push({ type: m[1], related_command: m[2], value: m[3] });
      continue;
    }
    const b = PARAMETER_BINDING.exec(m[3]);
    out.push(b ? { type: m[1], related_command: m[2], name: b[1], value: b[2] } : { value: m[3] });
  }
  if (out.length) setPath(doc, 'powershell.command.invocation_details', out);
}

/** "Implements Windows-like SplitCommandLine" on process.command_line. */
function commandArgs(doc: EcsDoc): void {
  const cmd = getNested(doc, 'process.command_line');
  if (typeof cmd !== 'string' || cmd === '') return;
  const args = splitWindowsCommandLine(cmd);
  setPath(doc, 'process.args', args);
  setPath(doc, 'process.args_count', args.length);
}

/** "Adds file information" from ScriptName, then rename ScriptName -> file.path. */
function scriptFile(doc: EcsDoc, data: EventData): void {
  const path = data.ScriptName;
  if (path === undefined || path === '') return;
  if (path.length > 1) {
    const p = fileParts(path);
    if (p) {
      setPath(doc, 'file.name', p.name);
      setPath(doc, 'file.directory', p.directory);
      setPath(doc, 'file.extension', p.extension);
    }
  }
  setPath(doc, 'file.path', path);
  delete data.ScriptName;
}
