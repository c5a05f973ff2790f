import { Controller, Get, NotFoundException, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type {} from '@fastify/static'; // reply.sendFile
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../modules/auth/decorators';

/** Prefixes that belong to the API (and the tracking links of emails): an unknown path there is a 404, never the console. */
const API_PREFIXES = /^\/(api|health|metrics|docs|t|u)(\/|$)|^\/docs-json$/;

/**
 * SPA fallback: any other GET that asks for HTML gets the console's
 * index.html, so deep links like /system-status work on reload.
 */
@ApiExcludeController()
@Public()
@Controller()
export class ConsoleController {
  @Get('*')
  index(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const path = req.url.split('?')[0];
    const wantsHtml = (req.headers.accept ?? '').includes('text/html');
    if (API_PREFIXES.test(path) || !wantsHtml || /\.\w+$/.test(path)) {
      throw new NotFoundException(`No route for GET ${path}`);
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html') as unknown as Promise<void>;
  }
}
