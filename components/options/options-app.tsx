import { Suspense, useEffect, useState, type ReactNode } from 'react';

/** One page of the options app, reached at `#/<id>` (and `#/<id>/<rest>` for its own sub-routes). */
export interface OptionsPage {
  id: string;
  label: string;
  render: (route: { rest: string[]; navigate: (hash: string) => void }) => ReactNode;
}

/** The route in the location hash: `#/sequences/abc` -> ['sequences', 'abc']. */
export function parseHash(hash: string): string[] {
  return hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter(Boolean)
    .map((part) => decodeURIComponent(part));
}

function useHash(): string {
  const [hash, setHash] = useState(() => location.hash);
  useEffect(() => {
    const onChange = () => setHash(location.hash);
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return hash;
}

/**
 * The options page: a header with one tab per page (Sequences, Analytics, Settings), the current page below.
 * Routes live in the hash so every screen has a link a rep can bookmark or a test can open.
 */
export function OptionsApp({ pages, title = 'Threadline' }: { pages: OptionsPage[]; title?: string }) {
  const [first = pages[0]?.id, ...rest] = parseHash(useHash());
  const current = pages.find((p) => p.id === first) ?? pages[0];
  const navigate = (hash: string) => {
    location.hash = hash;
  };
  useEffect(() => {
    document.title = current ? `${current.label} · ${title}` : title;
  }, [current, title]);
  return (
    <div className="tl-options-app">
      <header className="tl-options-header">
        <span className="tl-brand">{title}</span>
        <nav aria-label="Threadline">
          {pages.map((page) => (
            <a
              key={page.id}
              href={`#/${page.id}`}
              aria-current={page.id === current?.id ? 'page' : undefined}
              className="tl-tab"
            >
              {page.label}
            </a>
          ))}
        </nav>
      </header>
      <main className="tl-options">
        {/* Tabs whose code loads when first opened (entrypoints/options/main.tsx) show this meanwhile. */}
        <Suspense fallback={<p>Loading…</p>}>
          {current?.render({ rest: current.id === first ? rest : [], navigate })}
        </Suspense>
      </main>
    </div>
  );
}
