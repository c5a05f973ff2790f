import { Permission } from '@meridian/api-client';

export interface NavItem {
  label: string;
  path: string;
  icon: string;
  /** Only active on this exact URL (for the root). */
  exact: boolean;
  /** Shown only to users holding it; the route is guarded with the same permission. */
  permission?: Permission;
  /** Shown only while the API keeps messages in the outbox (a channel without a provider). */
  onlyWithOutbox?: boolean;
}

/** Main navigation. Add an entry only when its page exists: no dead links. */
export const NAV_ITEMS: readonly NavItem[] = [
  { label: 'Dashboard', path: '/', icon: 'dashboard', exact: true },
  { label: 'Leads', path: '/leads', icon: 'contacts', exact: false, permission: 'leads:read' },
  { label: 'Inbox', path: '/inbox', icon: 'forum', exact: false, permission: 'conversations:read' },
  { label: 'Campaigns', path: '/campaigns', icon: 'campaign', exact: false, permission: 'campaigns:read' },
  {
    label: 'Outbox',
    path: '/outbox',
    icon: 'inbox',
    exact: false,
    permission: 'campaigns:read',
    onlyWithOutbox: true,
  },
  // Tasks are shown by kind, each with its own permission; bulk changes (leads:write) are the widest.
  { label: 'Background tasks', path: '/tasks', icon: 'task_alt', exact: false, permission: 'leads:write' },
  { label: 'Users', path: '/users', icon: 'group', exact: false, permission: 'users:read' },
  { label: 'API keys', path: '/api-keys', icon: 'vpn_key', exact: false, permission: 'api-keys:manage' },
  {
    label: 'Organization',
    path: '/settings/organization',
    icon: 'business',
    exact: false,
    permission: 'organization:manage',
  },
  {
    label: 'Lead fields',
    path: '/settings/lead-fields',
    icon: 'tune',
    exact: false,
    permission: 'organization:manage',
  },
  {
    label: 'Website widget',
    path: '/settings/widget',
    icon: 'web',
    exact: false,
    permission: 'organization:manage',
  },
  { label: 'Audit log', path: '/audit', icon: 'list_alt', exact: false, permission: 'audit:read' },
  { label: 'System status', path: '/system-status', icon: 'dns', exact: false, permission: 'system:read' },
  {
    label: 'Assistant insights',
    path: '/assistant-insights',
    icon: 'chat_bubble_outline',
    exact: false,
    permission: 'assistant:insights',
  },
  { label: 'Help', path: '/help', icon: 'description', exact: false, permission: 'assistant:use' },
];
