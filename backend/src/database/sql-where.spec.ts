import { SqlWhere } from './sql-where';

describe('SqlWhere', () => {
  it('binds named parameters in order, spreads arrays and leaves casts alone', () => {
    const w = new SqlWhere('l.deleted_at');
    w.andWhere('l.organization_id = :org', { org: 'o1' });
    w.andWhere('l.status IN (:...status)', { status: ['new', 'won'] });
    w.andWhere('(l.created_at, l.id) < (:at::timestamptz, :id::uuid)', { at: '2026-01-01', id: 'x' });
    w.andWhere('l.tags && :tags', { tags: ['a', 'b'] });
    expect(w.toSql()).toBe(
      '(l.organization_id = $1) AND (l.status IN ($2, $3)) AND ((l.created_at, l.id) < ($4::timestamptz, $5::uuid)) AND (l.tags && $6) AND (l.deleted_at IS NULL)',
    );
    expect(w.params).toEqual(['o1', 'new', 'won', '2026-01-01', 'x', ['a', 'b']]);
  });

  it('keeps soft-deleted rows after withDeleted and leaves unknown names untouched', () => {
    const w = new SqlWhere('l.deleted_at').withDeleted();
    w.andWhere("l.deleted_at IS NOT NULL AND l.note = ':literal'", {});
    expect(w.toSql()).toBe("(l.deleted_at IS NOT NULL AND l.note = ':literal')");
    expect(w.params).toEqual([]);
  });

  it('refuses an empty list (IN () is not SQL)', () => {
    expect(() => new SqlWhere().andWhere('x IN (:...v)', { v: [] })).toThrow(/non-empty array/);
  });
});
