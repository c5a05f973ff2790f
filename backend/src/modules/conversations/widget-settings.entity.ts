import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The website widget of one organization: its public key and the sites allowed to embed it. */
@Entity({ name: 'widget_settings' })
@Index('uq_widget_settings_public_key', ['publicKey'], { unique: true })
export class WidgetSettings {
  @PrimaryColumn({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  /** `wk_` + 24 random base64url characters: public (it is in the page), it only opens the widget's routes. */
  @Column({ name: 'public_key', type: 'text' })
  publicKey: string;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  /** Exact origins (scheme://host[:port]) allowed to embed the widget. */
  @Column({ name: 'allowed_origins', type: 'text', array: true, default: () => "'{}'" })
  allowedOrigins: string[];

  @Column({ type: 'text', default: 'Hi! Ask us anything, or leave your details and we will get back to you.' })
  greeting: string;

  @Column({ name: 'accent_color', type: 'text', default: '#3f51b5' })
  accentColor: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
