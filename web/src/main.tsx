// SPDX-License-Identifier: MIT
// The shell of the web UI: who is logged in, the navigation the user's role
// allows, the language switch (remembered), and the page for the route.
import './style.css';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { handleUnauthorized, logout, whoami, type User } from './api';
import { lang, onLang, ROLE_NAMES, setLang, tr } from './i18n';
import { go, useRoute } from './route';
import { Spinner } from './components/ui';
import { LoginPage } from './pages/login';
import { Dashboard } from './pages/dashboard';
import { MapPage } from './pages/map';
import { DiagramPage } from './pages/diagram';
import { CustodianDetail, CustodianForm, Custodians } from './pages/custodians';
import { PledgePage } from './pages/pledge';
import { PatrolDetail, Patrols } from './pages/patrols';
import { IncidentsPage, MarkersPage } from './pages/more';
import { AwardsPage, CampaignPage, EventsPage, ModelsPage } from './pages/campaign';
import { ReportsPage } from './pages/reports';
import { AdminPage } from './pages/admin';
import { SettingsPage } from './pages/settings';

type Role = User['role'];
const RECORDS: Role[] = ['admin', 'station', 'commune'];
const ALL: Role[] = ['admin', 'station', 'commune', 'viewer'];

interface NavItem {
  path: string;
  vi: string;
  en: string;
  roles: Role[];
}

export const NAV: NavItem[] = [
  { path: 'dashboard', vi: 'Tổng quan', en: 'Overview', roles: ALL },
  { path: 'map', vi: 'Bản đồ', en: 'Map', roles: ALL },
  { path: 'diagram', vi: 'Sơ đồ thẳng', en: 'Straight-line diagram', roles: ALL },
  { path: 'custodians', vi: 'Hộ và tập thể', en: 'Households & collectives', roles: RECORDS },
  { path: 'pledge', vi: 'Ký nhận', en: 'Pledges', roles: RECORDS },
  { path: 'patrols', vi: 'Tuần tra', en: 'Patrols', roles: RECORDS },
  { path: 'markers', vi: 'Mốc quốc giới', en: 'Boundary markers', roles: ALL },
  { path: 'incidents', vi: 'Vụ việc', en: 'Incidents', roles: RECORDS },
  { path: 'campaign', vi: 'Vận động', en: 'Campaign', roles: ALL },
  { path: 'models', vi: 'Mô hình', en: 'Models', roles: ALL },
  { path: 'events', vi: 'Ngày 3/3', en: '3 March', roles: RECORDS },
  { path: 'awards', vi: 'Khen thưởng', en: 'Commendations', roles: RECORDS },
  { path: 'reports', vi: 'Báo cáo', en: 'Reports', roles: ALL },
  { path: 'admin', vi: 'Quản trị', en: 'Administration', roles: ['admin'] },
  { path: 'settings', vi: 'Cài đặt', en: 'Settings', roles: ALL },
];

function Page({ route, user }: { route: string[]; user: User }) {
  const [head, id, sub] = route;
  const item = NAV.find((n) => n.path === (head || 'dashboard'));
  if (item && !item.roles.includes(user.role)) {
    return (
      <section class="page">
        <h1 id="page-title" tabIndex={-1}>{tr('Không có quyền', 'Not allowed')}</h1>
        <p class="error" role="alert">
          {tr('Vai trò của bạn không được xem trang này.', 'Your role may not see this page.')}
        </p>
      </section>
    );
  }
  switch (head || 'dashboard') {
    case 'dashboard': return <Dashboard user={user} />;
    case 'map': return <MapPage user={user} />;
    case 'diagram': return <DiagramPage user={user} />;
    case 'custodians':
      if (id === 'new') return <CustodianForm user={user} />;
      if (id && sub === 'edit') return <CustodianForm user={user} id={id} />;
      if (id) return <CustodianDetail user={user} id={id} />;
      return <Custodians user={user} />;
    case 'pledge': return <PledgePage user={user} />;
    case 'patrols': return id ? <PatrolDetail user={user} id={id} /> : <Patrols user={user} />;
    case 'markers': return <MarkersPage user={user} />;
    case 'incidents': return <IncidentsPage user={user} />;
    case 'campaign': return <CampaignPage user={user} />;
    case 'models': return <ModelsPage user={user} />;
    case 'events': return <EventsPage user={user} />;
    case 'awards': return <AwardsPage user={user} />;
    case 'reports': return <ReportsPage user={user} />;
    case 'admin': return <AdminPage user={user} />;
    case 'settings': return <SettingsPage user={user} />;
    default:
      return (
        <section class="page">
          <h1 id="page-title" tabIndex={-1}>{tr('Không tìm thấy trang', 'Page not found')}</h1>
          <a href="#/dashboard">{tr('Về trang Tổng quan', 'Back to the overview')}</a>
        </section>
      );
  }
}

function LangSwitch() {
  const other = lang() === 'vi' ? 'en' : 'vi';
  return (
    <button
      type="button"
      class="lang"
      data-testid="lang-switch"
      lang={other}
      onClick={() => setLang(other)}
      aria-label={other === 'en' ? 'Switch to English' : 'Chuyển sang tiếng Việt'}
    >
      {other === 'en' ? 'English' : 'Tiếng Việt'}
    </button>
  );
}

function App() {
  const [, setTick] = useState(0);
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [menu, setMenu] = useState(false);
  const route = useRoute();

  useEffect(() => onLang(() => setTick((t) => t + 1)), []);
  useEffect(() => {
    document.documentElement.lang = lang();
    whoami().then(setUser);
    handleUnauthorized(() => setUser(null));
  }, []);
  useEffect(() => {
    setMenu(false);
    // move focus to the new page's title for keyboard and screen-reader users
    setTimeout(() => document.getElementById('page-title')?.focus({ preventScroll: true }), 0);
  }, [route.join('/')]);

  if (user === undefined) return <Spinner />;
  if (user === null)
    return (
      <div class="login-shell">
        <div class="login-lang"><LangSwitch /></div>
        <LoginPage onLogin={(u) => { setUser(u); if (!route.length) go('dashboard'); }} />
      </div>
    );

  const head = route[0] || 'dashboard';
  const items = NAV.filter((n) => n.roles.includes(user.role));
  const role = ROLE_NAMES[user.role];
  return (
    <div class="shell">
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('page-title')?.focus(); }}>
        {tr('Bỏ qua menu', 'Skip to content')}
      </a>
      <header class="top">
        <button type="button" class="menu-btn" aria-expanded={menu} aria-controls="nav" onClick={() => setMenu(!menu)}>
          ☰ <span class="sr-only">{tr('Menu', 'Menu')}</span>
        </button>
        <a class="brand" href="#/dashboard">
          <img src="/favicon.svg" alt="" width={28} height={28} />
          <span>{tr('Biên phòng toàn dân', 'All-People Border Guard')}</span>
        </a>
        <div class="who" data-testid="who">
          <span class="user">{user.name ?? user.username}</span>
          <span class="role">{role ? tr(role[0], role[1]) : user.role}</span>
        </div>
        <LangSwitch />
        <button type="button" class="logout" onClick={async () => { try { await logout(); } finally { setUser(null); } }}>
          {tr('Đăng xuất', 'Log out')}
        </button>
      </header>
      <nav id="nav" class={menu ? 'open' : ''} aria-label={tr('Các trang', 'Pages')}>
        <ul>
          {items.map((n) => (
            <li>
              <a href={`#/${n.path}`} aria-current={head === n.path ? 'page' : undefined} data-nav={n.path}>
                {tr(n.vi, n.en)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main">
        <Page route={route} user={user} />
      </main>
    </div>
  );
}

render(<App />, document.getElementById('app')!);
