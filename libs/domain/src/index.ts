export * from './errors';
export * from './entities';
export * from './flops-vocabulary';
export * from './search';
export * from './ports';
export * from './rules';
export * from './artifacts';
