import { Pipe, PipeTransform } from '@angular/core';

import { formatBytes, formatDuration, formatMs, formatRelativeTime } from './format';
import { formatInstantIn } from './time-zone';

@Pipe({ name: 'bytes' })
export class BytesPipe implements PipeTransform {
  transform(value: number | null | undefined): string {
    return formatBytes(value);
  }
}

@Pipe({ name: 'ms' })
export class MillisecondsPipe implements PipeTransform {
  transform(value: number | null | undefined): string {
    return formatMs(value);
  }
}

@Pipe({ name: 'duration' })
export class DurationPipe implements PipeTransform {
  transform(seconds: number | null | undefined): string {
    return formatDuration(seconds);
  }
}

/** "3 minutes ago", "2 days ago", "never": computed when rendered. */
@Pipe({ name: 'relativeTime' })
export class RelativeTimePipe implements PipeTransform {
  transform(value: string | Date | null | undefined, never = 'never'): string {
    if (!value) {
      return never;
    }
    const date = value instanceof Date ? value : new Date(value);
    return Number.isNaN(date.getTime()) ? never : formatRelativeTime(date, new Date());
  }
}

/** An instant as the wall clock of `timeZone` (the organization's): "Mar 29, 2026, 3:30:00 AM (Europe/Berlin)". */
@Pipe({ name: 'inZone' })
export class InZonePipe implements PipeTransform {
  transform(value: string | Date | null | undefined, timeZone: string, showZone = true): string {
    const text = formatInstantIn(value, timeZone);
    return text && showZone ? `${text} (${timeZone})` : text;
  }
}
