import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { Repository } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { HelpSection } from './help-section.entity';

export interface DocsHit {
  page: string;
  pageTitle: string;
  heading: string;
  anchor: string;
  excerpt: string;
  rank: number;
}

/** The weighted document of a section (page title and heading first); the migration's GIN index is on this same expression. */
export const SECTION_TSV =
  "(setweight(to_tsvector('english', page_title || ' ' || heading), 'A') || setweight(to_tsvector('english', body), 'B'))";

/** GitHub-style heading anchors, as the help viewer builds them. */
export function anchorOf(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .trim()
    .replace(/\s+/g, '-');
}

/** Splits a Markdown page into sections at H1-H3 headings (fenced code is not split). */
export function splitSections(markdown: string): { pageTitle: string; sections: { heading: string; body: string }[] } {
  const sections: { heading: string; body: string }[] = [];
  let pageTitle = '';
  let current: { heading: string; lines: string[] } | null = null;
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (/^```/.test(line)) inFence = !inFence;
    const m = inFence ? null : /^(#{1,3})\s+(.+?)\s*#*\s*$/.exec(line);
    if (m) {
      if (current) sections.push({ heading: current.heading, body: current.lines.join('\n').trim() });
      if (m[1].length === 1 && !pageTitle) pageTitle = m[2];
      current = { heading: m[2], lines: [] };
    } else if (current) {
      current.lines.push(line);
    }
  }
  if (current) sections.push({ heading: current.heading, body: current.lines.join('\n').trim() });
  return { pageTitle, sections: sections.filter((s) => s.body.length > 0) };
}

/**
 * The local help assistant's knowledge: the Markdown of DOCS_DIR, split by
 * heading and searched with PostgreSQL full-text search. Indexed at start-up
 * (only when the docs changed).
 */
@Injectable()
export class LocalDocsService implements OnApplicationBootstrap {
  private readonly logger = new Logger('LocalDocs');

  constructor(
    private readonly config: AppConfig,
    @InjectRepository(HelpSection) private readonly sections: Repository<HelpSection>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.index();
    } catch (err) {
      this.logger.warn(`Could not index ${this.config.docsDir}: ${(err as Error).message}`);
    }
  }

  async index(): Promise<number> {
    const files = await markdownFiles(this.config.docsDir);
    const pages = await Promise.all(
      files.map(async (f) => ({ file: f, text: await fs.readFile(path.join(this.config.docsDir, f), 'utf8') })),
    );
    const hash = createHash('sha256');
    for (const p of pages) hash.update(p.file).update('\0').update(p.text).update('\0');
    const docsHash = hash.digest('hex');
    const existing = await this.sections.findOne({ where: {}, select: { id: true, docsHash: true } });
    if (existing?.docsHash === docsHash) return this.sections.count();
    const rows: HelpSection[] = [];
    for (const { file, text } of pages) {
      const page = file.replace(/\.md$/, '');
      const { pageTitle, sections } = splitSections(text);
      for (const s of sections) {
        const anchor = anchorOf(s.heading);
        rows.push(
          Object.assign(new HelpSection(), {
            id: `${page}#${anchor}`,
            page,
            pageTitle: pageTitle || page,
            heading: s.heading,
            anchor,
            body: s.body,
            docsHash,
          }),
        );
      }
    }
    const unique = [...new Map(rows.map((r) => [r.id, r])).values()];
    await this.sections.manager.transaction(async (manager) => {
      await manager.clear(HelpSection);
      for (let i = 0; i < unique.length; i += 200) await manager.insert(HelpSection, unique.slice(i, i + 200));
    });
    this.logger.log(`Indexed ${unique.length} sections of ${pages.length} pages from ${this.config.docsDir}`);
    return unique.length;
  }

  /** Best sections for a question: all words first (websearch syntax), any word if nothing matches. */
  async search(question: string, limit = 3): Promise<DocsHit[]> {
    const strict = await this.query(`websearch_to_tsquery('english', $1)`, question, limit);
    if (strict.length > 0) return strict;
    const words = question.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? [];
    if (words.length === 0) return [];
    return this.query(`to_tsquery('english', $1)`, words.map((w) => `${w}:*`).join(' | '), limit);
  }

  count(): Promise<number> {
    return this.sections.count();
  }

  /** The pages of the help viewer, in file order. */
  async pages(): Promise<{ page: string; title: string }[]> {
    const rows = await this.sections
      .createQueryBuilder('s')
      .select('s.page', 'page')
      .addSelect('min(s.page_title)', 'title')
      .groupBy('s.page')
      .orderBy('s.page')
      .getRawMany<{ page: string; title: string }>();
    return rows;
  }

  /** One page's Markdown; only pages of the index can be read (no paths from the client reach the disk). */
  async page(page: string): Promise<{ page: string; title: string; markdown: string } | null> {
    const known = (await this.pages()).find((p) => p.page === page);
    if (!known) return null;
    const markdown = await fs.readFile(path.join(this.config.docsDir, `${known.page}.md`), 'utf8');
    return { page: known.page, title: known.title, markdown };
  }

  private async query(tsquery: string, input: string, limit: number): Promise<DocsHit[]> {
    const rows = await this.sections.query<
      { page: string; page_title: string; heading: string; anchor: string; excerpt: string; rank: number }[]
    >(
      `SELECT page, page_title, heading, anchor,
              body AS excerpt,
              ts_rank_cd(${SECTION_TSV}, q) AS rank
         FROM help_sections, ${tsquery} AS q
        WHERE ${SECTION_TSV} @@ q
        ORDER BY rank DESC, id
        LIMIT $2`,
      [input, limit],
    );
    return rows.map((r) => ({
      page: r.page,
      pageTitle: r.page_title,
      heading: r.heading,
      anchor: r.anchor,
      excerpt: leadingParagraphs(r.excerpt, 700),
      rank: Number(r.rank),
    }));
  }
}

/** Whole paragraphs from the start, up to `max` characters: excerpts never cut Markdown in half. */
export function leadingParagraphs(markdown: string, max: number): string {
  const out: string[] = [];
  let length = 0;
  for (const paragraph of markdown.split(/\n{2,}/)) {
    if (out.length > 0 && length + paragraph.length > max) break;
    out.push(paragraph);
    length += paragraph.length + 2;
  }
  return out.join('\n\n');
}

async function markdownFiles(dir: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(dir, { recursive: true });
    return entries.filter((e) => e.endsWith('.md')).sort();
  } catch {
    return [];
  }
}
