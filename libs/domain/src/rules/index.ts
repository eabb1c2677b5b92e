export * from './limits';
export * from './metrics';
export * from './proto-scalars';
export * from './proto-time';
export * from './python-repr';
export * from './registry';
export * from './run-names';
export * from './validation';
