import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../../common/openapi/api-problem-responses';
import { Actor, CurrentActor } from '../auth/actor';
import { RequirePermissions } from '../auth/decorators';
import { Permission } from '../auth/permissions';
import { OrganizationDto, UpdateOrganizationDto } from './dto/organization.dto';
import { Organization } from './organization.entity';
import { OrganizationsService } from './organizations.service';

const toDto = (o: Organization): OrganizationDto => ({
  id: o.id,
  name: o.name,
  mfaRequired: o.mfaRequired,
  timeZone: o.timeZone,
  createdAt: o.createdAt.toISOString(),
});

@ApiTags('Organization')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiProblemResponses(401, 403)
@Controller('api/organization')
export class OrganizationsController {
  constructor(private readonly organizations: OrganizationsService) {}

  @Get()
  @ApiOperation({
    operationId: 'getOrganization',
    summary: 'Your organization',
    description: 'Its name, its time zone, and whether MFA is required for owners and admins.',
  })
  @ApiOkResponse({ type: OrganizationDto })
  async get(@CurrentActor() actor: Actor): Promise<OrganizationDto> {
    return toDto(await this.organizations.get(actor.principal.organizationId));
  }

  @Patch()
  @RequirePermissions(Permission.OrganizationManage)
  @ApiOperation({
    operationId: 'updateOrganization',
    summary: 'Rename your organization, require MFA or set its time zone',
    description:
      'Renames the organization, turns required MFA on or off, or sets its time zone (the days of analytics). Recorded in the audit log.',
  })
  @ApiOkResponse({ type: OrganizationDto })
  async update(@CurrentActor() actor: Actor, @Body() body: UpdateOrganizationDto): Promise<OrganizationDto> {
    return toDto(await this.organizations.update(actor, body));
  }
}
