import MarkdownIt from 'markdown-it';

const SCHEME = /^\s*([a-z][a-z0-9+.-]*):/i;
const SAFE_SCHEMES = new Set(['http', 'https', 'mailto']);

/** A link target a page may carry: http(s), mailto, or a path/fragment without a scheme (never javascript:, data:, vbscript:, file:). */
export function isSafeLink(url: string): boolean {
  // browsers ignore tabs and newlines inside a scheme ("java\nscript:"), so they are removed before the test
  const u = url.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  const m = SCHEME.exec(u);
  if (m) return SAFE_SCHEMES.has(m[1].toLowerCase());
  return !u.startsWith('//') && !u.startsWith('\\\\') && !/^\/\\|^\\\//.test(u);
}

/** Markdown of rules and ATT&CK (investigation guides, descriptions): raw HTML off, only safe links, no images. */
const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
md.validateLink = isSafeLink;
md.disable('image');
const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const href = String(tokens[idx].attrGet('href') ?? '');
  if (!href.startsWith('#')) tokens[idx].attrSet('rel', 'nofollow noopener noreferrer');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

const MAX_MARKDOWN = 200_000;

/** Markdown to HTML (escaped text, safe links). Input beyond 200 000 characters is cut. */
export function renderMarkdown(text: string): string {
  return md.render(text.length > MAX_MARKDOWN ? text.slice(0, MAX_MARKDOWN) : text);
}
