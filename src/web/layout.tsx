import type { Child } from 'hono/jsx';

export interface LayoutProps {
  title: string;
  children?: Child;
  /** The search box's current text. */
  q?: string;
  label?: string;
}

/** The page frame: skip link, header with search, main, footer. Styles and script are files of the server. */
export function Layout(p: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${p.title} · detectory`}</title>
        <link rel="stylesheet" href="/assets/style.css" />
        <script src="/assets/app.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="top">
          <a class="brand" href="/">detectory</a>
          <nav aria-label="Site">
            <a href="/">Home</a>
            <a href="/coverage">Coverage</a>
          </nav>
          <form class="search" role="search" method="get" action="/search">
            <label for="q" class="sr-only">Search techniques, ATT&amp;CK objects, rules, fields and values</label>
            <input id="q" name="q" type="search" value={p.q ?? ''} maxlength={200} placeholder="Search (press /)" autocomplete="off" />
            <button type="submit">Search</button>
          </form>
        </header>
        <main id="main">{p.children}</main>
        <footer>
          <p>detectory{p.label ? ` · ${p.label}` : ''}. ATT&amp;CK® data © The MITRE Corporation, reproduced with permission. Rules keep their vendors' licenses.</p>
        </footer>
      </body>
    </html>
  );
}
