import { marked } from 'marked';
import { sanitizeEmailHtml } from '@/lib/html-sanitiser/sanitize';

/**
 * A playbook card's guidance as HTML for the editor's preview: the markdown rendered by marked, then cleaned by
 * the project's sanitiser (no scripts, handlers, `javascript:` links, forms or frames survive an editor's text).
 */
export function cardHtml(markdown: string): string {
  return sanitizeEmailHtml(marked.parse(markdown, { async: false, gfm: true }));
}
