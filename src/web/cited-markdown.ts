import { CITATION_RE } from '../attack/citations.js';
import { renderMarkdown } from './markdown.js';

/**
 * ATT&CK Markdown with "(Citation: X)" as numbered links to a page's reference list. The numbers differ
 * per page, so a text is rendered with one placeholder per source name and the numbers are put in after:
 * that lets the server render every description of the loaded release once at start (a technique page
 * has hundreds of procedure rows; rendering them per request was most of its time). Texts not rendered
 * at start (other releases) are rendered per call and not kept.
 */
export class CitedMarkdown {
  private readonly sourceIds = new Map<string, number>();
  private readonly sourceNames: string[] = [];
  private readonly html = new Map<string, string>();

  /** Renders the texts now and keeps them; returns how many distinct texts were rendered. */
  prerender(texts: Iterable<string>): number {
    for (const t of texts) {
      if (!t) continue;
      const key = this.placeholders(t);
      if (!this.html.has(key)) this.html.set(key, renderMarkdown(key));
    }
    return this.html.size;
  }

  /** HTML of `text` with each citation as `[n]` linking to #ref-n, n from `numbers` (unknown sources are dropped). */
  render(text: string, numbers: Map<string, number>): string {
    const key = this.placeholders(text);
    const html = this.html.get(key) ?? renderMarkdown(key);
    return html.replace(PLACED, (_m, id: string) => {
      const n = numbers.get(this.sourceNames[Number(id)]);
      return n === undefined ? '' : `<a href="#ref-${n}">[${n}]</a>`;
    });
  }

  private placeholders(text: string): string {
    return text.replace(CITATION_RE, (_m, name: string) => {
      let id = this.sourceIds.get(name);
      if (id === undefined) {
        id = this.sourceNames.push(name) - 1;
        this.sourceIds.set(name, id);
      }
      return `[[zqcite${id}zq]](#ref-zqcite${id}zq)`;
    }).replace(/<code>([^<`]{0,500})<\/code>/g, '`$1`'); // ATT&CK writes inline code as HTML: as Markdown it stays escaped text
  }
}

/** What markdown-it makes of one placeholder link (letters and digits only, so nothing is escaped or linkified). */
const PLACED = /<a href="#ref-zqcite(\d+)zq">\[zqcite\1zq\]<\/a>/g;

/** The one instance the pages use; WebContext fills it from the newest release at start. */
export const citedMarkdown = new CitedMarkdown();
