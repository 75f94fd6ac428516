import { Link } from '../components';
import { allowed, inMenu, SCREENS } from '../screens';
import type { SignedInStaff } from '../types';

export function Home({ staff }: { staff: SignedInStaff }) {
  return (
    <section aria-labelledby="home-title">
      <h1 id="home-title">Welcome, {staff.name}</h1>
      <p>
        You are signed in as {staff.email} with the {staff.role} role.
      </p>
      <ul>
        {SCREENS.filter((s) => s.path !== '/' && inMenu(s) && allowed(s, staff.role)).map((s) => (
          <li key={s.path}>
            <Link to={s.path}>{s.title}</Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
