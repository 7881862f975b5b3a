/**
 * Splitting command lines into process.args the two ways Elastic's pipelines do.
 */

/**
 * Windows argv rules (CommandLineToArgvW, with the "prior to 2008" doubled-quote rule), as the
 * Sysmon and PowerShell pipelines' "Implements Windows-like SplitCommandLine" script does:
 * spaces/tabs separate arguments outside quotes, 2n backslashes + quote give n backslashes and
 * toggle quoting, 2n+1 backslashes + quote give n backslashes and a literal quote, `""` inside
 * quotes is a literal quote.
 */
export function splitWindowsCommandLine(cmd: string): string[] {
  const args: string[] = [];
  let i = 0;
  const n = cmd.length;
  while (i < n) {
    const c0 = cmd[i];
    if (c0 === ' ' || c0 === '\t') {
      i++;
      continue;
    }
    let arg = '';
    let inQuote = false;
    let slashes = 0;
    for (; i < n; i++) {
      const c = cmd[i];
      if ((c === ' ' || c === '\t') && !inQuote) {
        i++;
        break;
      }
      if (c === '"') {
        arg += '\\'.repeat(slashes >> 1);
        if (slashes % 2 === 0) {
          if (inQuote && cmd[i + 1] === '"') {
            arg += '"';
            i++;
          }
          inQuote = !inQuote;
        } else {
          arg += '"';
        }
        slashes = 0;
        continue;
      }
      if (c === '\\') {
        slashes++;
        continue;
      }
      arg += '\\'.repeat(slashes) + c;
      slashes = 0;
    }
    arg += '\\'.repeat(slashes);
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
