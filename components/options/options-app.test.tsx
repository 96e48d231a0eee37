import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { OptionsApp, parseHash, type OptionsPage } from './options-app';

const pages: OptionsPage[] = [
  { id: 'sequences', label: 'Sequences', render: ({ rest }) => <p>sequences {rest.join(',')}</p> },
  { id: 'settings', label: 'Settings', render: () => <p>settings page</p> },
];

afterEach(() => {
  cleanup();
  location.hash = '';
});

describe('the options app', () => {
  it('reads nested routes from the hash, decoding each part', () => {
    expect(parseHash('#/sequences/a%20b/edit')).toEqual(['sequences', 'a b', 'edit']);
    expect(parseHash('')).toEqual([]);
  });

  it('opens the first page when the hash names none, and marks its tab as current', () => {
    render(<OptionsApp pages={pages} />);
    expect(screen.getByText('sequences')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Sequences' }).getAttribute('aria-current')).toBe('page');
  });

  it('follows the hash to another page and hands the page the rest of the route', async () => {
    location.hash = '#/sequences/s1';
    render(<OptionsApp pages={pages} />);
    expect(screen.getByText('sequences s1')).toBeTruthy();
    location.hash = '#/settings';
    expect(await screen.findByText('settings page')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Settings' }).getAttribute('aria-current')).toBe('page');
  });
});
