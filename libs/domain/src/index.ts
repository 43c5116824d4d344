export * from './deadline-text';
export * from './errors';
export * from './unit';
export * from './user';
