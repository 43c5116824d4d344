export * from './cells';
export * from './docx-table';
export * from './model';
export * from './parse-in-worker';
export * from './parse-plan';
export * from './text-table';
export * from './resolve-units';
export * from './unknown-deadlines';
