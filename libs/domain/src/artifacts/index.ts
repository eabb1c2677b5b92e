export * from './artifact-path';
export * from './artifact-uri';
