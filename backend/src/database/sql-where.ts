/**
 * The conditions a filter adds to a query: what `applyLeadFilter` and its
 * kind need, satisfied by TypeORM's SelectQueryBuilder and by SqlWhere.
 */
export interface WhereTarget {
  andWhere(where: string, parameters?: Record<string, unknown>): unknown;
  /** Also rows that are soft-deleted. */
  withDeleted(): unknown;
}

/** `:name` and `:...name` (an array spread into a list) as TypeORM writes them; `::cast` is not one. */
const NAMED_PARAMETER = /(?<![:\w]):(\.\.\.)?([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * A WHERE clause built from named-parameter fragments, compiled to
 * positional `$n` parameters for pg. For hot read paths (the leads list):
 * the same fragments as a SelectQueryBuilder, without its per-request cost
 * (expression maps, alias rewriting, escaping every column with regexes).
 * Every value is bound, never written into the SQL.
 */
export class SqlWhere implements WhereTarget {
  readonly params: unknown[] = [];
  private readonly conditions: string[] = [];
  private includeDeleted = false;

  /** `softDeleteColumn`: the column of soft-deleted rows, left out unless withDeleted(). */
  constructor(private readonly softDeleteColumn?: string) {}

  /** A positional parameter for `value` (`$n`). */
  bind(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  andWhere(where: string, parameters: Record<string, unknown> = {}): this {
    this.conditions.push(
      where.replace(NAMED_PARAMETER, (match: string, spread: string | undefined, name: string) => {
        if (!Object.prototype.hasOwnProperty.call(parameters, name)) return match;
        const value = parameters[name];
        if (!spread) return this.bind(value);
        if (!Array.isArray(value) || value.length === 0) throw new Error(`:...${name} needs a non-empty array`);
        return value.map((v: unknown) => this.bind(v)).join(', ');
      }),
    );
    return this;
  }

  withDeleted(): this {
    this.includeDeleted = true;
    return this;
  }

  /** The conditions joined with AND (`TRUE` when there are none). */
  toSql(): string {
    const all =
      this.softDeleteColumn && !this.includeDeleted
        ? [...this.conditions, `${this.softDeleteColumn} IS NULL`]
        : this.conditions;
    return all.length === 0 ? 'TRUE' : all.map((c) => `(${c})`).join(' AND ');
  }
}
