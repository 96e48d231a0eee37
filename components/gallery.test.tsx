import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import { Gallery } from './gallery';

afterEach(cleanup);

it('renders every screen of the gallery in both themes', () => {
  const { container } = render(<Gallery />);
  const frames = container.querySelectorAll('figure[data-screen]');
  expect(frames).toHaveLength(22);
  expect(container.querySelectorAll('[data-theme="dark"]')).toHaveLength(11);
  expect(screen.getAllByRole('heading', { name: 'People in this thread' }).length).toBeGreaterThan(0);
});
