import 'reflect-metadata';
import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { createValidationPipe } from '../../../common/errors/validation';
import { ValidationProblem } from '../../../common/errors/problem';
import { LeadListQueryDto, parseLeadListQuery } from './lead.dto';

const metadata: ArgumentMetadata = { type: 'query', metatype: LeadListQueryDto, data: undefined };
/** The pipe without the fast parsers: what the fast path must agree with. */
const full = new (Object.getPrototypeOf(createValidationPipe().constructor) as typeof ValidationPipe)({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  forbidUnknownValues: true,
});
const plain = (v: object) => JSON.parse(JSON.stringify(v)) as unknown;

describe('parseLeadListQuery (the fast path of GET /api/leads)', () => {
  const accepted: Record<string, unknown>[] = [
    {},
    { limit: '50' },
    { limit: '1', cursor: 'WyIyMDI2LTAxLTAxIiwieCJd' },
    { limit: '200', sort: 'score', order: 'asc' },
    { sort: 'name', order: 'desc', q: 'ana lim' },
    { q: '' },
    { status: 'qualified' },
    { status: ['new', 'lost'], q: 'x'.repeat(200) },
  ];
  it.each(accepted)('gives what the ValidationPipe gives for %j', async (query) => {
    const fast = parseLeadListQuery(query);
    expect(fast).toBeInstanceOf(LeadListQueryDto);
    expect(plain(fast!)).toEqual(plain((await full.transform({ ...query }, metadata)) as object));
  });

  const declined: Record<string, unknown>[] = [
    { limit: '0' },
    { limit: '201' },
    { limit: '050' },
    { limit: 'ten' },
    { limit: ['5', '6'] },
    { sort: 'email' },
    { order: 'up' },
    { status: 'open' },
    { status: Array(11).fill('new') },
    { q: 'x'.repeat(201) },
    { q: ['a', 'b'] },
    { cursor: 'c'.repeat(501) },
    { tag: 'vip' },
    { unknown: '1' },
    { ['__proto__']: 'x' },
  ];
  it.each(declined)('leaves %j to the full pipe', (query) => {
    expect(parseLeadListQuery(query)).toBeUndefined();
  });

  it('keeps the problem+json errors: the global pipe still rejects what the fast path declines', async () => {
    const pipe = createValidationPipe();
    await expect(pipe.transform({ limit: '0', color: 'red' }, metadata)).rejects.toBeInstanceOf(ValidationProblem);
    await expect(pipe.transform({ limit: '20', sort: 'score' }, metadata)).resolves.toEqual(
      Object.assign(new LeadListQueryDto(), { limit: 20, sort: 'score' }),
    );
  });
});
