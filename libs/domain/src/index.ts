export * from './artifacts';
export * from './entities';
export * from './errors';
export * from './flops-vocabulary';
export * from './ports';
export * from './redact-uri';
export * from './rules';
export * from './search';
