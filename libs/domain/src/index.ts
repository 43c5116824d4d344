export * from './errors';
export * from './unit';
export * from './user';
