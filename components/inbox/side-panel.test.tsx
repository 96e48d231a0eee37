import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { DealCardView } from '../../lib/protocol/deals-received';
import { SidePanel } from './side-panel';

afterEach(cleanup);

const view = {
  deal: { id: 'd1', name: 'Acme', stageId: 'qualified', updatedAt: 1, facts: {} },
  pipeline: {
    name: 'B2B sales',
    gate: 'warn',
    stages: [{ id: 'qualified', name: 'Qualified', kind: 'open' }],
  },
  stage: { id: 'qualified', name: 'Qualified', goal: '', cards: [] },
  facts: [],
  health: 'red',
  flags: [],
  nextStep: { kind: 'action', label: 'Send the recap', actionType: 'recap' },
  checklist: [],
  contacts: [{ contactId: 'c1', email: 'ada@acme.example', role: 'other' }],
} satisfies DealCardView;

const fixIt = {
  dealId: 'd1',
  dealName: 'Acme',
  severity: 'error',
  message: 'Gone quiet',
  because: ['no email in 14 days'],
  nextStep: 'Send the recap',
  raisedAt: 1,
};

/** The background as the side panel reaches it; `outlook`: whether it knows an Outlook to open. */
function runtime(outlook: boolean) {
  const sent: { name: string; request: unknown }[] = [];
  return {
    sent,
    id: 'ext',
    onMessage: { addListener() {} },
    async sendMessage(message: unknown) {
      const { name, request } = message as { name: string; request: unknown };
      sent.push({ name, request });
      if (name === 'deals.fixits') return { ok: true, data: { items: [fixIt] } };
      if (name === 'deal.runNextStep')
        return { ok: true, data: { done: 'Send the recap', reply: { body: 'Hi Ada,' }, view } };
      if (name === 'compose.outlook') return { ok: true, data: { opened: outlook } };
      return { ok: false, error: `unexpected ${name}` };
    },
  };
}
const storage = {
  get: async () => ({}),
  onChanged: { addListener() {}, removeListener() {} },
};

describe('a fix-it’s recap in the browser’s side panel', () => {
  it('asks the background to open Outlook’s new message, and says it is open', async () => {
    const rt = runtime(true);
    render(<SidePanel runtime={rt} storage={storage} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Send the recap: Acme' }));
    await waitFor(() => expect(screen.getByText(/a new message to ada@acme.example/)).toBeTruthy());
    expect(rt.sent.find((m) => m.name === 'compose.outlook')?.request).toEqual({
      to: ['ada@acme.example'],
      subject: 'Acme',
      body: '<p>Hi Ada,</p>',
    });
    expect(screen.queryByRole('textbox', { name: /cannot open a new message/ })).toBeNull();
  });

  it('shows the text to copy when the background knows no Outlook to open', async () => {
    render(<SidePanel runtime={runtime(false)} storage={storage} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Send the recap: Acme' }));
    const box = (await screen.findByRole('textbox', {
      name: /cannot open a new message/,
    })) as HTMLTextAreaElement;
    expect(box.value).toBe('Hi Ada,');
  });
});
