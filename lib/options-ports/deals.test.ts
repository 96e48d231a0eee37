import { describe, expect, it } from 'vitest';
import type { DealsBoardView, DealsPort } from './interfaces/deals';
import { withFirstLoadStarted } from './deals';

const view = (me: string): DealsBoardView => ({ me, canOverride: false, playbooks: [], deals: [] });

describe('withFirstLoadStarted (the options page opened on the Deals board)', () => {
  it('starts the first load at once, hands it to the first caller, and loads anew after', async () => {
    let loads = 0;
    const port: DealsPort = {
      load: async () => view(`load ${++loads}`),
      move: async () => ({ ok: true, outcome: 'clean', message: 'Moved' }),
    };
    const primed = withFirstLoadStarted(port);
    expect(loads).toBe(1); // before the board asked
    expect((await primed.load()).me).toBe('load 1');
    expect(loads).toBe(1);
    expect((await primed.load()).me).toBe('load 2');
    expect(await primed.move('d1', 'demo')).toEqual({ ok: true, outcome: 'clean', message: 'Moved' });
  });

  it('keeps a failed first load for the board to show, and the board’s retry loads again', async () => {
    let loads = 0;
    const port: DealsPort = {
      load: async () => {
        if (++loads === 1) throw new Error('database closed');
        return view('ok');
      },
      move: async () => ({ ok: false, message: 'no', unmet: [], canOverride: false }),
    };
    const primed = withFirstLoadStarted(port);
    await new Promise((r) => setTimeout(r, 0)); // the failure arrives before anyone asks: no unhandled rejection
    await expect(primed.load()).rejects.toThrow('database closed');
    expect((await primed.load()).me).toBe('ok');
  });
});
