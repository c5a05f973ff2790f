import { HttpClient } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';
import {
  ApiConfiguration,
  AudienceCountResultDto,
  CampaignChannel,
  CampaignDto,
  LeadDto,
  LeadFilter,
  PreviewDto,
  SegmentDto,
  TestSendResultDto,
  countAudience,
  createCampaign,
  createSegment,
  getCampaign,
  listLeads,
  listSegments,
  previewCampaign,
  scheduleCampaign,
  testSendCampaign,
  updateCampaign,
} from '@meridian/api-client';
import { Observable, firstValueFrom, map } from 'rxjs';

import { ApiProblem, toApiProblem } from '../../../core/http/api-problem';
import { EditorDraft, audienceBody, emailContent, updateBody, whatsappContent } from './campaign-editor.model';

type Body<T> = { body: T };
const SEGMENT_PAGES = 5;

/** The campaign editor's conversations with the API: the draft, the audience count, previews, sending. */
@Injectable()
export class CampaignEditorStore {
  private readonly http = inject(HttpClient);
  private readonly apiConfig = inject(ApiConfiguration);

  private readonly _campaign = signal<CampaignDto | null>(null);
  private readonly _segments = signal<SegmentDto[]>([]);
  private readonly _count = signal<AudienceCountResultDto | null>(null);
  private readonly _counting = signal(false);
  private readonly _countError = signal<ApiProblem | null>(null);
  private readonly _preview = signal<PreviewDto | null>(null);
  private readonly _previewError = signal<ApiProblem | null>(null);
  private readonly _previewing = signal(false);
  private readonly _saving = signal(false);
  private countGeneration = 0;
  private previewGeneration = 0;

  readonly campaign = this._campaign.asReadonly();
  readonly segments = this._segments.asReadonly();
  readonly count = this._count.asReadonly();
  readonly counting = this._counting.asReadonly();
  readonly countError = this._countError.asReadonly();
  readonly preview = this._preview.asReadonly();
  readonly previewError = this._previewError.asReadonly();
  readonly previewing = this._previewing.asReadonly();
  readonly saving = this._saving.asReadonly();

  async load(id: string): Promise<CampaignDto> {
    const campaign = await this.call(getCampaign(this.http, this.apiConfig.rootUrl, { id }));
    this._campaign.set(campaign);
    return campaign;
  }

  async loadSegments(): Promise<void> {
    const segments: SegmentDto[] = [];
    let cursor: string | undefined;
    try {
      for (let page = 0; page < SEGMENT_PAGES; page++) {
        const answer = await this.call(listSegments(this.http, this.apiConfig.rootUrl, { limit: 200, cursor }));
        segments.push(...answer.items);
        if (!answer.nextCursor) {
          break;
        }
        cursor = answer.nextCursor;
      }
      this._segments.set(segments.sort((a, b) => a.name.localeCompare(b.name)));
    } catch {
      this._segments.set([]);
    }
  }

  async saveSegment(name: string, filter: LeadFilter): Promise<SegmentDto> {
    const segment = await this.call(
      createSegment(this.http, this.apiConfig.rootUrl, { body: { name: name.trim(), filter } }),
    );
    this._segments.update((segments) => [...segments, segment].sort((a, b) => a.name.localeCompare(b.name)));
    return segment;
  }

  /** Creates the draft on the first save, updates it afterwards. */
  async save(draft: EditorDraft): Promise<CampaignDto> {
    this._saving.set(true);
    try {
      const existing = this._campaign();
      const campaign = existing
        ? await this.call(
            updateCampaign(this.http, this.apiConfig.rootUrl, { id: existing.id, body: updateBody(draft) }),
          )
        : await this.call(
            createCampaign(this.http, this.apiConfig.rootUrl, {
              body: { ...updateBody(draft), name: draft.name.trim(), channel: draft.channel },
            }),
          );
      this._campaign.set(campaign);
      return campaign;
    } finally {
      this._saving.set(false);
    }
  }

  /** The live count of the audience; older answers are dropped. */
  async countAudience(channel: CampaignChannel, draft: EditorDraft): Promise<void> {
    const generation = ++this.countGeneration;
    const audience = audienceBody(draft);
    if (draft.audience.mode === 'segment' && !audience.segmentId) {
      this._count.set(null);
      this._counting.set(false);
      return;
    }
    this._counting.set(true);
    try {
      const count = await this.call(
        countAudience(this.http, this.apiConfig.rootUrl, { body: { channel, ...audience } }),
      );
      if (generation === this.countGeneration) {
        this._count.set(count);
        this._countError.set(null);
      }
    } catch (error: unknown) {
      if (generation === this.countGeneration) {
        this._count.set(null);
        this._countError.set(toApiProblem(error));
      }
    } finally {
      if (generation === this.countGeneration) {
        this._counting.set(false);
      }
    }
  }

  /** Renders the content with a lead (or sample data); a template error comes back as field errors. */
  async renderPreview(draft: EditorDraft, leadId: string | null): Promise<ApiProblem | null> {
    const generation = ++this.previewGeneration;
    this._previewing.set(true);
    try {
      const preview = await this.call(
        previewCampaign(this.http, this.apiConfig.rootUrl, {
          body: {
            channel: draft.channel,
            ...(draft.channel === 'email' ? { email: emailContent(draft) } : { whatsapp: whatsappContent(draft) }),
            ...(leadId ? { leadId } : {}),
            campaignName: draft.name.trim() || undefined,
          },
        }),
      );
      if (generation === this.previewGeneration) {
        this._preview.set(preview);
        this._previewError.set(null);
      }
      return null;
    } catch (error: unknown) {
      const problem = toApiProblem(error);
      if (generation === this.previewGeneration) {
        this._previewError.set(problem);
      }
      return problem;
    } finally {
      if (generation === this.previewGeneration) {
        this._previewing.set(false);
      }
    }
  }

  searchLeads(q: string): Promise<LeadDto[]> {
    return this.call(listLeads(this.http, this.apiConfig.rootUrl, { q: q.trim() || undefined, limit: 10 })).then(
      (page) => page.items,
    );
  }

  testSend(to: string, leadId: string | null): Promise<TestSendResultDto> {
    const campaign = this._campaign();
    if (!campaign) {
      return Promise.reject(new Error('Save the draft first'));
    }
    return this.call(
      testSendCampaign(this.http, this.apiConfig.rootUrl, {
        id: campaign.id,
        body: { to: to.trim(), ...(leadId ? { leadId } : {}) },
      }),
    );
  }

  /** Send now (`sendAt` null) or at a time. */
  async schedule(sendAt: Date | null, timeZone: string): Promise<CampaignDto> {
    const campaign = this._campaign();
    if (!campaign) {
      throw new Error('Save the draft first');
    }
    const updated = await this.call(
      scheduleCampaign(this.http, this.apiConfig.rootUrl, {
        id: campaign.id,
        body: { sendAt: sendAt ? sendAt.toISOString() : null, timeZone },
      }),
    );
    this._campaign.set(updated);
    return updated;
  }

  private call<T>(response$: Observable<Body<T>>): Promise<T> {
    return firstValueFrom(response$.pipe(map((response) => response.body)));
  }
}
