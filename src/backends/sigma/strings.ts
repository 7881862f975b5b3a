/**
 * Model values as Sigma strings. In a Sigma string `*` and `?` are wildcards and a backslash escapes
 * only `*`, `?` and another backslash (anywhere else it is a plain backslash: `C:\Windows` stays
 * readable). A literal backslash is therefore doubled only where the next written character is a
 * backslash or a wildcard character; a literal `*` or `?` is written `\*`, `\?`.
 */
import { globParts } from '../elastic/strings.js';

type Unit = { c: string; wild: boolean };

function write(units: Unit[]): string {
  let out = '';
  units.forEach((u, i) => {
    if (u.wild) out += u.c;
    else if (u.c === '*' || u.c === '?') out += `\\${u.c}`;
    else if (u.c === '\\') {
      const next = units[i + 1];
      out += next && (next.wild || next.c === '\\' || next.c === '*' || next.c === '?') ? '\\\\' : '\\';
    } else out += u.c;
  });
  return out;
}

const lit = (s: string): Unit[] => [...s].map((c) => ({ c, wild: false }));

/** Literal text (no wildcard), optionally with a `*` before and / or after. */
export function sigmaLiteral(s: string, lead = false, trail = false): string {
  return write([...(lead ? [{ c: '*', wild: true }] : []), ...lit(s), ...(trail ? [{ c: '*', wild: true }] : [])]);
}

/** A canonical glob (model/predicate.ts: `*`, `?` wildcards; `\*`, `\?`, `\\` literals) as a Sigma string. */
export function sigmaGlob(glob: string): string {
  return write(globParts(glob).flatMap((p) => ('lit' in p ? lit(p.lit) : [{ c: p.wild, wild: true }])));
}
