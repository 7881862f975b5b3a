/**
 * Splitting command lines into process.args the two ways Elastic's pipelines do.
 */

const SPACE = 32;
const TAB = 9;
const QUOTE = 34;
const BACKSLASH = 92;

/**
 * Windows argv rules (CommandLineToArgvW, with the "prior to 2008" doubled-quote rule), as the
 * Sysmon and PowerShell pipelines' "Implements Windows-like SplitCommandLine" script does:
 * spaces/tabs separate arguments outside quotes, 2n backslashes + quote give n backslashes and
 * toggle quoting, 2n+1 backslashes + quote give n backslashes and a literal quote, `""` inside
 * quotes is a literal quote.
 */
export function splitWindowsCommandLine(cmd: string): string[] {
  // Literal runs are taken as slices of `cmd`: every command line is split (two per Sysmon process
  // event), and building arguments a character at a time was most of the mapping's allocation.
  const args: string[] = [];
  const n = cmd.length;
  let i = 0;
  while (i < n) {
    const c0 = cmd.charCodeAt(i);
    if (c0 === SPACE || c0 === TAB) {
      i++;
      continue;
    }
    let arg = '';
    let inQuote = false;
    /** Start of the literal run not yet in `arg` (backslashes not before a quote are literal). */
    let run = i;
    for (; i < n; i++) {
      const c = cmd.charCodeAt(i);
      if ((c === SPACE || c === TAB) && !inQuote) break;
      if (c !== QUOTE && c !== BACKSLASH) continue;
      let slashes = 0;
      if (c === BACKSLASH) {
        let j = i + 1;
        while (j < n && cmd.charCodeAt(j) === BACKSLASH) j++;
        if (j === n || cmd.charCodeAt(j) !== QUOTE) {
          i = j - 1; // literal: they stay in the run
          continue;
        }
        slashes = j - i;
      }
      // A quote after `slashes` backslashes: half of them stay; an even count toggles quoting, an odd
      // one makes the quote literal.
      arg += cmd.slice(run, i) + '\\'.repeat(slashes >> 1);
      i += slashes;
      if (slashes % 2 === 1) arg += '"';
      else {
        if (inQuote && cmd.charCodeAt(i + 1) === QUOTE) {
          arg += '"';
          i++;
        }
        inQuote = !inQuote;
      }
      run = i + 1;
    }
    arg += cmd.slice(run, i);
    if (i < n) i++; // the separator
    args.push(arg);
  }
  return args;
}

/**
 * The Security pipeline's 4688 split ("Process Event 4688"): whitespace outside double quotes ends
 * an argument, quotes stay in the arguments, and the empty strings that runs of whitespace produce
 * are dropped (the pipeline's final "drop null values" script removes blank list items).
 */
export function splitOnUnquotedWhitespace(cmd: string): string[] {
  const out: string[] = [];
  let start = 0;
  let inQuote = false;
  for (let i = 0; i < cmd.length; i++) {
    const c = cmd[i];
    if (c === '"') inQuote = !inQuote;
    if (/\s/.test(c) && !inQuote) {
      out.push(cmd.slice(start, i));
      start = i + 1;
    }
    if (i === cmd.length - 1) out.push(cmd.slice(start, i + 1));
  }
  return out.filter((a) => a.trim() !== '');
}
