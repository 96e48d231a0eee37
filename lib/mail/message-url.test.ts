import { describe, expect, it } from 'vitest';
import { messageUrl } from './message-url';

describe('a link to one message in the rep’s mail client', () => {
  it('opens Outlook on the origin the rep is on, outlook.cloud.microsoft included', () => {
    expect(messageUrl('graph', 'AAMk+x/y=', 'https://outlook.cloud.microsoft/mail/inbox')).toBe(
      'https://outlook.cloud.microsoft/mail/deeplink/read/AAMk%2Bx%2Fy%3D',
    );
    expect(messageUrl('graph', 'AAMk', 'https://outlook.live.com/mail/0/')).toBe(
      'https://outlook.live.com/mail/deeplink/read/AAMk',
    );
  });

  it('falls back to outlook.office.com when asked from elsewhere (the side panel)', () => {
    expect(messageUrl('graph', 'AAMk', 'chrome-extension://ext/sidepanel.html')).toBe(
      'https://outlook.office.com/mail/deeplink/read/AAMk',
    );
  });

  it('opens Gmail by message id, and nothing for a provider with no web client', () => {
    expect(messageUrl('gmail', '18c2f')).toBe('https://mail.google.com/mail/u/0/#all/18c2f');
    expect(messageUrl('fake', 'x')).toBeUndefined();
  });
});
