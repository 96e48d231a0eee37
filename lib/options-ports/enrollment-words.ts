import type { PauseReason } from '../domain/enrollment-reasons';

/**
 * A pause's reason in the options page's words ("Paused by the rep", "Paused (out of office)"), for the
 * enrollments table, the contact's page and its timeline alike.
 */
export const PAUSE_WORDS: Record<PauseReason, string> = {
  manual: 'by the rep',
  out_of_office: 'out of office',
  needs_attention: 'needs attention',
};
