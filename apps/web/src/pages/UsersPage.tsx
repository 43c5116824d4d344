import { FormEvent, useState } from 'react';
import { errorMessage, get, patch, post } from '../api';
import type {
  CreateUserRequest,
  UpdateUserRequest,
  UserAccountResponse,
  UserListResponse,
  UserWithPasswordResponse,
} from '../api-types';
import { ErrorText, Loading } from '../components';
import { usePolling, useUnitName, useUnits } from '../hooks';
import { roleLabel } from '../labels';

type Account = UserAccountResponse;
const ROLES = ['staff', 'head', 'supervisor', 'leader', 'admin'] as const;
const PAGE = 50;

/** 用户管理 (admins): list and filter, create (the one-time password is shown once), edit, disable, reset. */
export function UsersPage() {
  const [filter, setFilter] = useState({ unitId: '', role: '', text: '' });
  const [offset, setOffset] = useState(0);
  const [revealed, setRevealed] = useState<{ username: string; password: string } | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const query = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
  for (const [key, value] of Object.entries(filter)) if (value) query.set(key, value);
  const users = usePolling(() => get<UserListResponse>(`/users?${query.toString()}`), query.toString(), 10_000);
  const units = useUnits();
  const unitName = useUnitName();

  const reveal = (answer: UserWithPasswordResponse) => {
    setRevealed({ username: answer.user.username, password: answer.oneTimePassword });
    users.refresh();
  };

  return (
    <section>
      <h1>用户管理</h1>
      {revealed && (
        <div className="notice" role="status" data-testid="one-time-password">
          <p>
            用户 <strong>{revealed.username}</strong>{' '}
            的一次性密码（只显示这一次，请当面或电话告知本人，首次登录后须修改）：
          </p>
          <p>
            <code className="one-time-password">{revealed.password}</code>
          </p>
          <button type="button" onClick={() => setRevealed(null)}>
            我已记下
          </button>
        </div>
      )}
      <CreateUserForm onCreated={reveal} />

      <h2>用户列表</h2>
      <form className="filters" aria-label="筛选用户" onSubmit={(event) => event.preventDefault()}>
        <select
          aria-label="单位"
          value={filter.unitId}
          onChange={(event) => (setOffset(0), setFilter({ ...filter, unitId: event.target.value }))}
        >
          <option value="">全部单位</option>
          {units.map((unit) => (
            <option key={unit.id} value={unit.id}>
              {unit.name}
            </option>
          ))}
        </select>
        <select
          aria-label="角色"
          value={filter.role}
          onChange={(event) => (setOffset(0), setFilter({ ...filter, role: event.target.value }))}
        >
          <option value="">全部角色</option>
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {roleLabel(role)}
            </option>
          ))}
        </select>
        <input
          aria-label="搜索"
          placeholder="用户名、姓名、手机或邮箱"
          value={filter.text}
          maxLength={200}
          onChange={(event) => (setOffset(0), setFilter({ ...filter, text: event.target.value }))}
        />
      </form>
      {!users.data ? (
        <Loading error={users.error} />
      ) : users.data.items.length === 0 ? (
        <p className="muted">没有符合条件的用户。</p>
      ) : (
        <>
          <table className="users">
            <thead>
              <tr>
                <th>用户名</th>
                <th>姓名</th>
                <th>单位</th>
                <th>角色</th>
                <th>手机</th>
                <th>状态</th>
                <th>操作</th>
              </tr>
            </thead>
            <tbody>
              {users.data.items.map((account) => (
                <UserRow
                  key={account.id}
                  account={account}
                  unitName={unitName(account.unitId)}
                  editing={editing === account.id}
                  onEdit={() => setEditing(editing === account.id ? null : account.id)}
                  onChanged={() => (setEditing(null), users.refresh())}
                  onReset={reveal}
                />
              ))}
            </tbody>
          </table>
          <p className="meta">
            <span>
              共 {users.data.total} 人，第 {offset + 1}–{offset + users.data.items.length} 人
            </span>
            {offset > 0 && (
              <button type="button" onClick={() => setOffset(Math.max(0, offset - PAGE))}>
                上一页
              </button>
            )}
            {offset + PAGE < users.data.total && (
              <button type="button" onClick={() => setOffset(offset + PAGE)}>
                下一页
              </button>
            )}
          </p>
        </>
      )}
      {users.error && users.data && <ErrorText message={users.error} />}
    </section>
  );
}

function UserRow({
  account,
  unitName,
  editing,
  onEdit,
  onChanged,
  onReset,
}: {
  account: Account;
  unitName: string;
  editing: boolean;
  onEdit: () => void;
  onChanged: () => void;
  onReset: (answer: UserWithPasswordResponse) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const can = (action: Account['allowedActions'][number]) => account.allowedActions.includes(action);
  const act = async (run: () => Promise<unknown>) => {
    setError(null);
    try {
      await run();
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };
  return (
    <>
      <tr data-user={account.username} className={account.disabled ? 'muted' : undefined}>
        <td>{account.username}</td>
        <td>{account.displayName}</td>
        <td>{unitName}</td>
        <td>{account.roles.map(roleLabel).join('、')}</td>
        <td>{account.phone ?? '—'}</td>
        <td>{account.disabled ? '已停用' : account.mustChangePassword ? '待修改初始密码' : '正常'}</td>
        <td className="actions">
          {can('edit') && (
            <button type="button" onClick={onEdit}>
              {editing ? '收起' : '编辑'}
            </button>
          )}
          {can('disable') && (
            <button
              type="button"
              className="danger"
              onClick={() =>
                window.confirm(`停用 ${account.displayName}？其所有登录将立即失效。`) &&
                void act(async () => {
                  await patch(`/users/${account.id}`, { disabled: true } satisfies UpdateUserRequest);
                  onChanged();
                })
              }
            >
              停用
            </button>
          )}
          {can('enable') && (
            <button
              type="button"
              onClick={() =>
                void act(async () => {
                  await patch(`/users/${account.id}`, { disabled: false } satisfies UpdateUserRequest);
                  onChanged();
                })
              }
            >
              启用
            </button>
          )}
          {can('reset-password') && (
            <button
              type="button"
              onClick={() =>
                window.confirm(`为 ${account.displayName} 重置密码？其原密码和所有登录将立即失效。`) &&
                void act(async () =>
                  onReset(await post<UserWithPasswordResponse>(`/users/${account.id}/reset-password`)),
                )
              }
            >
              重置密码
            </button>
          )}
          <ErrorText message={error} />
        </td>
      </tr>
      {editing && (
        <tr className="edit-row">
          <td colSpan={7}>
            <UserForm
              account={account}
              submitLabel="保存"
              onSubmit={async (values) => {
                await patch(`/users/${account.id}`, {
                  displayName: values.displayName,
                  unitId: values.unitId,
                  roles: values.roles,
                  phone: values.phone || null,
                  email: values.email || null,
                } satisfies UpdateUserRequest);
                onChanged();
              }}
            />
          </td>
        </tr>
      )}
    </>
  );
}

function CreateUserForm({ onCreated }: { onCreated: (answer: UserWithPasswordResponse) => void }) {
  const [open, setOpen] = useState(false);
  if (!open)
    return (
      <p>
        <button type="button" className="primary" onClick={() => setOpen(true)}>
          新建用户
        </button>
      </p>
    );
  return (
    <div className="card">
      <h2>新建用户</h2>
      <UserForm
        submitLabel="创建"
        onCancel={() => setOpen(false)}
        onSubmit={async (values) => {
          const answer = await post<UserWithPasswordResponse>('/users', {
            username: values.username,
            displayName: values.displayName,
            unitId: values.unitId,
            roles: values.roles,
            ...(values.phone ? { phone: values.phone } : {}),
            ...(values.email ? { email: values.email } : {}),
          } satisfies CreateUserRequest);
          setOpen(false);
          onCreated(answer);
        }}
      />
    </div>
  );
}

interface UserValues {
  username: string;
  displayName: string;
  unitId: string;
  roles: string[];
  phone: string;
  email: string;
}

/** The fields of a user; a new user also has a username (it never changes afterwards). */
function UserForm({
  account,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  account?: Account;
  submitLabel: string;
  onSubmit: (values: UserValues) => Promise<void>;
  onCancel?: () => void;
}) {
  const units = useUnits();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const prefix = account ? `edit-${account.id}` : 'new-user';

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const values: UserValues = {
      username: String(form.get('username') ?? '').trim(),
      displayName: String(form.get('displayName')).trim(),
      unitId: String(form.get('unitId')),
      roles: form.getAll('roles').map(String),
      phone: String(form.get('phone')).trim(),
      email: String(form.get('email')).trim(),
    };
    if (values.roles.length === 0) {
      setError('请至少选择一个角色。');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSubmit(values);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} className="user-form" aria-label={account ? `编辑 ${account.username}` : '新建用户'}>
      {!account && (
        <div className="field">
          <label htmlFor={`${prefix}-username`}>用户名</label>
          <input id={`${prefix}-username`} name="username" required maxLength={80} autoComplete="off" />
        </div>
      )}
      <div className="field">
        <label htmlFor={`${prefix}-displayName`}>姓名</label>
        <input
          id={`${prefix}-displayName`}
          name="displayName"
          required
          maxLength={100}
          defaultValue={account?.displayName}
        />
      </div>
      <div className="field">
        <label htmlFor={`${prefix}-unitId`}>单位</label>
        <select id={`${prefix}-unitId`} name="unitId" required defaultValue={account?.unitId ?? ''}>
          <option value="" disabled>
            请选择
          </option>
          {units.map((unit) => (
            <option key={unit.id} value={unit.id}>
              {unit.name}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="field">
        <legend>角色</legend>
        {ROLES.map((role) => (
          <label key={role} className="check">
            <input type="checkbox" name="roles" value={role} defaultChecked={account?.roles.includes(role)} />
            {roleLabel(role)}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor={`${prefix}-phone`}>手机</label>
        <input id={`${prefix}-phone`} name="phone" maxLength={40} defaultValue={account?.phone ?? ''} />
      </div>
      <div className="field">
        <label htmlFor={`${prefix}-email`}>邮箱</label>
        <input id={`${prefix}-email`} name="email" type="email" maxLength={254} defaultValue={account?.email ?? ''} />
      </div>
      <ErrorText message={error} />
      <div className="dialog-buttons">
        {onCancel && (
          <button type="button" onClick={onCancel} disabled={busy}>
            取消
          </button>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? '提交中…' : submitLabel}
        </button>
      </div>
    </form>
  );
}
