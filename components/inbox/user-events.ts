/**
 * The panels act only on what the rep does. A script of the mail page (or one injected into it) can dispatch
 * events or call `el.click()`; the browser marks those `isTrusted: false`, and only its own input events (a real
 * click, a key pressed, text typed) true. Listening in the capture phase at the panel's shadow root, before the
 * UI's own listeners, drops every untrusted click, submit and keystroke, and untrusted edits of a text field
 * (the email being written): nobody but the rep enrolls anyone, sends now or rewrites an email.
 */
const ALWAYS = ['click', 'dblclick', 'auxclick', 'submit', 'keydown', 'keyup', 'keypress'] as const;
const EDITS = ['beforeinput', 'input', 'change', 'paste', 'cut', 'drop'] as const;

const TEXT_INPUTS = new Set([
  'text',
  'email',
  'search',
  'url',
  'tel',
  'number',
  'datetime-local',
  'date',
  'time',
]);

/** A field the rep types into: a textarea, a text-like input, or editable content. */
function isTextField(target: EventTarget | null): boolean {
  const el = target as { tagName?: string; type?: string; isContentEditable?: boolean } | null;
  if (!el?.tagName) return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName.toLowerCase();
  return tag === 'textarea' || (tag === 'input' && TEXT_INPUTS.has(el.type ?? 'text'));
}

/** What the panel's shadow root lets through: a real user's event (the browser says so, not the page). */
export function isUserEvent(event: Event): boolean {
  if (event.isTrusted) return true;
  return !(
    (ALWAYS as readonly string[]).includes(event.type) ||
    ((EDITS as readonly string[]).includes(event.type) &&
      isTextField(event.composedPath()[0] ?? event.target))
  );
}

/** Stops untrusted events at `root` (a panel's shadow root) before any of the panel's listeners hear them. */
export function acceptOnlyUserEvents(root: EventTarget): void {
  const guard = (event: Event) => {
    if (isUserEvent(event)) return;
    event.stopImmediatePropagation();
    event.preventDefault();
  };
  for (const type of [...ALWAYS, ...EDITS]) root.addEventListener(type, guard, { capture: true });
}
