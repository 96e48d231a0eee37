export * from './common';
export * from './contact';
export * from './sequence';
export * from './enrollment';
export * from './task';
export * from './event';
export * from './suppression';
export * from './rep';
