export * from './search-types';
export {
  MAX_FILTER_CLAUSES,
  MAX_FILTER_LENGTH,
  MAX_IN_LIST_VALUES,
  MAX_ORDER_BY_CLAUSES,
  MAX_ORDER_BY_CLAUSE_LENGTH,
} from './search-syntax';
export * from './filter-parser';
export * from './order-by-parser';
export * from './page-token';
