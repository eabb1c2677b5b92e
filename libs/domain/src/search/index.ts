export * from './filter-parser';
export * from './order-by-parser';
export * from './page-token';
export * from './search-types';
