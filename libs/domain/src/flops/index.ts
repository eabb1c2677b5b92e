export * from './identifiers';
export * from './naming';
export * from './objective';
export * from './project-list';
export * from './project-view';
export * from './promotion';
export * from './records';
export * from './tags';
