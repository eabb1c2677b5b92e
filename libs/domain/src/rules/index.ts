export * from './integers';
export * from './limits';
export * from './metrics';
export * from './registry';
export * from './run-names';
export * from './validation';
