import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../../common/openapi/api-problem-responses';
import { RequirePermissions } from '../auth/decorators';
import { Permission } from '../auth/permissions';
import { HelpPageDto, HelpPageSummaryDto } from './dto/assistant.dto';
import { LocalDocsService } from './local-docs.service';

/** The documentation in docs/, for the console's help viewer (where local answers link to). */
@ApiTags('Help')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiProblemResponses(401, 403)
@RequirePermissions(Permission.AssistantUse)
@Controller('api/help')
export class HelpController {
  constructor(private readonly docs: LocalDocsService) {}

  @Get()
  @ApiOperation({
    operationId: 'listHelpPages',
    summary: 'Pages of the documentation',
    description: 'The pages of the documentation the help assistant answers from, with their titles.',
  })
  @ApiOkResponse({ type: [HelpPageSummaryDto] })
  list(): Promise<HelpPageSummaryDto[]> {
    return this.docs.pages();
  }

  @Get(':page')
  @ApiOperation({
    operationId: 'getHelpPage',
    summary: 'One documentation page as Markdown',
    description: 'The Markdown source of one documentation page, by its name from listHelpPages.',
  })
  @ApiOkResponse({ type: HelpPageDto })
  @ApiProblemResponses(404)
  async get(@Param('page') page: string): Promise<HelpPageDto> {
    const found = await this.docs.page(page);
    if (!found) throw new NotFoundException(`No help page ${page}`);
    return found;
  }
}
