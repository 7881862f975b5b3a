import { badRequest } from './http-error.js';

export const MAX_PARAM = 200;
const TECHNIQUE = /^T\d{4}(?:\.\d{3})?$/i;
const ATTACK_ID = /^(?:[A-Z]{1,3}\d{4}(?:\.\d{3})?|[a-z][a-z0-9-]{0,40}--[0-9a-f-]{36})$/i;
const WORD = /^[A-Za-z0-9_. :-]{1,60}$/;
const RELEASE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
export const VENDORS = ['sigma', 'elastic', 'splunk'] as const;

/** A path or query value: at most 200 characters, no control characters. */
export function text(v: string | undefined, name: string): string {
  if (v === undefined) throw badRequest(`missing ${name}`);
  if (v.length > MAX_PARAM) throw badRequest(`${name} is longer than ${MAX_PARAM} characters`);
  if (/[\u0000-\u001f\u007f]/.test(v)) throw badRequest(`${name} contains control characters`);
  return v;
}

export function techniqueId(v: string | undefined): string {
  const s = text(v, 'technique id');
  if (!TECHNIQUE.test(s)) throw badRequest(`"${s}" is not an ATT&CK technique id (T1216, T1059.001)`);
  return s.toUpperCase();
}

export function attackId(v: string | undefined): string {
  const s = text(v, 'ATT&CK id');
  if (!ATTACK_ID.test(s)) throw badRequest(`"${s}" is not an ATT&CK id (T1216, AN1288, DET0466, DC0032, M1038, G0007, S0002, C0010) or STIX id`);
  return s.includes('--') ? s : s.toUpperCase();
}

export function vendor(v: string | undefined): (typeof VENDORS)[number] {
  const s = text(v, 'vendor');
  const hit = VENDORS.find((x) => x === s.toLowerCase());
  if (!hit) throw badRequest(`vendor must be one of ${VENDORS.join(', ')}`);
  return hit;
}

/** An optional filter value (platform, domain, log source): empty means no filter. */
export function optionalWord(v: string | undefined, name: string): string | undefined {
  if (v === undefined || v === '') return undefined;
  const s = text(v, name);
  if (!WORD.test(s)) throw badRequest(`${name} "${s}" has characters a ${name} does not have`);
  return s.toLowerCase();
}

export function release(v: string | undefined, known: string[], name: string): string {
  const s = text(v, name);
  if (!RELEASE.test(s) || !known.includes(s)) throw badRequest(`${name} must be an imported ATT&CK release (${known.join(', ') || 'none imported'})`);
  return s;
}
