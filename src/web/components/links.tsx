import { isSafeLink } from '../markdown.js';

const TECHNIQUE = /^T\d{4}(?:\.\d{3})?$/i;

export const ruleHref = (vendor: string, id: string): string => `/rules/${encodeURIComponent(vendor)}/${encodeURIComponent(id)}`;
export const fieldHref = (field: string): string => `/fields/${encodeURIComponent(field)}`;
export const attackHref = (id: string): string => (TECHNIQUE.test(id) ? `/techniques/${id.toUpperCase()}` : `/attack/${encodeURIComponent(id)}`);

export function RuleLink(p: { vendor: string; id: string; title: string }) {
  return <a href={ruleHref(p.vendor, p.id)}>{p.title}</a>;
}

export function FieldLink(p: { field: string }) {
  return <a href={fieldHref(p.field)}><code>{p.field}</code></a>;
}

/** An ATT&CK id: techniques go to the technique page, every other object to its object page. */
export function AttackLink(p: { id: string; name?: string }) {
  return (
    <a href={attackHref(p.id)}>
      <span class="id">{p.id}</span>
      {p.name ? ` ${p.name}` : ''}
    </a>
  );
}

/** An external URL from untrusted data: a link only when its scheme is safe, else plain text. */
export function ExtLink(p: { url: string; text?: string }) {
  if (!/^https?:\/\//i.test(p.url) || !isSafeLink(p.url)) return <span class="url">{p.text ?? p.url}</span>;
  return <a href={p.url} rel="nofollow noopener noreferrer">{p.text ?? p.url}</a>;
}

export function VendorBadge(p: { vendor: string }) {
  return <span class={`vendor v-${p.vendor.replace(/[^a-z]/g, '')}`}>{p.vendor}</span>;
}
