import { HttpClient } from '@angular/common/http';
import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import {
  ApiConfiguration,
  ConversationDto,
  ConversationMessageDto,
  ConversationStatus,
  LeadDto,
  LeadStatus,
  getConversation,
  getConversationMessage,
  getLead,
  listConversationMessages,
  listConversations,
  markConversationRead,
  replyToConversation,
  updateConversation,
  updateLead,
} from '@meridian/api-client';
import { Observable, firstValueFrom, map } from 'rxjs';

import { AuthStore } from '../../core/auth/auth.store';
import { ApiProblem, toApiProblem } from '../../core/http/api-problem';
import { KeysetList } from '../../shared/list/keyset-list';
import { InboxLiveClient, InboxLiveEvent } from './inbox-live.client';

export type InboxFilter = 'all' | 'unread' | 'mine';
export const INBOX_PAGE_SIZE = 50;

const body = <T>(call: Observable<{ body: T }>) => firstValueFrom(call.pipe(map((response) => response.body)));

/** The inbox: the conversation list with its filters, the open thread, replies, and the live stream. */
@Injectable()
export class InboxStore {
  private readonly http = inject(HttpClient);
  private readonly apiConfig = inject(ApiConfiguration);
  private readonly auth = inject(AuthStore);
  private readonly liveClient = inject(InboxLiveClient);

  private readonly _status = signal<ConversationStatus>('open');
  private readonly _filter = signal<InboxFilter>('all');
  private readonly _selected = signal<ConversationDto | null>(null);
  private readonly _messages = signal<ConversationMessageDto[]>([]);
  private readonly _olderCursor = signal<string | null>(null);
  private readonly _lead = signal<LeadDto | null>(null);
  private readonly _threadLoading = signal(false);
  private readonly _threadError = signal<ApiProblem | null>(null);
  private readonly _sending = signal(false);
  private readonly _sendError = signal<ApiProblem | null>(null);
  private readonly _live = signal(false);
  private generation = 0;

  readonly status = this._status.asReadonly();
  readonly filter = this._filter.asReadonly();
  readonly selected = this._selected.asReadonly();
  readonly messages = this._messages.asReadonly();
  readonly hasOlder = computed(() => this._olderCursor() !== null);
  readonly lead = this._lead.asReadonly();
  readonly threadLoading = this._threadLoading.asReadonly();
  readonly threadError = this._threadError.asReadonly();
  readonly sending = this._sending.asReadonly();
  readonly sendError = this._sendError.asReadonly();
  readonly live = this._live.asReadonly();
  readonly canWrite = computed(() => this.auth.permissions().has('conversations:write'));
  readonly canEditLead = computed(() => this.auth.permissions().has('leads:write'));
  readonly me = computed(() => this.auth.user());

  readonly list = new KeysetList<ConversationDto>((cursor) =>
    body(
      listConversations(this.http, this.apiConfig.rootUrl, {
        limit: INBOX_PAGE_SIZE,
        status: this._status(),
        ...(this._filter() === 'unread' ? { unread: true } : {}),
        ...(this._filter() === 'mine' ? { assignee: 'me' } : {}),
        ...(cursor ? { cursor } : {}),
      }),
    ),
  );

  constructor() {
    const stop = this.liveClient.connect(
      (event) => void this.onLive(event),
      (live) => {
        const wasLive = this._live();
        this._live.set(live);
        // Back after a gap: what happened meanwhile was not heard; read it again.
        if (live && !wasLive && this.list.loaded()) void this.refreshAll();
      },
    );
    inject(DestroyRef).onDestroy(stop);
  }

  setStatus(status: ConversationStatus): Promise<void> {
    this._status.set(status);
    return this.list.reload();
  }

  setFilter(filter: InboxFilter): Promise<void> {
    this._filter.set(filter);
    return this.list.reload();
  }

  async open(id: string): Promise<void> {
    const generation = ++this.generation;
    this._threadLoading.set(true);
    this._threadError.set(null);
    this._sendError.set(null);
    try {
      const [conversation, page] = await Promise.all([
        body(getConversation(this.http, this.apiConfig.rootUrl, { id })),
        body(listConversationMessages(this.http, this.apiConfig.rootUrl, { id, limit: 50 })),
      ]);
      if (generation !== this.generation) return;
      this._selected.set(conversation);
      this._messages.set([...page.items].reverse());
      this._olderCursor.set(page.nextCursor);
      this._lead.set(null);
      if (conversation.leadId) void this.loadLead(conversation.leadId, generation);
      if (conversation.unreadCount > 0 && this.canWrite()) void this.markRead(id);
    } catch (error: unknown) {
      if (generation === this.generation) this._threadError.set(toApiProblem(error));
    } finally {
      if (generation === this.generation) this._threadLoading.set(false);
    }
  }

  close(): void {
    this.generation++;
    this._selected.set(null);
    this._messages.set([]);
    this._lead.set(null);
  }

  async loadOlder(): Promise<void> {
    const conversation = this._selected();
    const cursor = this._olderCursor();
    if (!conversation || !cursor) return;
    const page = await body(
      listConversationMessages(this.http, this.apiConfig.rootUrl, { id: conversation.id, limit: 50, cursor }),
    );
    this._messages.update((messages) => [...[...page.items].reverse(), ...messages]);
    this._olderCursor.set(page.nextCursor);
  }

  async reply(
    input:
      | { kind: 'text'; text: string }
      | { kind: 'template'; templateName: string; language: string; bodyParameters: string[] },
  ): Promise<boolean> {
    const conversation = this._selected();
    if (!conversation) return false;
    this._sending.set(true);
    this._sendError.set(null);
    try {
      const message = await body(
        replyToConversation(this.http, this.apiConfig.rootUrl, { id: conversation.id, body: input }),
      );
      this.upsertMessage(message);
      await this.refreshConversation(conversation.id);
      return true;
    } catch (error: unknown) {
      this._sendError.set(toApiProblem(error));
      // The window may have closed since the thread was opened: show it as the API sees it.
      await this.refreshConversation(conversation.id).catch(() => undefined);
      return false;
    } finally {
      this._sending.set(false);
    }
  }

  async update(changes: { status?: ConversationStatus; assigneeId?: string | null }): Promise<void> {
    const conversation = this._selected();
    if (!conversation) return;
    try {
      const updated = await body(
        updateConversation(this.http, this.apiConfig.rootUrl, { id: conversation.id, body: changes }),
      );
      this._selected.set(updated);
      this.placeInList(updated);
    } catch (error: unknown) {
      this._sendError.set(toApiProblem(error));
    }
  }

  async setLeadStatus(status: LeadStatus): Promise<void> {
    const lead = this._lead();
    if (!lead) return;
    try {
      this._lead.set(await body(updateLead(this.http, this.apiConfig.rootUrl, { id: lead.id, body: { status } })));
    } catch (error: unknown) {
      this._sendError.set(toApiProblem(error));
    }
  }

  private async loadLead(id: string, generation: number): Promise<void> {
    try {
      const lead = await body(getLead(this.http, this.apiConfig.rootUrl, { id }));
      if (generation === this.generation) this._lead.set(lead);
    } catch {
      // No leads:read, or the lead was deleted: the thread works without it.
    }
  }

  private async markRead(id: string): Promise<void> {
    try {
      const updated = await body(markConversationRead(this.http, this.apiConfig.rootUrl, { id }));
      this.placeInList(updated);
      if (this._selected()?.id === id) this._selected.set(updated);
    } catch {
      // Only the badge stays.
    }
  }

  private async onLive(event: InboxLiveEvent): Promise<void> {
    if (!event.conversationId) return;
    const id = event.conversationId;
    const open = this._selected()?.id === id;
    if (open && event.messageId && event.type !== 'conversation.updated') {
      const message = await body(
        getConversationMessage(this.http, this.apiConfig.rootUrl, { id, messageId: event.messageId }),
      ).catch(() => null);
      if (message && this._selected()?.id === id) this.upsertMessage(message);
    }
    await this.refreshConversation(id).catch(() => undefined);
    if (open && event.type === 'message.created' && this.canWrite() && this._selected()?.unreadCount) {
      await this.markRead(id);
    }
  }

  private async refreshConversation(id: string): Promise<void> {
    const conversation = await body(getConversation(this.http, this.apiConfig.rootUrl, { id }));
    if (this._selected()?.id === id) this._selected.set(conversation);
    this.placeInList(conversation);
  }

  private async refreshAll(): Promise<void> {
    await this.list.reload();
    const selected = this._selected();
    if (selected) await this.open(selected.id);
  }

  /** Puts a changed conversation where the list's filters and order want it (or takes it out). */
  private placeInList(conversation: ConversationDto): void {
    const matches =
      conversation.status === this._status() &&
      (this._filter() !== 'unread' || conversation.unreadCount > 0 || this._selected()?.id === conversation.id) &&
      (this._filter() !== 'mine' || conversation.assigneeId === this.auth.user()?.id);
    const present = this.list.items().some((c) => c.id === conversation.id);
    if (present) this.list.remove(conversation.id);
    if (matches) this.list.add(conversation, 'start');
  }

  private upsertMessage(message: ConversationMessageDto): void {
    this._messages.update((messages) => {
      const index = messages.findIndex((m) => m.id === message.id);
      if (index >= 0) return messages.map((m, i) => (i === index ? message : m));
      return [...messages, message].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    });
  }
}
