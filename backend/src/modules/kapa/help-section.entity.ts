import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One section (a heading and its text) of a page in docs/: the local help
 * assistant's knowledge. Global, not tenant data. Searched through a GIN
 * expression index created by the migration.
 */
@Entity({ name: 'help_sections' })
@Index('idx_help_sections_search', { synchronize: false })
export class HelpSection {
  /** `<page path>#<anchor>`: stable across re-indexing. */
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  page: string;

  @Column({ name: 'page_title', type: 'text' })
  pageTitle: string;

  @Column({ type: 'text' })
  heading: string;

  @Column({ type: 'text' })
  anchor: string;

  @Column({ type: 'text' })
  body: string;

  /** SHA-256 of all docs when indexed: re-index only when the docs change. */
  @Column({ name: 'docs_hash', type: 'text' })
  docsHash: string;
}
