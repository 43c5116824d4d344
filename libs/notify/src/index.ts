export * from './message';
export * from './signing';
export * from './destination';
export * from './http';
export * from './email';
export * from './wecom';
export * from './dingtalk';
export * from './webhook';
