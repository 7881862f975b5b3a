import type { AnalystView } from '../../catalog/analyst-view.js';
import { AttackLink, FieldLink } from './links.js';

const pairs = (o: Record<string, number>): string => Object.entries(o).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ');

/** The analyst view: telemetry needed, what rules look at, tuning knobs, coverage. Numbers from the data only. */
export function Analyst(p: { view: AnalystView; what: string }) {
  const v = p.view;
  return (
    <section id="analyst" aria-labelledby="analyst-h" class="analyst">
      <h2 id="analyst-h">Analyst view</h2>
      <p class="note">Computed from ATT&amp;CK and the catalog for this {p.what}: no prose is added.</p>
      <h3>Coverage</h3>
      <p>
        {v.coverage.rules} catalog rule{v.coverage.rules === 1 ? '' : 's'}
        {v.coverage.rules > 0 ? ` (by vendor: ${pairs(v.coverage.by_vendor)}; by platform: ${pairs(v.coverage.by_platform)})` : ''}.
        {' '}{v.telemetry.length} log source{v.telemetry.length === 1 ? '' : 's'} named by ATT&amp;CK; {v.coverage.unused_log_sources.length} read by no rule
        {v.coverage.unused_log_sources.length > 0 ? `: ${v.coverage.unused_log_sources.join('; ')}` : ''}.
      </p>
      <h3>Telemetry needed</h3>
      {v.telemetry.length === 0 ? <p class="none">ATT&amp;CK names no log source.</p> : (
        <div class="scroll">
          <table>
            <caption class="sr-only">Telemetry needed</caption>
            <thead><tr><th scope="col">Log source</th><th scope="col">Channel / event code</th><th scope="col">Data component</th><th scope="col">Event types</th><th scope="col">Rules reading it</th></tr></thead>
            <tbody>
              {v.telemetry.map((t) => (
                <tr>
                  <th scope="row"><code>{t.log_source}</code></th>
                  <td><code>{t.channel}</code></td>
                  <td>{t.data_component ? <AttackLink id={t.data_component.id} name={t.data_component.name} /> : ''}</td>
                  <td>{t.event_types.join(', ')}</td>
                  <td class="num">{t.rules}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3>What the rules look at</h3>
      {v.fields.length === 0 ? <p class="none">No rule predicates.</p> : (
        <div class="scroll">
          <table>
            <caption class="sr-only">Fields filtered most by the rules</caption>
            <thead><tr><th scope="col">Field</th><th scope="col">Rules</th><th scope="col">Operators</th></tr></thead>
            <tbody>{v.fields.map((f) => <tr><th scope="row"><FieldLink field={f.field} /></th><td class="num">{f.rules}</td><td>{pairs(f.operators)}</td></tr>)}</tbody>
          </table>
        </div>
      )}
      <h3>Tuning knobs</h3>
      {v.tuning.length === 0 ? <p class="none">ATT&amp;CK lists no mutable elements.</p> : (
        <dl class="mutable">{v.tuning.map((m) => <><dt><code>{m.field}</code> <span class="meta">{m.analytic}</span></dt><dd>{m.description}</dd></>)}</dl>
      )}
    </section>
  );
}
