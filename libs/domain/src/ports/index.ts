export * from './experiment-store';
export * from './run-store';
export * from './artifact-store';
export * from './logged-model-store';
export * from './model-registry-store';
