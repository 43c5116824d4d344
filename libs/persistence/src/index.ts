export { DataSource } from 'typeorm';
export * from './data-source';
export * from './entities/login-attempt.entity';
export * from './entities/unit.entity';
export * from './entities/user.entity';
export * from './repositories/login-attempt.repository';
export * from './repositories/unit.repository';
export * from './repositories/user.repository';
