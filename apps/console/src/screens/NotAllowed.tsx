import { Link } from '../components';
import type { ScreenRule } from '../screens';
import type { StaffRole } from '../types';

/** A screen the role may not open (a link typed or bookmarked): said plainly, with the way back. */
export function NotAllowed({ screen, role }: { screen: ScreenRule; role: StaffRole }) {
  return (
    <section className="not-allowed" aria-labelledby="not-allowed-title">
      <h1 id="not-allowed-title">Not allowed</h1>
      <p>
        The {screen.title.toLowerCase()} screen is for the {screen.roles.join(' or ')} role. You are signed in with the{' '}
        {role} role. Ask an administrator if you need it.
      </p>
      <p>
        <Link to="/">Back to the start</Link>
      </p>
    </section>
  );
}

export function NotFound() {
  return (
    <section aria-labelledby="not-found-title">
      <h1 id="not-found-title">No such page</h1>
      <p>
        <Link to="/">Back to the start</Link>
      </p>
    </section>
  );
}
