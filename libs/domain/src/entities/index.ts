export * from './common';
export * from './experiment';
export * from './file-info';
export * from './logged-model';
export * from './registry';
export * from './run';
export * from './trace';
