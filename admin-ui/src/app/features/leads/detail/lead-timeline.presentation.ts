import { LeadActivityDto, LeadSource, LeadStatus } from '@meridian/api-client';

import { LEAD_FIELD_LABELS } from '../form/lead-form';
import { SOURCE_LABELS, STATUS_LABELS, leadName } from '../leads.query';

export interface TimelineEntry {
  icon: string;
  /** What happened, in words. */
  title: string;
  /** The note's text. */
  body: string | null;
  /** "note" entries are styled as a card. */
  kind: 'note' | 'event';
}

const ICONS: Readonly<Record<string, string>> = {
  created: 'person_add',
  status_changed: 'flag',
  assigned: 'person',
  note: 'notes',
  updated: 'edit',
  deleted: 'delete',
  restored: 'restore_from_trash',
  merged: 'merge_type',
  merged_into: 'merge_type',
  imported: 'upload',
  campaign_opened: 'mail',
  campaign_clicked: 'open_in_new',
  unsubscribed: 'block',
  bounced: 'error',
  conversation_started: 'chat',
  message_received: 'chat_bubble_outline',
  message_sent: 'send',
  conversation_closed: 'check_circle',
};

const CHANNEL_LABELS: Readonly<Record<string, string>> = {
  email: 'email',
  whatsapp: 'WhatsApp',
  widget: 'the website widget',
};

function statusLabel(value: unknown): string {
  if (typeof value !== 'string') {
    return '—';
  }
  return value in STATUS_LABELS ? STATUS_LABELS[value as LeadStatus] : value;
}

function fieldLabel(field: string): string {
  return (LEAD_FIELD_LABELS as Record<string, string>)[field]?.toLowerCase() ?? field;
}

/** One timeline entry in words. Types this console does not know yet show as their code. */
export function describeActivity(activity: LeadActivityDto, ownerName: (id: string | null) => string): TimelineEntry {
  const data: Record<string, unknown> = activity.data ?? {};
  const icon = ICONS[activity.type] ?? 'history';
  switch (activity.type) {
    case 'created': {
      const source = data['source'];
      const from =
        typeof source === 'string' && source in SOURCE_LABELS
          ? ` (source: ${SOURCE_LABELS[source as LeadSource]})`
          : '';
      return { icon, title: `Lead created${from}`, body: null, kind: 'event' };
    }
    case 'status_changed':
      return {
        icon,
        title: `Status changed from ${statusLabel(data['from'])} to ${statusLabel(data['to'])}`,
        body: null,
        kind: 'event',
      };
    case 'assigned': {
      const to = typeof data['to'] === 'string' ? data['to'] : null;
      return { icon, title: to ? `Assigned to ${ownerName(to)}` : 'Owner removed', body: null, kind: 'event' };
    }
    case 'note':
      return { icon, title: 'Note', body: typeof data['body'] === 'string' ? data['body'] : '', kind: 'note' };
    case 'updated': {
      const fields = Array.isArray(data['fields']) ? (data['fields'] as unknown[]).map(String).map(fieldLabel) : [];
      return {
        icon,
        title: fields.length > 0 ? `Changed ${fields.join(', ')}` : 'Details changed',
        body: null,
        kind: 'event',
      };
    }
    case 'deleted':
      return { icon, title: 'Moved to the recycle bin', body: null, kind: 'event' };
    case 'restored':
      return { icon, title: 'Restored from the recycle bin', body: null, kind: 'event' };
    case 'merged': {
      const snapshot = data['snapshot'];
      const other =
        typeof snapshot === 'object' && snapshot !== null
          ? leadName(snapshot as Parameters<typeof leadName>[0])
          : 'another lead';
      const moved = typeof data['movedActivities'] === 'number' ? data['movedActivities'] : 0;
      const changed = data['changes'];
      const changes = typeof changed === 'object' && changed !== null ? Object.keys(changed).length : 0;
      const details = [
        moved > 0 ? `${moved} timeline ${moved === 1 ? 'entry' : 'entries'} moved here` : null,
        changes > 0 ? `${changes} ${changes === 1 ? 'field' : 'fields'} changed` : null,
      ].filter(Boolean);
      return {
        icon,
        title: `Merged ${other} into this lead${details.length > 0 ? ` (${details.join(', ')})` : ''}`,
        body: null,
        kind: 'event',
      };
    }
    case 'merged_into':
      return { icon, title: 'Merged into another lead, then deleted', body: null, kind: 'event' };
    case 'imported': {
      // The import writes { taskId, file, outcome: 'created' | 'updated' }.
      const file = typeof data['file'] === 'string' ? data['file'] : null;
      const updated = data['outcome'] === 'updated';
      return {
        icon,
        title: `${updated ? 'Updated by an import' : 'Imported'}${file ? ` from ${file}` : ''}`,
        body: null,
        kind: 'event',
      };
    }
    // Campaign events are written by "Campaign <name>" (the actor label), so the title needs no campaign name.
    case 'campaign_opened':
      return { icon, title: 'Opened a campaign email', body: null, kind: 'event' };
    case 'campaign_clicked': {
      const url = typeof data['url'] === 'string' ? data['url'] : null;
      return { icon, title: 'Clicked a link in a campaign email', body: url, kind: 'event' };
    }
    case 'unsubscribed': {
      const channels = Array.isArray(data['channels'])
        ? (data['channels'] as unknown[]).map((c) => CHANNEL_LABELS[String(c)] ?? String(c))
        : [];
      const complaint = data['reason'] === 'complaint' ? ' (marked an email as spam)' : '';
      return {
        icon,
        title: `Unsubscribed${channels.length > 0 ? ` from ${channels.join(' and ')}` : ''}${complaint}`,
        body: null,
        kind: 'event',
      };
    }
    case 'bounced': {
      const address = typeof data['address'] === 'string' ? data['address'] : null;
      const reason = typeof data['reason'] === 'string' ? data['reason'] : null;
      return { icon, title: `A campaign message to ${address ?? 'this lead'} bounced`, body: reason, kind: 'event' };
    }
    // Conversations (the inbox): WhatsApp and the website widget.
    case 'conversation_started': {
      const channel = CHANNEL_LABELS[String(data['channel'])] ?? 'a channel';
      const title =
        data['reopened'] === true ? `Conversation on ${channel} reopened` : `Started a conversation on ${channel}`;
      return { icon, title, body: null, kind: 'event' };
    }
    case 'message_received': {
      const channel = CHANNEL_LABELS[String(data['channel'])] ?? 'a channel';
      const preview = typeof data['preview'] === 'string' ? data['preview'] : null;
      return { icon, title: `Wrote on ${channel}`, body: preview, kind: 'event' };
    }
    case 'message_sent': {
      const channel = CHANNEL_LABELS[String(data['channel'])] ?? 'a channel';
      const preview = typeof data['preview'] === 'string' ? data['preview'] : null;
      const what = data['kind'] === 'template' ? 'Sent a WhatsApp template' : `Replied on ${channel}`;
      return { icon, title: what, body: preview, kind: 'event' };
    }
    case 'conversation_closed':
      return { icon, title: 'Conversation closed', body: null, kind: 'event' };
    default:
      return { icon, title: String(activity.type).replace(/_/g, ' '), body: null, kind: 'event' };
  }
}
