import { afterEach, describe, expect, it } from 'vitest';
import { acceptOnlyUserEvents } from './user-events';

/**
 * A panel's shadow root with the guard on it. A real browser marks only its own input events trusted; the DOM
 * double here marks none, so a trusted event is made by setting the flag the browser would have set (the
 * end-to-end test clicks for real in Chromium).
 */
function panel() {
  const host = document.createElement('div');
  document.body.append(host);
  const shadow = host.attachShadow({ mode: 'open' });
  acceptOnlyUserEvents(shadow);
  const heard: string[] = [];
  shadow.innerHTML = `<button>Enroll</button><textarea aria-label="Body"></textarea><select><option>1</option><option>2</option></select>`;
  const button = shadow.querySelector('button')!;
  const body = shadow.querySelector('textarea')!;
  const select = shadow.querySelector('select')!;
  button.addEventListener('click', () => heard.push('enroll'));
  body.addEventListener('input', () => heard.push(`edit:${body.value}`));
  select.addEventListener('change', () => heard.push('select'));
  shadow.addEventListener('keydown', (e) => heard.push(`key:${(e as KeyboardEvent).key}`));
  return { host, button, body, select, heard };
}
const trusted = <E extends Event>(event: E): E => {
  Object.defineProperty(event, 'isTrusted', { value: true });
  return event;
};
afterEach(() => document.body.replaceChildren());

describe('a panel hears only the rep', () => {
  it('ignores a script clicking Enroll, and hears a real click', () => {
    const { button, heard } = panel();
    button.click();
    button.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
    expect(heard).toEqual([]);
    button.dispatchEvent(trusted(new MouseEvent('click', { bubbles: true, composed: true })));
    expect(heard).toEqual(['enroll']);
  });

  it('ignores a script rewriting the email, and hears the rep typing', () => {
    const { body, heard } = panel();
    body.value = 'Click https://attacker.example';
    body.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    expect(heard).toEqual([]);
    body.value = 'Hi Ada';
    body.dispatchEvent(trusted(new Event('input', { bubbles: true, composed: true })));
    expect(heard).toEqual(['edit:Hi Ada']);
  });

  it('ignores synthetic keystrokes (the queue has single-key shortcuts)', () => {
    const { button, heard } = panel();
    button.dispatchEvent(new KeyboardEvent('keydown', { key: 'c', bubbles: true, composed: true }));
    button.dispatchEvent(trusted(new KeyboardEvent('keydown', { key: 'c', bubbles: true, composed: true })));
    expect(heard).toEqual(['key:c']);
  });

  it('leaves other events alone', () => {
    const { select, heard } = panel();
    select.dispatchEvent(new Event('change', { bubbles: true }));
    expect(heard).toEqual(['select']);
  });
});
