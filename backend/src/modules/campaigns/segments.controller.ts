import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { PageQueryDto } from '../../common/pagination';
import { ApiProblemResponses } from '../../common/openapi/api-problem-responses';
import { Actor, CurrentActor } from '../auth/actor';
import { RequirePermissions } from '../auth/decorators';
import { Permission } from '../auth/permissions';
import { toSegmentDto } from './campaign.mapper';
import { CreateSegmentDto, SegmentDto, SegmentPageDto, UpdateSegmentDto } from './dto/segment.dto';
import { SegmentsService } from './segments.service';

@ApiTags('Campaigns')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiProblemResponses(401, 403)
@Controller('api/segments')
export class SegmentsController {
  constructor(private readonly segments: SegmentsService) {}

  @Get()
  @RequirePermissions(Permission.CampaignsRead)
  @ApiOperation({
    operationId: 'listSegments',
    summary: 'Saved segments, newest first',
    description: 'Keyset-paginated.',
  })
  @ApiOkResponse({ type: SegmentPageDto })
  async list(@CurrentActor() actor: Actor, @Query() query: PageQueryDto): Promise<SegmentPageDto> {
    const page = await this.segments.list(actor.principal.organizationId, query.limit, query.cursor);
    return { items: page.items.map(toSegmentDto), nextCursor: page.nextCursor };
  }

  @Post()
  @RequirePermissions(Permission.CampaignsWrite)
  @ApiOperation({
    operationId: 'createSegment',
    summary: 'Save a lead filter as a segment',
    description: 'The filter is evaluated when a campaign using the segment starts sending.',
  })
  @ApiCreatedResponse({ type: SegmentDto })
  async create(@CurrentActor() actor: Actor, @Body() body: CreateSegmentDto): Promise<SegmentDto> {
    return toSegmentDto(await this.segments.create(actor, body));
  }

  @Get(':id')
  @RequirePermissions(Permission.CampaignsRead)
  @ApiOperation({ operationId: 'getSegment', summary: 'One segment', description: 'Its name, description and filter.' })
  @ApiOkResponse({ type: SegmentDto })
  @ApiProblemResponses(404)
  async get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<SegmentDto> {
    return toSegmentDto(await this.segments.get(actor.principal.organizationId, id));
  }

  @Patch(':id')
  @RequirePermissions(Permission.CampaignsWrite)
  @ApiOperation({
    operationId: 'updateSegment',
    summary: 'Change a segment',
    description: 'Campaigns already sending keep the audience they materialized.',
  })
  @ApiOkResponse({ type: SegmentDto })
  @ApiProblemResponses(404)
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateSegmentDto,
  ): Promise<SegmentDto> {
    return toSegmentDto(await this.segments.update(actor, id, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermissions(Permission.CampaignsWrite)
  @ApiOperation({
    operationId: 'deleteSegment',
    summary: 'Delete a segment',
    description: 'Answers 409 `segment_in_use` while a scheduled, sending or paused campaign uses it.',
  })
  @ApiNoContentResponse()
  @ApiProblemResponses(404, 409)
  async remove(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.segments.remove(actor, id);
  }
}
