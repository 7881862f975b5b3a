import { escapeControls } from '../util/safe-text.js';

/** A one-line progress bar on stderr when it is a terminal; nothing otherwise. */
export interface Progress {
  update(done: number, total: number, label: string): void;
  done(): void;
}

export function progress(enabled = !!process.stderr.isTTY && !process.env.CI): Progress {
  if (!enabled) return { update() {}, done() {} };
  let last = 0;
  return {
    update(done, total, label) {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const width = 24;
      const filled = total ? Math.round((done / total) * width) : 0;
      const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
      const text = `[${bar}] ${done}/${total} ${escapeControls(label)}`;
      process.stderr.write(`\r${text.slice(0, (process.stderr.columns || 100) - 1)}\x1b[K`);
    },
    done() {
      process.stderr.write('\r\x1b[K');
    },
  };
}
