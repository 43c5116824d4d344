export * from './model';
export * from './password-sheet';
export * from './read-table';
export * from './rows';
export * from './read-in-worker';
