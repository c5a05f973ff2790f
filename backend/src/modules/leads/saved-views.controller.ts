import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { ApiProblemResponses } from '../../common/openapi/api-problem-responses';
import { Actor, CurrentActor } from '../auth/actor';
import { RequirePermissions } from '../auth/decorators';
import { Permission } from '../auth/permissions';
import { SavedViewDto, SavedViewInputDto } from './dto/lead.dto';
import { SavedView } from './saved-view.entity';
import { SavedViewsService } from './saved-views.service';

const toDto = (v: SavedView, me: string): SavedViewDto => ({
  id: v.id,
  name: v.name,
  shared: v.shared,
  mine: v.userId === me,
  filter: v.filter,
  sort: v.sort,
  order: v.order,
  createdAt: v.createdAt.toISOString(),
});

@ApiTags('Leads')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiProblemResponses(401, 403)
@RequirePermissions(Permission.LeadsRead)
@Controller('api/lead-views')
export class SavedViewsController {
  constructor(private readonly views: SavedViewsService) {}

  @Get()
  @ApiOperation({
    operationId: 'listLeadViews',
    summary: 'Your saved lead views and the shared ones',
    description:
      'Your own saved views and the ones shared with your organization, each with its filter, sort and columns.',
  })
  @ApiOkResponse({ type: [SavedViewDto] })
  async list(@CurrentActor() actor: Actor): Promise<SavedViewDto[]> {
    return (await this.views.list(actor)).map((v) => toDto(v, actor.principal.id));
  }

  @Post()
  @ApiOperation({
    operationId: 'createLeadView',
    summary: 'Save a lead filter under a name',
    description: 'Saves a filter, sort and column choice under a name, for you or shared with your organization.',
  })
  @ApiCreatedResponse({ type: SavedViewDto })
  async create(@CurrentActor() actor: Actor, @Body() body: SavedViewInputDto): Promise<SavedViewDto> {
    return toDto(await this.views.create(actor, body), actor.principal.id);
  }

  @Put(':id')
  @ApiOperation({
    operationId: 'updateLeadView',
    summary: 'Change one of your saved views',
    description: 'Replaces the name, filter, sort, columns or sharing of one of your own views.',
  })
  @ApiOkResponse({ type: SavedViewDto })
  @ApiProblemResponses(404)
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: SavedViewInputDto,
  ): Promise<SavedViewDto> {
    return toDto(await this.views.update(actor, id, body), actor.principal.id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'deleteLeadView',
    summary: 'Delete one of your saved views',
    description: 'Only its author can delete a view (403 for others).',
  })
  @ApiNoContentResponse()
  @ApiProblemResponses(404)
  async remove(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.views.remove(actor, id);
  }
}
