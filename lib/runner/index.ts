export * from './deps';
export * from './tick';
export * from './send';
export * from './actions';
export * from './enroll';
export * from './context';
