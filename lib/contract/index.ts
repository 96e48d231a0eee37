export * from './errors';
export * from './auth';
export * from './sync';
export * from './mutations';
export * from './lease';
export * from './tracking';
export * from './analytics';
