/** How the ClickHouse hunt batches rules that run per event (store/clickhouse/hunt.ts batchKey). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clickhouseDialect } from '../../../src/store/clickhouse/hunt.js';
import { chClient, parseChUrl } from '../../../src/store/clickhouse/client.js';
import { procRule, rule } from '../../helpers/sigma.js';

test('a keyword rule is batched apart from the other rules of its route; rules without keywords together', async () => {
  // No query is sent: batchKey reads what ruleWhere printed.
  const client = chClient(parseChUrl('clickhouse://127.0.0.1:1/detectory'));
  try {
    const d = clickhouseDialect(client);
    const withId = (yaml: string, n: number): string => yaml.replace('11111111-1111-1111-1111-111111111111', `11111111-1111-1111-1111-00000000000${n}`);
    const kw = rule(withId(procRule("  sel:\n    Image|endswith: '\\rundll32.exe'\n  kw:\n    - 'perfc.dat'\n  condition: sel or kw"), 1));
    const a = rule(withId(procRule("  sel:\n    GrandParentImage|endswith: '\\rundll32.exe'\n    CommandLine: 'whoami.exe /all'\n  condition: sel"), 2));
    const b = rule(withId(procRule("  sel:\n    GrandParentImage|endswith: '\\cmd.exe'\n    CommandLine: 'ipconfig.exe /all'\n  condition: sel"), 3));
    for (const r of [kw, a, b]) assert.ok('where' in d.ruleWhere(r, new Set()));
    assert.equal(d.batchKey!(a), d.batchKey!(b));
    assert.notEqual(d.batchKey!(kw), d.batchKey!(a));
    // The same route and literal need: only the keyword read differs.
    assert.equal(d.batchKey!(kw).replace(/\tk$/, '\t'), d.batchKey!(a));
  } finally {
    await client.close();
  }
});
