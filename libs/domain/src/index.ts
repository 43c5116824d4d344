export * from './deadline-text';
export * from './duration';
export * from './errors';
export * from './plan';
export * from './policy';
export * from './unit';
export * from './user';
export * from './working-calendar';
