import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { DataTable, type Column } from './data-table';

interface Rep {
  name: string;
  replies: number;
  rate: number | null;
}
const reps: Rep[] = Array.from({ length: 45 }, (_, i) => ({
  name: `Rep ${String(i + 1).padStart(2, '0')}`,
  replies: (i * 7) % 45,
  rate: i % 10 === 0 ? null : i / 100,
}));
const columns: Column<Rep>[] = [
  { key: 'name', label: 'Rep', value: (r) => r.name },
  { key: 'replies', label: 'Replied', numeric: true, value: (r) => r.replies },
  { key: 'rate', label: 'Reply rate', numeric: true, value: (r) => r.rate },
];

afterEach(cleanup);
const names = () =>
  screen
    .getAllByRole('row')
    .slice(1)
    .map((r) => r.children[0]!.textContent);

describe('a long table', () => {
  it('shows twenty rows at a time and pages through the rest', () => {
    render(<DataTable caption="Reps" columns={columns} rows={reps} rowKey={(r) => r.name} />);
    expect(names()).toHaveLength(20);
    expect(screen.getByText('Rows 1–20 of 45')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Previous' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(screen.getByText('Rows 41–45 of 45')).toBeTruthy();
    expect(names()).toEqual(['Rep 41', 'Rep 42', 'Rep 43', 'Rep 44', 'Rep 45']);
    expect((screen.getByRole('button', { name: 'Next' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('sorts a number column high to low first, then low to high, with "no data" last both ways', () => {
    render(<DataTable caption="Reps" columns={columns} rows={reps} rowKey={(r) => r.name} pageSize={50} />);
    const header = () => screen.getAllByRole('columnheader')[2]!;
    fireEvent.click(within(header()).getByRole('button'));
    expect(header().getAttribute('aria-sort')).toBe('descending');
    expect(names()[0]).toBe('Rep 45');
    expect(names().slice(-5)).toEqual(['Rep 01', 'Rep 11', 'Rep 21', 'Rep 31', 'Rep 41']);
    fireEvent.click(within(header()).getByRole('button'));
    expect(header().getAttribute('aria-sort')).toBe('ascending');
    expect(names()[0]).toBe('Rep 02');
    expect(names().slice(-5)).toEqual(['Rep 01', 'Rep 11', 'Rep 21', 'Rep 31', 'Rep 41']);
  });
});
