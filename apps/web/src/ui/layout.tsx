import { NavLink, Outlet, useNavigate } from 'react-router';
import { useState } from 'react';
import { useSession, useSignOut } from '../api/session';
import { ErrorNotice } from './error-notice';

const USER_PAGES = [
  ['/now', 'Now'],
  ['/history', 'History'],
  ['/sources', 'Sources'],
  ['/settings', 'Settings'],
  ['/privacy', 'Privacy'],
] as const;

const ADMIN_PAGES = [
  ['/admin/users', 'Users'],
  ['/admin/data-quality', 'Data quality'],
  ['/admin/learning', 'Learning'],
  ['/admin/events', 'Events'],
] as const;

/** The frame of every signed-in page: a skip link, the navigation, sign-out, the page. */
export function Layout() {
  const session = useSession();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const [signOutError, setSignOutError] = useState<unknown>(null);
  const onSignOut = () => {
    setSignOutError(null);
    signOut().then(() => navigate('/'), setSignOutError);
  };
  return (
    <>
      <a className="skip-link" href="#main">Skip to the page</a>
      <header className="top">
        <span className="brand" aria-label="oO">oO</span>
        <nav aria-label="Main">
          <ul>
            {USER_PAGES.map(([to, label]) => (
              <li key={to}><NavLink to={to}>{label}</NavLink></li>
            ))}
          </ul>
        </nav>
        {session.isAdmin && (
          <nav aria-label="Admin console">
            <ul>
              {ADMIN_PAGES.map(([to, label]) => (
                <li key={to}><NavLink to={to}>{label}</NavLink></li>
              ))}
            </ul>
          </nav>
        )}
        <div className="who">
          <span>Signed in as <strong>{session.displayName}</strong></span>
          <button type="button" onClick={onSignOut}>Sign out</button>
        </div>
      </header>
      <ErrorNotice error={signOutError} what="Signing out" />
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
