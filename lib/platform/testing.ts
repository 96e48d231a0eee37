import type { ActionApi, IconState } from './action-icon';

/** A stand-in for chrome.action in tests: remembers every icon set, like the real one shows the last. */
export function createFakeAction(): ActionApi & {
  calls: Record<string, string>[];
  current(): IconState | undefined;
} {
  const calls: Record<string, string>[] = [];
  return {
    calls,
    setIcon({ path }) {
      if (!path['16'] || !path['128']) throw new Error('setIcon: a path for 16 and 128 px is required');
      calls.push(path);
    },
    current() {
      const last = calls.at(-1);
      if (!last) return undefined;
      return last['16']!.includes('on-hold') ? 'on_hold' : 'normal';
    },
  };
}
