export { classify } from './classify';
export { bounceReason, isPermanent } from './bounce-reason';
export { headerHints, parseHeaders } from './headers';
export { parseInbound, UnreadableMessageError } from './parse';
export { findReturnDate } from './return-date';
export { BOUNCE_REASONS, PERMANENT_REASONS } from './types';
export type * from './types';
