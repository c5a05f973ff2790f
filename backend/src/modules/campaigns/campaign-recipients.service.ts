import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { decodeCursor, encodeCursor, Page } from '../../common/pagination';
import { LeadAudienceService } from '../leads/lead-audience.service';
import { CampaignRecipient } from './campaign-recipient.entity';
import type { RecipientListQueryDto } from './dto/recipient.dto';

export type RecipientRow = CampaignRecipient & { leadName: string | null };

/** The ledger as the console reads it: one campaign's recipients, keyset-paged on id. */
@Injectable()
export class CampaignRecipientsService {
  constructor(
    @InjectRepository(CampaignRecipient) private readonly recipients: Repository<CampaignRecipient>,
    private readonly leadAudience: LeadAudienceService,
  ) {}

  /** The caller has checked the campaign belongs to the organization. */
  async list(organizationId: string, campaignId: string, query: RecipientListQueryDto): Promise<Page<RecipientRow>> {
    const qb = this.recipients
      .createQueryBuilder('r')
      .where('r.campaign_id = :campaignId AND r.organization_id = :org', { campaignId, org: organizationId })
      .orderBy('r.id', 'ASC')
      .limit(query.limit + 1);
    if (query.status) qb.andWhere('r.status = :status', { status: query.status });
    if (query.q?.trim())
      qb.andWhere("r.address LIKE :q ESCAPE '\\'", {
        q: `${query.q
          .trim()
          .toLowerCase()
          .replace(/[\\%_]/g, '\\$&')}%`,
      });
    if (query.cursor) {
      const [id] = decodeCursor(query.cursor, 1);
      qb.andWhere('r.id > :after::uuid', { after: id });
    }
    const rows = await qb.getMany();
    const items = rows.slice(0, query.limit);
    const names = await this.leadAudience.displayNames(
      organizationId,
      items.map((r) => r.leadId),
    );
    const last = items[items.length - 1];
    return {
      items: items.map((r) => Object.assign(r, { leadName: names.get(r.leadId) ?? null })),
      nextCursor: rows.length > query.limit && last ? encodeCursor([last.id]) : null,
    };
  }
}
