/*
 * TEMPORARY stand-in for the generated client of the campaigns and channels API (REST contract of
 * /work/briefs/campaigns.md), until wt-campaigns / wt-channels regenerate libs/api-client. Same names
 * and signatures as ng-openapi-gen writes them; delete this file once `@meridian/api-client` has them.
 */
import { HttpClient, HttpResponse } from '@angular/common/http';
import { LeadFilter, RequestBuilder, StrictHttpResponse } from '@meridian/api-client';
import { Observable, filter, map } from 'rxjs';

export type CampaignChannel = 'email' | 'whatsapp';
export type CampaignStatus = 'draft' | 'scheduled' | 'sending' | 'paused' | 'completed' | 'cancelled' | 'failed';
export type RecipientStatus =
  | 'queued'
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'opened'
  | 'clicked'
  | 'failed'
  | 'bounced'
  | 'skipped'
  | 'cancelled';

export interface EmailContentDto {
  subject: string;
  preheader?: string | null;
  html: string;
  text?: string | null;
  fromName?: string | null;
  fromEmail?: string | null;
  replyTo?: string | null;
}
export interface WhatsAppContentDto {
  templateName: string;
  language: string;
  bodyParameters: string[];
  headerParameters?: string[];
  previewText?: string | null;
}
export interface AudienceExcludedDto {
  noAddress: number;
  noConsent: number;
  suppressed: number;
}
export interface CampaignStatsDto {
  total: number;
  remaining: number;
  sent: number;
  delivered: number;
  opened: number;
  clicked: number;
  failed: number;
  bounced: number;
  skipped: number;
  cancelled: number;
  unsubscribed: number;
  excluded: AudienceExcludedDto;
}
export interface CampaignAudienceDto {
  segmentId: string | null;
  segmentName: string | null;
  filter: LeadFilter | null;
}
export interface CampaignDto {
  id: string;
  name: string;
  channel: CampaignChannel;
  status: CampaignStatus;
  audience: CampaignAudienceDto;
  email: EmailContentDto | null;
  whatsapp: WhatsAppContentDto | null;
  sendAt: string | null;
  timeZone: string;
  stats: CampaignStatsDto;
  lastError: string | null;
  createdBy: string | null;
  createdByLabel: string | null;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  completedAt: string | null;
}
export interface CampaignPageDto {
  items: CampaignDto[];
  nextCursor: string | null;
}
export interface CampaignAudienceInputDto {
  segmentId?: string;
  filter?: LeadFilter;
}
export interface CreateCampaignDto {
  name: string;
  channel: CampaignChannel;
  audience?: CampaignAudienceInputDto;
  email?: EmailContentDto;
  whatsapp?: WhatsAppContentDto;
  timeZone?: string;
}
export type UpdateCampaignDto = Partial<Omit<CreateCampaignDto, 'channel'>>;
export interface ScheduleCampaignDto {
  sendAt?: string | null;
  timeZone?: string;
}
export interface RecipientDto {
  id: string;
  leadId: string;
  leadName: string | null;
  address: string;
  status: RecipientStatus;
  attempts: number;
  providerMessageId: string | null;
  error: string | null;
  sentAt: string | null;
  deliveredAt: string | null;
  openedAt: string | null;
  clickedAt: string | null;
  openCount: number;
  clickCount: number;
  updatedAt: string;
}
export interface RecipientPageDto {
  items: RecipientDto[];
  nextCursor: string | null;
}
export interface AudienceCountDto {
  channel: CampaignChannel;
  segmentId?: string;
  filter?: LeadFilter;
}
export interface AudienceCountResultDto {
  matching: number;
  eligible: number;
  excluded: AudienceExcludedDto;
}
export interface PreviewRequestDto {
  channel: CampaignChannel;
  email?: EmailContentDto;
  whatsapp?: WhatsAppContentDto;
  leadId?: string;
  campaignName?: string;
}
export interface PreviewDto {
  email: { subject: string; html: string; text: string } | null;
  whatsapp: { text: string | null; bodyParameters: string[] } | null;
  lead: { id: string; name: string } | null;
}
export interface TestSendDto {
  to: string;
  leadId?: string;
}
export interface TestSendResultDto {
  driver: 'smtp' | 'outbox' | 'cloud-api';
  providerMessageId: string;
  to: string;
}
export interface SegmentDto {
  id: string;
  name: string;
  description: string | null;
  filter: LeadFilter;
  createdAt: string;
  updatedAt: string;
}
export interface SegmentPageDto {
  items: SegmentDto[];
  nextCursor: string | null;
}
export interface CreateSegmentDto {
  name: string;
  description?: string | null;
  filter: LeadFilter;
}
export interface ChannelsStatusDto {
  email: { driver: 'smtp' | 'outbox'; from: string };
  whatsapp: { driver: 'cloud-api' | 'outbox'; phoneNumberId: string | null };
}
export interface OutboxMessageDto {
  id: string;
  channel: CampaignChannel;
  to: string;
  from: string;
  subject: string | null;
  text: string;
  campaignId: string | null;
  test: boolean;
  createdAt: string;
}
export interface OutboxMessageDetailDto extends OutboxMessageDto {
  html: string | null;
  headers: Record<string, string>;
}
export interface OutboxMessagePageDto {
  items: OutboxMessageDto[];
  nextCursor: string | null;
}

type Method = 'get' | 'post' | 'patch' | 'delete';

function call<T>(
  http: HttpClient,
  rootUrl: string,
  method: Method,
  path: string,
  params: object = {},
): Observable<StrictHttpResponse<T>> {
  const rb = new RequestBuilder(rootUrl, path, method);
  for (const [key, value] of Object.entries(params)) {
    if (key === 'body') {
      rb.body(value, 'application/json');
    } else if (path.includes(`{${key}}`)) {
      rb.path(key, value, {});
    } else {
      rb.query(key, value, {});
    }
  }
  return http.request(rb.build({ responseType: 'json', accept: 'application/json' })).pipe(
    filter((r: unknown): r is HttpResponse<T> => r instanceof HttpResponse),
    map((r) => r as StrictHttpResponse<T>),
  );
}

export interface ListCampaigns$Params {
  status?: CampaignStatus;
  channel?: CampaignChannel;
  q?: string;
  limit?: number;
  cursor?: string;
}
export interface ListCampaignRecipients$Params {
  id: string;
  status?: RecipientStatus;
  q?: string;
  limit?: number;
  cursor?: string;
}
interface Id {
  id: string;
}

export const listCampaigns = (http: HttpClient, root: string, params?: ListCampaigns$Params) =>
  call<CampaignPageDto>(http, root, 'get', '/api/campaigns', { ...params });
export const createCampaign = (http: HttpClient, root: string, params: { body: CreateCampaignDto }) =>
  call<CampaignDto>(http, root, 'post', '/api/campaigns', params);
export const getCampaign = (http: HttpClient, root: string, params: Id) =>
  call<CampaignDto>(http, root, 'get', '/api/campaigns/{id}', { ...params });
export const updateCampaign = (http: HttpClient, root: string, params: Id & { body: UpdateCampaignDto }) =>
  call<CampaignDto>(http, root, 'patch', '/api/campaigns/{id}', params);
export const deleteCampaign = (http: HttpClient, root: string, params: Id) =>
  call<void>(http, root, 'delete', '/api/campaigns/{id}', { ...params });
export const duplicateCampaign = (http: HttpClient, root: string, params: Id) =>
  call<CampaignDto>(http, root, 'post', '/api/campaigns/{id}/duplicate', { ...params });
export const scheduleCampaign = (http: HttpClient, root: string, params: Id & { body: ScheduleCampaignDto }) =>
  call<CampaignDto>(http, root, 'post', '/api/campaigns/{id}/schedule', params);
export const unscheduleCampaign = (http: HttpClient, root: string, params: Id) =>
  call<CampaignDto>(http, root, 'post', '/api/campaigns/{id}/unschedule', { ...params });
export const pauseCampaign = (http: HttpClient, root: string, params: Id) =>
  call<CampaignDto>(http, root, 'post', '/api/campaigns/{id}/pause', { ...params });
export const resumeCampaign = (http: HttpClient, root: string, params: Id) =>
  call<CampaignDto>(http, root, 'post', '/api/campaigns/{id}/resume', { ...params });
export const cancelCampaign = (http: HttpClient, root: string, params: Id) =>
  call<CampaignDto>(http, root, 'post', '/api/campaigns/{id}/cancel', { ...params });
export const retryFailedCampaign = (http: HttpClient, root: string, params: Id) =>
  call<CampaignDto>(http, root, 'post', '/api/campaigns/{id}/retry-failed', { ...params });
export const testSendCampaign = (http: HttpClient, root: string, params: Id & { body: TestSendDto }) =>
  call<TestSendResultDto>(http, root, 'post', '/api/campaigns/{id}/test-send', params);
export const listCampaignRecipients = (http: HttpClient, root: string, params: ListCampaignRecipients$Params) =>
  call<RecipientPageDto>(http, root, 'get', '/api/campaigns/{id}/recipients', { ...params });
export const previewCampaign = (http: HttpClient, root: string, params: { body: PreviewRequestDto }) =>
  call<PreviewDto>(http, root, 'post', '/api/campaign-previews', params);
export const countAudience = (http: HttpClient, root: string, params: { body: AudienceCountDto }) =>
  call<AudienceCountResultDto>(http, root, 'post', '/api/audiences/count', params);
export const listSegments = (http: HttpClient, root: string, params?: { limit?: number; cursor?: string }) =>
  call<SegmentPageDto>(http, root, 'get', '/api/segments', { ...params });
export const createSegment = (http: HttpClient, root: string, params: { body: CreateSegmentDto }) =>
  call<SegmentDto>(http, root, 'post', '/api/segments', params);
export const getChannelsStatus = (http: HttpClient, root: string) =>
  call<ChannelsStatusDto>(http, root, 'get', '/api/channels/status');
export const listOutboxMessages = (
  http: HttpClient,
  root: string,
  params?: { channel?: CampaignChannel; campaignId?: string; limit?: number; cursor?: string },
) => call<OutboxMessagePageDto>(http, root, 'get', '/api/outbox', { ...params });
export const getOutboxMessage = (http: HttpClient, root: string, params: Id) =>
  call<OutboxMessageDetailDto>(http, root, 'get', '/api/outbox/{id}', { ...params });
