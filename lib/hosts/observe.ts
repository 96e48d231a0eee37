/**
 * The one page observer the DOM drivers share (refined-github's `observe` pattern): `callback` runs once after
 * a burst of mutations (batched to the next task), never for mutations inside Threadline's own elements
 * (`ignore`), and not at all once `signal` aborts.
 */
export function observe(
  root: Node,
  callback: () => void,
  options: { signal: AbortSignal; ignore?: string; attributes?: string[] },
): void {
  if (options.signal.aborted) return;
  let scheduled = false;
  const run = () => {
    scheduled = false;
    if (!options.signal.aborted) callback();
  };
  const observer = new MutationObserver((records) => {
    const ignore = options.ignore;
    if (ignore && records.every((r) => (r.target as Element).closest?.(ignore))) return;
    if (scheduled) return;
    scheduled = true;
    setTimeout(run, 0);
  });
  observer.observe(root, {
    childList: true,
    subtree: true,
    ...(options.attributes ? { attributes: true, attributeFilter: options.attributes } : {}),
  });
  options.signal.addEventListener('abort', () => observer.disconnect(), { once: true });
}
