import type { CDPSession, Page } from 'playwright-core';

/**
 * Drives a panel inside a CLOSED shadow root, as in every build a rep runs (components/inbox/mount.tsx): Playwright's
 * locators cannot enter one and the page's scripts get `null` for `host.shadowRoot`, but the DevTools protocol
 * sees the whole tree. The root is found with DOM.getDocument({ pierce: true }); elements are read there, and
 * clicked and typed into with real input events (trusted, like a rep's own, which is all the panel accepts).
 */
export interface ClosedShadow {
  /** The root's visible text (its stylesheet left out), or '' while the panel is not there. */
  text(): Promise<string>;
  /** Clicks the button whose accessible name (aria-label, else its text) equals `name` or matches it. */
  clickButton(name: string | RegExp): Promise<void>;
  /** Whether the checkbox labelled `label` is checked. */
  isChecked(label: string): Promise<boolean>;
  /** Replaces the text of the field labelled `label` by typing, as a rep would. */
  type(label: string, text: string): Promise<void>;
}

type Found = { x: number; y: number } | { error: string };

export async function closedShadow(page: Page, hostTag: string): Promise<ClosedShadow> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');

  /** The shadow root's object in the page, found afresh each time (the panel re-mounts as the page changes). */
  async function root(): Promise<string | undefined> {
    const { root: doc } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    type Node = (typeof doc)['children'] extends (infer N)[] | undefined ? N : never;
    const stack: Node[] = [doc as Node];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.nodeName.toLowerCase() === hostTag && node.shadowRoots?.[0]) {
        const { object } = await cdp.send('DOM.resolveNode', {
          backendNodeId: node.shadowRoots[0].backendNodeId,
        });
        return object.objectId;
      }
      stack.push(
        ...(node.children ?? []),
        ...(node.shadowRoots ?? []),
        ...(node.contentDocument ? [node.contentDocument] : []),
      );
    }
    return undefined;
  }

  async function call<T>(fn: string, ...args: unknown[]): Promise<T | undefined> {
    const objectId = await root();
    if (!objectId) return undefined;
    const { result, exceptionDetails } = await cdp.send('Runtime.callFunctionOn', {
      objectId,
      functionDeclaration: fn,
      arguments: args.map((value) => ({ value })),
      returnByValue: true,
      awaitPromise: true,
    });
    if (exceptionDetails) throw new Error(`in the closed shadow root: ${exceptionDetails.text}`);
    return result.value as T;
  }

  // Runs inside the page, on the ShadowRoot: finds an element, scrolls it into view, returns its centre.
  const locate = `function (kind, name, isRegExp) {
    const matches = (s) => { s = (s || '').trim(); return isRegExp ? new RegExp(name).test(s) : s === name; };
    let el;
    if (kind === 'button') {
      el = [...this.querySelectorAll('button, [role="button"]')].find(
        (b) => matches(b.getAttribute('aria-label') || b.textContent));
    } else {
      const label = [...this.querySelectorAll('label')].find(
        (l) => matches([...l.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('')) || matches(l.textContent));
      el = label && (label.control || (label.htmlFor && this.getElementById(label.htmlFor)) || label.querySelector('input, textarea, select'));
    }
    if (!el) return { error: kind + ' ' + name + ' not found' };
    el.scrollIntoView({ block: 'center' });
    const r = el.getBoundingClientRect();
    return kind === 'checked' ? { checked: !!el.checked } : { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  }`;

  /** Waits for the element as Playwright's locators do (the panel renders after the click that asks for it). */
  async function find(
    kind: 'button' | 'field' | 'checked',
    name: string | RegExp,
    timeout = 10_000,
  ): Promise<Found & { checked?: boolean }> {
    const isRegExp = name instanceof RegExp;
    const until = Date.now() + timeout;
    for (;;) {
      const found = (await call<Found & { checked?: boolean }>(
        locate,
        kind,
        isRegExp ? name.source : name,
        isRegExp,
      )) ?? { error: `no <${hostTag}> on the page` };
      if (!('error' in found) || Date.now() > until) return found;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  const point = async (kind: 'button' | 'field', name: string | RegExp) => {
    const found = await find(kind, name);
    if ('error' in found) throw new Error(found.error);
    return found;
  };

  return {
    text: async () =>
      (await call<string>(`function () {
        const walker = document.createTreeWalker(this, NodeFilter.SHOW_TEXT);
        const parts = [];
        for (let n = walker.nextNode(); n; n = walker.nextNode())
          if (!n.parentElement || !n.parentElement.closest('style')) parts.push(n.textContent);
        return parts.join(' ');
      }`)) ?? '',
    async clickButton(name) {
      const { x, y } = await point('button', name);
      await page.mouse.click(x, y);
    },
    async isChecked(label) {
      const found = await find('checked', label);
      if ('error' in found) throw new Error(found.error);
      return found.checked === true;
    },
    async type(label, text) {
      const { x, y } = await point('field', label);
      await page.mouse.click(x, y);
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.press('Delete');
      await page.keyboard.type(text);
    },
  };
}
