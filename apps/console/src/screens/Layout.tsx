import type { ReactNode } from 'react';
import { Link } from '../components';
import { allowed, inMenu, SCREENS } from '../screens';
import { signOut } from '../session';
import type { SignedInStaff } from '../types';

/** The frame of every signed-in screen: who you are, a menu of what your role may open, sign-out. */
export function Layout({ staff, path, children }: { staff: SignedInStaff; path: string; children: ReactNode }) {
  return (
    <div className="layout">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header>
        <span className="brand">Staff console</span>
        <span className="who">
          {staff.name} <span className="role">({staff.role})</span>
        </span>
        <button type="button" className="secondary" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <nav aria-label="Main">
        <ul>
          {SCREENS.filter((s) => inMenu(s) && allowed(s, staff.role)).map((s) => (
            <li key={s.path}>
              <Link to={s.path} current={s.path === path || path.startsWith(`${s.path}/`)}>
                {s.title}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
