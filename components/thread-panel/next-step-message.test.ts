import { describe, expect, it, vi } from 'vitest';
import { replyHtml } from '../../lib/templates/reply';
import { qualifiedDeal } from './deal-view.test-helper';
import { nextStepMessage, openNextStepMessage } from './next-step-message';

const view = qualifiedDeal();

describe('the new message of a meeting or recap step (deal card and fix-it alike)', () => {
  it('goes to the first contact, “Re:” the thread, once (a subject already “Re:” is kept)', () => {
    expect(nextStepMessage(view, 'Hi Ada', 'Acme hiring plans')).toEqual({
      to: ['ada@acme.example'],
      subject: 'Re: Acme hiring plans',
      body: replyHtml('Hi Ada'),
    });
    expect(nextStepMessage(view, 'Hi Ada', 'RE: Acme hiring plans')?.subject).toBe('RE: Acme hiring plans');
  });

  it('takes the deal’s name without a thread subject, and is none without a contact', () => {
    expect(nextStepMessage(view, 'Hi', undefined)?.subject).toBe(view.deal.name);
    expect(nextStepMessage(view, 'Hi', '  ')?.subject).toBe(view.deal.name);
    expect(nextStepMessage({ ...view, contacts: [] }, 'Hi', 'Acme hiring plans')).toBeUndefined();
  });

  it('says it opened only when the host’s compose did', async () => {
    const yes = vi.fn(async () => true);
    expect(await openNextStepMessage(yes, view, 'Hi', 'Plans')).toMatchObject({ subject: 'Re: Plans' });
    expect(await openNextStepMessage(async () => false, view, 'Hi', 'Plans')).toBeUndefined();
    expect(
      await openNextStepMessage(() => Promise.reject(new Error('no compose')), view, 'Hi', 'Plans'),
    ).toBeUndefined();
    expect(await openNextStepMessage(undefined, view, 'Hi', 'Plans')).toBeUndefined();
  });
});
