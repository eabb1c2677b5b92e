export * from './artifact-path';
