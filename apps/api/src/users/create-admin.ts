import { randomBytes } from 'node:crypto';
import { oneTimePassword, Role, UnitKind } from '@county/domain';
import { createDataSource, isUserWriteRefusal, UnitRepository, UserRepository } from '@county/persistence';
import { PasswordService } from '../auth/password.service';
import { prepareDatabase } from '../database/prepare-database';

export interface CreateAdminOptions {
  databaseUrl: string;
  username: string;
  displayName?: string;
  /** The administrator's unit; the supervision office (督查室) unless given. */
  unitId?: string;
  log?: (message: string) => void;
}

export class CreateAdminRefused extends Error {}

/**
 * `npm run admin -- create-admin <username>`: the first administrator of an installation (production has no
 * demo users). Brings the database up to date first, refuses a username that exists (its password is never
 * touched), and answers a one-time password the administrator must change at the first login.
 */
export async function createAdmin(options: CreateAdminOptions): Promise<{ userId: string; oneTimePassword: string }> {
  await prepareDatabase({ databaseUrl: options.databaseUrl, log: options.log });
  const dataSource = await createDataSource({ url: options.databaseUrl, applicationName: 'county-admin' }).initialize();
  try {
    const units = await new UnitRepository(dataSource).list();
    const unit = options.unitId
      ? units.find((candidate) => candidate.id === options.unitId)
      : units.find((candidate) => candidate.kind === UnitKind.Supervision);
    if (!unit) throw new CreateAdminRefused(`单位 "${options.unitId ?? UnitKind.Supervision}" 不存在`);
    const password = oneTimePassword(randomBytes);
    const result = await new UserRepository(dataSource).create(
      {
        username: options.username,
        displayName: options.displayName ?? '系统管理员',
        unitId: unit.id,
        roles: [Role.Admin],
        passwordHash: await new PasswordService().hash(password),
        mustChangePassword: true,
      },
      { userId: null, unitId: null },
    );
    if (isUserWriteRefusal(result)) {
      throw new CreateAdminRefused(
        result.refused === 'duplicate-username'
          ? `用户 "${options.username}" 已存在，未做任何修改（如需重置其密码，请由管理员在用户管理中操作）`
          : `无法创建用户：${result.refused}`,
      );
    }
    return { userId: result.id, oneTimePassword: password };
  } finally {
    await dataSource.destroy();
  }
}
