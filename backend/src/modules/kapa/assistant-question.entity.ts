import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Every question asked to the assistant, with how it went: the memory behind insights. */
@Entity({ name: 'assistant_questions' })
@Index('idx_assistant_questions_org_created', ['organizationId', 'createdAt', 'id'])
@Index('idx_assistant_questions_qa', ['organizationId', 'questionAnswerId'])
export class AssistantQuestion {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null;

  @Column({ type: 'text' })
  question: string;

  @Column({ name: 'thread_id', type: 'text', nullable: true })
  threadId: string | null;

  @Column({ name: 'question_answer_id', type: 'text' })
  questionAnswerId: string;

  @Column({ type: 'text' })
  provider: 'kapa' | 'local';

  @Column({ name: 'latency_ms', type: 'integer' })
  latencyMs: number;

  @Column({ name: 'is_uncertain', type: 'boolean' })
  isUncertain: boolean;

  @Column({ type: 'text', nullable: true })
  reaction: 'upvote' | 'downvote' | null;

  @Column({ name: 'feedback_comment', type: 'text', nullable: true })
  feedbackComment: string | null;

  // Milliseconds, like JavaScript dates: keyset cursors carry this value exactly.
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
