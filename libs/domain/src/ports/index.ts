export * from './experiment-store';
export * from './run-store';
