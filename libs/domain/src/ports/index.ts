export * from './artifact-partitions';
export * from './artifact-store';
export * from './experiment-store';
export * from './flops-store';
export * from './identity-store';
export * from './logged-model-store';
export * from './model-registry-store';
export * from './run-store';
