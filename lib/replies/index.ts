export { classify } from './classify';
export { parseHeaders } from './headers';
export { parseInbound } from './parse';
export { findReturnDate } from './return-date';
export { BOUNCE_REASONS, PERMANENT_REASONS } from './types';
export type * from './types';
