import { fireEvent } from '@testing-library/react';

// Setup for vitest.preact.config.ts. Preact's React layer listens to `input` for a text field's onChange, as
// a browser fires it while the rep types; fireEvent.change dispatches `change` alone. Dispatch both, as a
// real edit does, so the same component tests run under React and under Preact.
const change = fireEvent.change;
fireEvent.change = ((element: Element, init?: object) => {
  const result = change(element, init);
  fireEvent.input(element);
  return result;
}) as typeof fireEvent.change;
