/** Tables for people fit a width: columns shrink by weight, file names are cut from the left. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitColumns } from '../../../src/cli/output/fit-columns.js';
import { renderTable } from '../../../src/cli/output/table.js';
import { DEFAULT_TABLE_WIDTH, tableWidth } from '../../../src/cli/output/terminal-width.js';
import { cli, EXAMPLES } from '../../helpers/cli.js';
import { join } from 'node:path';

test('terminal width: the terminal\'s columns, else COLUMNS, else 100', () => {
  assert.equal(tableWidth({ isTTY: true, columns: 83 }, {}), 83);
  assert.equal(tableWidth({ isTTY: true, columns: 83 }, { COLUMNS: '120' }), 83);
  assert.equal(tableWidth({ isTTY: false }, { COLUMNS: '120' }), 120);
  assert.equal(tableWidth(undefined, { COLUMNS: 'wide' }), DEFAULT_TABLE_WIDTH);
  assert.equal(tableWidth(undefined, {}), 100);
});

test('fitting: natural widths when they fit; else minimums plus the room by weight; weight 0 never shrinks', () => {
  assert.deepEqual(fitColumns([5, 6, 7], [{ min: 2, weight: 1 }, { min: 2, weight: 0 }, { min: 2, weight: 1 }], 100, 2), [5, 6, 7]);
  // 30 wide, gaps 4: 26 for the cells; the fixed column keeps 6, the others share 20 by weight 1:3 above their minimums.
  assert.deepEqual(fitColumns([40, 6, 40], [{ min: 4, weight: 1 }, { min: 2, weight: 0 }, { min: 4, weight: 3 }], 30, 2), [7, 6, 13]);
  assert.deepEqual(fitColumns([40, 40], [{ min: 30, weight: 1 }, { min: 30, weight: 1 }], 20, 2), [9, 9], 'narrow: below the minimums, evenly');
  assert.deepEqual(fitColumns([40, 10], [{ min: 30, weight: 1 }, { min: 5, weight: 0 }], 8, 2), [4, 10], 'never below 4, nor a fixed column');
});

test('renderTable: every line within the width; a kept end shows the last characters', () => {
  const t = renderTable(['name', 'file'], [['a very long rule title that goes on', 'C:\\Logs\\deep\\folder\\Security.evtx#123']], {
    width: 40, columns: [{ min: 8, weight: 1 }, { min: 8, weight: 1, keep: 'end' }],
  });
  const lines = t.trimEnd().split('\n');
  for (const l of lines) assert.ok([...l].length <= 40, `${l} (${[...l].length})`);
  assert.match(lines[2], /^a very long rule t…\s+…\\Security\.evtx#123$/);
});

test('scan --format table fits 100 columns when not on a terminal, and COLUMNS when set; file names keep their end', () => {
  const events = join(EXAMPLES, 'events');
  for (const [columns, width] of [['', 100], ['100', 100], ['72', 72], ['300', 300]] as const) {
    const r = cli(['scan', events, '--format', 'table'], { env: { COLUMNS: columns } });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 8);
    for (const l of lines) assert.ok([...l].length <= width, `COLUMNS=${columns}: ${[...l].length} > ${width}: ${l}`);
    for (const l of lines.slice(2)) assert.match(l, /workstation\.jsonl#10\d\d$|…[^…]*\.jsonl#10\d\d$|…[^…]*#10\d\d$/);
    if (width === 300) assert.match(lines[2], /examples\/events\/workstation\.jsonl#1002$/, 'nothing cut when it fits');
  }
});
