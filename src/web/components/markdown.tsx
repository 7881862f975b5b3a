import { raw } from 'hono/html';
import { renderMarkdown } from '../markdown.js';

/** Markdown rendered by markdown-it with raw HTML off and unsafe links refused (the only unescaped output of the pages). */
export function Markdown(p: { text: string }) {
  return <div class="md">{raw(renderMarkdown(p.text))}</div>;
}
