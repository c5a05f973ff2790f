import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../../common/openapi/api-problem-responses';
import { Actor, CurrentActor } from '../auth/actor';
import { RequirePermissions } from '../auth/decorators';
import { Permission } from '../auth/permissions';
import { AudienceService } from './audience.service';
import { CampaignPreviewsService } from './campaign-previews.service';
import { AudienceCountDto, AudienceCountResultDto } from './dto/audience.dto';
import { PreviewDto, PreviewRequestDto } from './dto/preview.dto';

@ApiTags('Campaigns')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiProblemResponses(401, 403)
@Controller('api')
export class AudiencesController {
  constructor(
    private readonly audiences: AudienceService,
    private readonly previews: CampaignPreviewsService,
  ) {}

  @Post('audiences/count')
  @HttpCode(200)
  @RequirePermissions(Permission.CampaignsRead)
  @ApiOperation({
    operationId: 'countAudience',
    summary: 'Live count of an audience',
    description:
      'How many live leads a segment or filter matches, how many of them a campaign on the channel would reach ' +
      '(address, consent, not suppressed), and why the others would be left out.',
  })
  @ApiOkResponse({ type: AudienceCountResultDto })
  async count(@CurrentActor() actor: Actor, @Body() body: AudienceCountDto): Promise<AudienceCountResultDto> {
    const { prepared } = await this.audiences.resolve(
      actor.principal.organizationId,
      // Neither a segment nor a filter: every live lead.
      { segmentId: body.segmentId, filter: body.filter ?? (body.segmentId ? null : {}) },
      '',
    );
    return this.audiences.count(prepared, body.channel);
  }

  @Post('campaign-previews')
  @HttpCode(200)
  @RequirePermissions(Permission.CampaignsWrite)
  @ApiOperation({
    operationId: 'previewCampaign',
    summary: 'Render content with a lead',
    description:
      'Renders email or WhatsApp content with a chosen lead, or sample data; template errors are field errors.',
  })
  @ApiOkResponse({ type: PreviewDto })
  @ApiProblemResponses(404)
  async preview(@CurrentActor() actor: Actor, @Body() body: PreviewRequestDto): Promise<PreviewDto> {
    return this.previews.preview(actor, body);
  }
}
