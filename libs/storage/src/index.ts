export * from './content-type';
export * from './file-store';
