import { highlight } from '../highlight/index.js';

/** A query or rule source, highlighted with the project's lexers; every piece is escaped text. */
export function Code(p: { text: string; language: string | null }) {
  return (
    <pre class="code" tabindex={0} aria-label={`${p.language ?? ''} query`}>
      <code>{highlight(p.text, p.language).map((s) => (s.cls ? <span class={`h-${s.cls}`}>{s.text}</span> : s.text))}</code>
    </pre>
  );
}
