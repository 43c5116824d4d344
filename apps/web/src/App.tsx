import { ReactNode, useEffect, useState } from 'react';
import { getPages, sessionSettled, setSession, Unit, User } from './api';
import type { UnitListResponse } from './api-types';
import { Link } from './components';
import { UnitsContext, usePath, useSession, useUnreadCount } from './hooks';
import { roleLabel } from './labels';
import { BoardPage } from './pages/BoardPage';
import { BulletinsPage } from './pages/BulletinsPage';
import { CallPage } from './pages/CallPage';
import { CallsPage } from './pages/CallsPage';
import { ChannelsPage } from './pages/ChannelsPage';
import { DelegationPage } from './pages/DelegationPage';
import { DeliveriesPage } from './pages/DeliveriesPage';
import { DonePage } from './pages/DonePage';
import { ImportPage } from './pages/ImportPage';
import { InboxPage } from './pages/InboxPage';
import { LoginPage } from './pages/LoginPage';
import { NotificationsPage } from './pages/NotificationsPage';
import { PasswordPage } from './pages/PasswordPage';
import { SearchForm, SearchPage } from './pages/SearchPage';
import { SettingsPage } from './pages/SettingsPage';
import { TaskPage } from './pages/TaskPage';
import { TasksPage } from './pages/TasksPage';
import { UnitsPage } from './pages/UnitsPage';
import { UsersPage } from './pages/UsersPage';

const BOARD_ROLES: User['roles'] = ['supervisor', 'leader', 'admin'];
const IMPORT_ROLES: User['roles'] = ['supervisor', 'admin'];
export const canSeeBoard = (user: User) => BOARD_ROLES.some((role) => user.roles.includes(role));
export const canImport = (user: User) => IMPORT_ROLES.some((role) => user.roles.includes(role));
export const isAdmin = (user: User) => user.roles.includes('admin');

export function App() {
  const session = useSession();
  const [units, setUnits] = useState<Map<string, Unit>>(new Map());
  const [settled, setSettled] = useState(false);
  useEffect(() => {
    void sessionSettled.then(() => setSettled(true));
  }, []);

  const mustChangePassword = session?.user.mustChangePassword ?? false;
  useEffect(() => {
    // With a one-time password the API answers nothing but the password change (and /me).
    if (!session || mustChangePassword) return;
    getPages<UnitListResponse>('/units?limit=500')
      .then((answer) => setUnits(new Map(answer.items.map((unit) => [unit.id, unit]))))
      .catch(() => undefined);
  }, [session, mustChangePassword]);

  // A new tab asks the others for their session first (api.ts), so a Ctrl-clicked link opens signed in.
  if (!session) return settled ? <LoginPage /> : <p className="muted">正在加载…</p>;
  if (session.user.mustChangePassword) return <PasswordPage forced />;
  const { user } = session;
  return (
    <UnitsContext.Provider value={units}>
      <header className="top">
        <div className="brand">平罗县任务清单督办</div>
        <nav aria-label="主导航">
          <NavLink to="/">待办</NavLink>
          <NavLink to="/done">已办</NavLink>
          <NavLink to="/tasks">任务</NavLink>
          <NavLink to="/calls">乡呼县应</NavLink>
          {canSeeBoard(user) && <NavLink to="/board">督查看板</NavLink>}
          <NavLink to="/bulletins">通报</NavLink>
          {canImport(user) && <NavLink to="/import">导入</NavLink>}
          {isAdmin(user) && <NavLink to="/units">单位管理</NavLink>}
          {isAdmin(user) && <NavLink to="/users">用户管理</NavLink>}
          {isAdmin(user) && <NavLink to="/channels">通知渠道</NavLink>}
          {isAdmin(user) && <NavLink to="/deliveries">投递记录</NavLink>}
          {(user.roles.includes('head') || user.roles.includes('staff')) && <NavLink to="/delegations">委派</NavLink>}
          <NotificationsLink />
          <NavLink to="/settings">通知设置</NavLink>
        </nav>
        <SearchForm compact />
        <div className="who" data-testid="who">
          <span className="who-name">{user.displayName}</span>
          <span className="who-unit">{user.unit.name}</span>
          <span className="who-role">{user.roles.map(roleLabel).join('、')}</span>
          <Link to="/password" className="link-button">
            修改密码
          </Link>
          <button type="button" className="link-button" onClick={() => setSession(null)}>
            退出
          </button>
        </div>
      </header>
      <main>
        <Routes user={user} />
      </main>
    </UnitsContext.Provider>
  );
}

function NavLink({ to, children }: { to: string; children: ReactNode }) {
  const path = usePath();
  const active = to === '/' ? path === '/' : path.startsWith(to);
  return (
    <Link to={to} className={active ? 'active' : undefined}>
      {children}
    </Link>
  );
}

/** 通知 with the unread count beside it; no number at all when everything is read. */
function NotificationsLink() {
  const unread = useUnreadCount();
  return (
    <NavLink to="/notifications">
      通知
      {unread ? (
        <span className="badge" data-testid="unread-badge" title={`${unread} 条未读通知`}>
          {unread}
        </span>
      ) : null}
    </NavLink>
  );
}

function Routes({ user }: { user: User }) {
  const path = usePath();
  const task = /^\/tasks\/([0-9a-f-]{36})$/.exec(path);
  if (task) return <TaskPage taskId={task[1]} />;
  const call = /^\/calls\/([0-9a-f-]{36})$/.exec(path);
  if (call) return <CallPage callId={call[1]} />;
  if (path === '/tasks') return <TasksPage user={user} />;
  if (path === '/calls') return <CallsPage user={user} />;
  if (path === '/search') return <SearchPage user={user} />;
  if (path === '/done') return <DonePage />;
  if (path === '/board' && canSeeBoard(user)) return <BoardPage user={user} />;
  if (path === '/import' && canImport(user)) return <ImportPage />;
  if (path === '/units' && isAdmin(user)) return <UnitsPage />;
  if (path === '/users' && isAdmin(user)) return <UsersPage />;
  if (path === '/channels' && isAdmin(user)) return <ChannelsPage />;
  if (path === '/deliveries' && isAdmin(user)) return <DeliveriesPage />;
  if (path === '/settings') return <SettingsPage />;
  if (path === '/password') return <PasswordPage />;
  if (path === '/delegations') return <DelegationPage user={user} />;
  if (path === '/notifications') return <NotificationsPage />;
  if (path === '/bulletins') return <BulletinsPage user={user} />;
  if (path === '/' || path === '/login') return <InboxPage />;
  return (
    <section>
      <h1>页面不存在</h1>
      <p>
        <Link to="/">返回待办</Link>
      </p>
    </section>
  );
}
