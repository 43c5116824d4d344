import { createAdmin, CreateAdminRefused, USERNAME_PATTERN } from '@county/api';

const USAGE = `usage: npm run admin -- create-admin <username> [--name <显示名>] [--unit <unitId>]
  Creates the first (or another) administrator in the database at DATABASE_URL, running migrations first,
  and prints a one-time password that must be changed at the first login. Refuses an existing username.`;

/** Administrative commands run on the server (`npm run admin -- <command>`). */
async function main(argv: string[]): Promise<number> {
  const [command, username, ...rest] = argv;
  if (command !== 'create-admin' || !username || username.startsWith('-')) {
    console.error(USAGE);
    return 2;
  }
  if (!USERNAME_PATTERN.test(username)) {
    console.error(`用户名 "${username}" 无效：2–80 个字母、数字、"."、"_" 或 "-"`);
    return 2;
  }
  const flags = new Map<string, string>();
  for (let i = 0; i < rest.length; i += 2) {
    if (!['--name', '--unit'].includes(rest[i]) || rest[i + 1] === undefined) {
      console.error(USAGE);
      return 2;
    }
    flags.set(rest[i], rest[i + 1]);
  }
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.error('DATABASE_URL is not set: it names the database to create the administrator in.');
    return 2;
  }
  try {
    const { oneTimePassword } = await createAdmin({
      databaseUrl,
      username,
      displayName: flags.get('--name'),
      unitId: flags.get('--unit'),
      log: (message) => console.error(`[admin] ${message}`),
    });
    console.log(`已创建管理员 ${username}。一次性密码（只显示这一次，首次登录后须修改）：`);
    console.log(oneTimePassword);
    return 0;
  } catch (error) {
    if (error instanceof CreateAdminRefused) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
