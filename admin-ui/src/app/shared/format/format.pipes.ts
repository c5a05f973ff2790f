import { Pipe, PipeTransform } from '@angular/core';

import { formatBytes, formatDuration, formatMs } from './format';

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
