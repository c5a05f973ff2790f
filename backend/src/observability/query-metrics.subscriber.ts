import { AfterQueryEvent, EntitySubscriberInterface, EventSubscriber } from 'typeorm';
import { dbQueryDuration, sqlOperation } from './metrics';

/** Times every query TypeORM runs (TypeORM measures; we record). */
@EventSubscriber()
export class QueryMetricsSubscriber implements EntitySubscriberInterface {
  afterQuery(event: AfterQueryEvent): void {
    if (event.executionTime === undefined) return;
    dbQueryDuration.observe(
      { operation: sqlOperation(event.query), success: String(event.success) },
      event.executionTime / 1000,
    );
  }
}
