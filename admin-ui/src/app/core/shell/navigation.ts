export interface NavItem {
  label: string;
  path: string;
  icon: string;
  /** Only active on this exact URL (for the root). */
  exact: boolean;
}

/** Main navigation. Add an entry only when its page exists: no dead links. */
export const NAV_ITEMS: readonly NavItem[] = [
  { label: 'Dashboard', path: '/', icon: 'dashboard', exact: true },
  { label: 'System status', path: '/system-status', icon: 'dns', exact: false },
];
