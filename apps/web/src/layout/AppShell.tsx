import { useState } from 'react';
import { NavLink, Outlet, useNavigate } from 'react-router';

import { signOut } from '../auth/api';
import { useSession } from '../auth/useSession';
import { applyTheme, storedTheme, Theme } from './theme';

const NAV: { to: string; label: string; admin?: boolean }[] = [
  { to: '/projects', label: 'Projects' },
  { to: '/models', label: 'Models' },
  { to: '/admin', label: 'Admin', admin: true },
];

export function AppShell() {
  const session = useSession();
  const navigate = useNavigate();
  const [theme, setTheme] = useState<Theme>(storedTheme);
  const toggleTheme = () => {
    const next = theme === 'dark' ? 'light' : 'dark';
    applyTheme(next);
    setTheme(next);
  };
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <NavLink to="/projects" className="brand">
          FLOps MLOps
        </NavLink>
        <nav aria-label="Main">
          <ul>
            {NAV.filter((item) => !item.admin || session?.isAdmin).map((item) => (
              <li key={item.to}>
                <NavLink to={item.to}>{item.label}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="topbar-end">
          <button
            type="button"
            onClick={toggleTheme}
            aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
          >
            {theme === 'dark' ? '☀ Light' : '☾ Dark'}
          </button>
          {session && (
            <>
              <NavLink to="/account" className="user" title="My tokens">
                <span className="visually-hidden">Signed in as </span>
                {session.username}
              </NavLink>
              <button
                type="button"
                onClick={() => void signOut().finally(() => navigate('/signin'))}
              >
                Sign out
              </button>
            </>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
