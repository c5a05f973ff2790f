import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
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
import { CreateLeadFieldDto, LeadFieldDto, UpdateLeadFieldDto } from './dto/lead-field.dto';
import { LeadFieldDefinition } from './lead-field-definition.entity';
import { LeadFieldsService } from './lead-fields.service';

const toDto = (f: LeadFieldDefinition): LeadFieldDto => ({
  id: f.id,
  key: f.key,
  label: f.label,
  type: f.type,
  options: f.options,
  required: f.required,
  position: f.position,
  createdAt: f.createdAt.toISOString(),
  updatedAt: f.updatedAt.toISOString(),
});

@ApiTags('Leads')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiProblemResponses(401, 403)
@Controller('api/lead-fields')
export class LeadFieldsController {
  constructor(private readonly fields: LeadFieldsService) {}

  @Get()
  @RequirePermissions(Permission.LeadsRead)
  @ApiOperation({
    operationId: 'listLeadFields',
    summary: "The organization's custom lead fields, in order",
    description:
      'The custom fields of your organization with their key, label, type, options and position: what lead values (customFields) and custom filters accept.',
  })
  @ApiOkResponse({ type: [LeadFieldDto] })
  async listLeadFields(@CurrentActor() actor: Actor): Promise<LeadFieldDto[]> {
    return (await this.fields.list(actor.principal.organizationId)).map(toDto);
  }

  @Post()
  @RequirePermissions(Permission.OrganizationManage)
  @ApiOperation({
    operationId: 'createLeadField',
    summary: 'Define a custom lead field (up to 100)',
    description:
      'Adds a typed field (text, number, boolean, date or select with options). The key is fixed once created. At most 100 per organization.',
  })
  @ApiCreatedResponse({ type: LeadFieldDto })
  @ApiProblemResponses(409)
  async createLeadField(@CurrentActor() actor: Actor, @Body() body: CreateLeadFieldDto): Promise<LeadFieldDto> {
    return toDto(await this.fields.create(actor, body));
  }

  @Patch(':id')
  @RequirePermissions(Permission.OrganizationManage)
  @ApiOperation({
    operationId: 'updateLeadField',
    summary: "Change a custom field's label, options, required flag or position (key and type are fixed)",
    description:
      'Changes the label, the options of a select field, whether it is required, or its position. The key and the type cannot change.',
  })
  @ApiOkResponse({ type: LeadFieldDto })
  @ApiProblemResponses(404)
  async updateLeadField(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateLeadFieldDto,
  ): Promise<LeadFieldDto> {
    return toDto(await this.fields.update(actor, id, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermissions(Permission.OrganizationManage)
  @ApiOperation({
    operationId: 'deleteLeadField',
    summary: 'Delete a custom field definition (stored values stay in the leads, hidden)',
    description:
      'Leads keep their stored values, but answers no longer show them and filters no longer accept the key. Recorded in the audit log.',
  })
  @ApiNoContentResponse()
  @ApiProblemResponses(404)
  async deleteLeadField(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.fields.remove(actor, id);
  }
}
