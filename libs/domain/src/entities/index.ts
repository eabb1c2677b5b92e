export * from './common';
export * from './experiment';
export * from './run';
export * from './logged-model';
export * from './registry';
export * from './file-info';
