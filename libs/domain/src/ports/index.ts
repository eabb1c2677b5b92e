export * from './artifact-partitions';
export * from './artifact-store';
export * from './experiment-store';
export * from './identity-store';
export * from './logged-model-store';
export * from './model-registry-store';
export * from './run-store';
export * from './trace-store';
