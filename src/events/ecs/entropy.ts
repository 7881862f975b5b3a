/**
 * powershell_operational.yml "Compute Shannon entropy of script block text": over the NFC-normalized
 * text (UTF-16 code units, as Java strings count), skipping signature-only blocks.
 */
export interface ScriptBlockStats {
  entropyBits: number;
  normalized: number;
  surprisalStdev: number;
  length: number;
  uniqueSymbols: number;
}

/** A signature-only block: its second line is "# " + 64 base64 characters. */
function signatureOnly(script: string): boolean {
  const first = script.indexOf('\n');
  if (first <= 0) return false;
  let end = script.indexOf('\n', first + 1);
  if (end < 0) end = script.length;
  let line = script.slice(first + 1, end);
  if (line.endsWith('\r')) line = line.slice(0, -1);
  if (!line.startsWith('#')) return false;
  const content = line.startsWith('# ') ? line.slice(2) : line.slice(1);
  return content.length === 64 && /^[A-Za-z0-9+/=]+$/.test(content);
}

export function scriptBlockStats(text: string): ScriptBlockStats | undefined {
  if (text.length === 0 || signatureOnly(text)) return undefined;
  const script = text.normalize('NFC');
  const length = script.length;
  if (length === 0) return undefined;
  const counts = new Map<number, number>();
  for (let i = 0; i < length; i++) {
    const c = script.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let entropy = 0;
  for (const n of counts.values()) {
    const p = n / length;
    entropy -= p * Math.log2(p);
  }
  // Variance of the surprisal -log2(p) around its mean (the entropy), weighted by p.
  let variance = 0;
  for (const n of counts.values()) {
    const p = n / length;
    const d = -Math.log2(p) - entropy;
    variance += p * d * d;
  }
  const normalized = length > 1 ? Math.min(1, Math.max(0, entropy / Math.log2(length))) : 0;
  return { entropyBits: entropy, normalized, surprisalStdev: Math.sqrt(Math.max(0, variance)), length, uniqueSymbols: counts.size };
}
