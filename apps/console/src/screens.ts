import type { StaffRole } from './types';

/**
 * The console's screens and who may open them: the same roles as the API's routes behind them
 * (libs/staff `@Roles` on each controller; the role matrix in test/staff.e2e-spec.ts). The menu
 * shows only these; the API stays the authority (a 403 is shown as such).
 */
export interface ScreenRule {
  path: string;
  title: string;
  roles: readonly StaffRole[];
  /** false: opened from another screen (a path with a `:parameter`), not listed in the menu */
  menu?: boolean;
}

export const SCREENS: readonly ScreenRule[] = [
  { path: '/', title: 'Home', roles: ['phone', 'finance', 'admin'] },
  { path: '/supporters', title: 'Find a supporter', roles: ['phone', 'finance', 'admin'] },
  { path: '/phone', title: 'Phone line', roles: ['phone', 'admin'] },
  { path: '/supporters/:id', title: 'Supporter', roles: ['phone', 'finance', 'admin'], menu: false },
  { path: '/reports', title: 'Reports', roles: ['finance', 'admin'] },
  { path: '/deposits', title: 'Deposits', roles: ['finance', 'admin'] },
  { path: '/reconciliation', title: 'Reconciliation', roles: ['finance', 'admin'] },
  { path: '/campaigns', title: 'Campaigns', roles: ['finance', 'admin'] },
  { path: '/staff', title: 'Staff', roles: ['admin'] },
  { path: '/audit-log', title: 'Audit log', roles: ['admin'] },
  { path: '/webhooks', title: 'Webhooks', roles: ['admin'] },
];

/** `/supporters/:id` matches `/supporters/abc`: a `:name` segment stands for any one segment. */
const matches = (pattern: string, path: string): boolean => {
  const want = pattern.split('/');
  const got = path.split('/');
  return want.length === got.length && want.every((w, i) => (w.startsWith(':') ? got[i] !== '' : w === got[i]));
};

export const screenFor = (path: string): ScreenRule | undefined =>
  SCREENS.find((s) => s.path === path) ?? SCREENS.find((s) => s.path.includes(':') && matches(s.path, path));

/** The screens listed in the menu and on the home page. */
export const inMenu = (rule: ScreenRule): boolean => rule.menu !== false;
export const allowed = (rule: ScreenRule, role: StaffRole): boolean => rule.roles.includes(role);
