export { classify } from './classify';
export { parseInbound } from './parse';
export { findReturnDate } from './return-date';
export type * from './types';
