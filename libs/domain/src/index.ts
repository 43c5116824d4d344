export * from './deadline-text';
export * from './errors';
export * from './plan';
export * from './unit';
export * from './user';
