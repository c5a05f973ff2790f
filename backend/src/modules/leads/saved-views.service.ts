import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { instanceToPlain } from 'class-transformer';
import { Repository } from 'typeorm';
import type { Actor } from '../auth/actor';
import { SavedViewInputDto } from './dto/lead.dto';
import { compileCustomConditions } from './lead-filter';
import { LeadFieldsService } from './lead-fields.service';
import { SavedView } from './saved-view.entity';

const MAX_VIEWS_PER_USER = 100;

@Injectable()
export class SavedViewsService {
  constructor(
    @InjectRepository(SavedView) private readonly views: Repository<SavedView>,
    private readonly fields: LeadFieldsService,
  ) {}

  /** Your views and the ones shared in your organization, oldest first. */
  list(actor: Actor): Promise<SavedView[]> {
    return this.views
      .createQueryBuilder('v')
      .where('v.organization_id = :org', { org: actor.principal.organizationId })
      .andWhere('(v.user_id = :me OR v.shared)', { me: actor.principal.id })
      .orderBy('v.created_at', 'ASC')
      .addOrderBy('v.id', 'ASC')
      .limit(MAX_VIEWS_PER_USER * 2)
      .getMany();
  }

  async create(actor: Actor, input: SavedViewInputDto): Promise<SavedView> {
    await this.checkCustomConditions(actor, input);
    const count = await this.views.count({
      where: { organizationId: actor.principal.organizationId, userId: actor.principal.id },
    });
    if (count >= MAX_VIEWS_PER_USER)
      throw new ForbiddenException(`You can keep up to ${MAX_VIEWS_PER_USER} saved views.`);
    return this.views.save({
      organizationId: actor.principal.organizationId,
      userId: actor.principal.id,
      name: input.name,
      shared: input.shared ?? false,
      filter: instanceToPlain(input.filter),
      sort: input.sort ?? 'createdAt',
      order: input.order ?? 'desc',
    });
  }

  async update(actor: Actor, id: string, input: SavedViewInputDto): Promise<SavedView> {
    const view = await this.own(actor, id);
    await this.checkCustomConditions(actor, input);
    Object.assign(view, {
      name: input.name,
      shared: input.shared ?? view.shared,
      filter: instanceToPlain(input.filter),
      sort: input.sort ?? view.sort,
      order: input.order ?? view.order,
    });
    return this.views.save(view);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.views.delete({ id: (await this.own(actor, id)).id });
  }

  /**
   * Conditions on custom fields must fit the fields as they are now. A field
   * deleted later makes the view answer 400 naming the condition when used.
   */
  private async checkCustomConditions(actor: Actor, input: SavedViewInputDto): Promise<void> {
    if (input.filter.custom?.length)
      compileCustomConditions(input.filter.custom, await this.fields.validatorForActor(actor), 'filter.custom');
  }

  /** Only the author changes a view; others' shared views are read-only, other organizations' do not exist. */
  private async own(actor: Actor, id: string): Promise<SavedView> {
    const view = await this.views.findOne({ where: { id, organizationId: actor.principal.organizationId } });
    if (!view || (view.userId !== actor.principal.id && !view.shared))
      throw new NotFoundException(`No saved view ${id}`);
    if (view.userId !== actor.principal.id) throw new ForbiddenException('Only its author can change a saved view.');
    return view;
  }
}
