export * from './calendar';
export * from './slots';
export * from './transitions';
export * from './content';
export * from './plan';
export * from './eligibility';
