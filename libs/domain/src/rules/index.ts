export * from './limits';
export * from './validation';
export * from './metrics';
export * from './run-names';
export * from './registry';
