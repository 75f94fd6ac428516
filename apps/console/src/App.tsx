import { type ComponentType, type ReactNode, lazy, Suspense, useEffect } from 'react';
import { usePath } from './router';
import { allowed, screenFor } from './screens';
import { AuditLog } from './screens/AuditLog';
import { Campaigns } from './screens/Campaigns';
import { ChangePassword } from './screens/ChangePassword';
import { Deposits } from './screens/Deposits';
import { Home } from './screens/Home';
import { Layout } from './screens/Layout';
import { NotAllowed, NotFound } from './screens/NotAllowed';
import { Phone } from './screens/Phone';
import { ReauthDialog } from './screens/ReauthDialog';
import { Reconciliation } from './screens/Reconciliation';
import { SignIn } from './screens/SignIn';
import { Staff } from './screens/Staff';
import { Supporter } from './screens/Supporter';
import { Supporters } from './screens/Supporters';
import { Webhooks } from './screens/Webhooks';
import { useSession } from './session';

/** The reports carry the charts (ECharts): a chunk of their own, loaded when the screen opens. */
const Reports = lazy(() => import('./screens/Reports').then((m) => ({ default: m.Reports })));

const SCREEN_VIEWS: Record<string, ComponentType> = {
  '/supporters': Supporters,
  '/reports': Reports,
  '/deposits': Deposits,
  '/reconciliation': Reconciliation,
  '/campaigns': Campaigns,
  '/staff': Staff,
  '/audit-log': AuditLog,
  '/webhooks': Webhooks,
  '/phone': Phone,
  '/supporters/:id': Supporter,
};

export function App() {
  const session = useSession();
  const path = usePath();
  useEffect(() => {
    // The first screen a person can use (sign-in or their home): first-load time, read by the browser test.
    if (session.status !== 'starting' && !performance.getEntriesByName('console-ready').length) {
      performance.mark('console-ready');
    }
  }, [session.status]);
  const rule = screenFor(path);
  useEffect(() => {
    document.title = `${rule?.title ?? 'Staff console'} · Staff console`;
  }, [rule]);

  if (session.status === 'starting') {
    return (
      <main className="narrow" aria-busy="true">
        <p>Loading the staff console…</p>
      </main>
    );
  }
  if (session.status === 'signed-out' || !session.staff) return <SignIn notice={session.notice} />;
  if (session.passwordChangeRequired) return <ChangePassword staff={session.staff} />;

  const staff = session.staff;
  let view: ReactNode;
  if (!rule) view = <NotFound />;
  else if (!allowed(rule, staff.role)) view = <NotAllowed screen={rule} role={staff.role} />;
  else if (rule.path === '/') view = <Home staff={staff} />;
  else {
    const View = SCREEN_VIEWS[rule.path];
    view = (
      <Suspense
        fallback={
          <p aria-busy="true" aria-live="polite">
            Loading…
          </p>
        }
      >
        <View />
      </Suspense>
    );
  }
  return (
    <>
      <Layout staff={staff} path={path}>
        {view}
      </Layout>
      {session.reauth && <ReauthDialog email={staff.email} />}
    </>
  );
}
