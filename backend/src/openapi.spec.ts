import type { OpenAPIObject } from '@nestjs/swagger';
import { undocumentedOperations } from './openapi';

const doc = (paths: Record<string, unknown>) =>
  ({ openapi: '3.0.0', info: { title: 't', version: '1' }, paths }) as unknown as OpenAPIObject;

describe('undocumentedOperations', () => {
  it('passes an operation with operationId, summary, description and a declared tag', () => {
    const op = { operationId: 'listLeads', summary: 'Leads', description: 'Keyset-paginated.', tags: ['Leads'] };
    expect(undocumentedOperations(doc({ '/api/leads': { get: op } }))).toEqual([]);
  });

  it('names the route and what it lacks, including undeclared tags', () => {
    const problems = undocumentedOperations(
      doc({
        '/api/invoices': {
          get: { operationId: 'listInvoices', tags: ['Invoices'] },
          post: { summary: 'Create', description: 'x', tags: [] },
          parameters: [],
        },
      }),
    );
    expect(problems).toEqual([
      'GET /api/invoices: no summary, description',
      'GET /api/invoices: tag "Invoices" is not declared in API_TAGS',
      'POST /api/invoices: no operationId, a tag',
    ]);
  });
});
