import { DiscoveryService } from '@nestjs/core';
import { InlineJobQueues } from './inline-job-queues';
import { JOB_PROCESSOR_QUEUE, JobLike } from './job';
import { QueueName } from './queue-names';
import { QueueProcessor } from './queue-processor';

class FlakyProcessor extends QueueProcessor {
  readonly seen: { name: string; attempt: number }[] = [];
  failuresLeft = 0;

  protected handle(job: JobLike): Promise<unknown> {
    this.seen.push({ name: job.name, attempt: job.attemptsMade });
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      return Promise.reject(new Error('transient'));
    }
    return Promise.resolve('done');
  }
}
Reflect.defineMetadata(JOB_PROCESSOR_QUEUE, QueueName.System, FlakyProcessor);

function setup() {
  const processor = new FlakyProcessor();
  const discovery = {
    getProviders: () => [{ instance: processor, metatype: FlakyProcessor }],
  } as unknown as DiscoveryService;
  const queues = new InlineJobQueues(discovery);
  queues.onApplicationBootstrap();
  return { processor, queues };
}

describe('InlineJobQueues', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['performance', 'nextTick', 'setImmediate'] }));
  afterEach(() => jest.useRealTimers());

  it('runs a job through the processor registered for its queue', async () => {
    const { processor, queues } = setup();
    await queues.add(QueueName.System, 'work', { n: 1 });
    await jest.runAllTimersAsync();
    expect(processor.seen).toEqual([{ name: 'work', attempt: 0 }]);
    expect(await queues.counts(QueueName.System)).toMatchObject({ completed: 1, waiting: 0, active: 0 });
  });

  it('retries a failing job with exponential backoff, then succeeds', async () => {
    const { processor, queues } = setup();
    processor.failuresLeft = 2;
    await queues.add(QueueName.System, 'work', {});
    await jest.advanceTimersByTimeAsync(0);
    expect(processor.seen).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(999);
    expect(processor.seen).toHaveLength(1); // first retry waits 1 s
    await jest.advanceTimersByTimeAsync(1);
    expect(processor.seen).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(2_000); // second retry waits 2 s
    expect(processor.seen.map((s) => s.attempt)).toEqual([0, 1, 2]);
    expect(await queues.counts(QueueName.System)).toMatchObject({ completed: 1, failed: 0 });
  });

  it('marks a job failed after its last attempt', async () => {
    const { processor, queues } = setup();
    processor.failuresLeft = 10;
    await queues.add(QueueName.System, 'work', {}, { attempts: 2 });
    await jest.runAllTimersAsync();
    expect(processor.seen).toHaveLength(2);
    expect(await queues.counts(QueueName.System)).toMatchObject({ failed: 1, completed: 0 });
  });

  it('ignores a second job with the same id while the first is pending', async () => {
    const { processor, queues } = setup();
    await queues.add(QueueName.System, 'work', {}, { jobId: 'once' });
    await queues.add(QueueName.System, 'work', {}, { jobId: 'once' });
    await jest.runAllTimersAsync();
    expect(processor.seen).toHaveLength(1);
  });

  it('stops without waiting for jobs that have not started (a delay or a retry backoff), and never runs them', async () => {
    const { processor, queues } = setup();
    await queues.add(QueueName.System, 'later', {}, { delay: 60_000 });
    processor.failuresLeft = 1;
    await queues.add(QueueName.System, 'retried', {});
    await jest.advanceTimersByTimeAsync(0); // the first attempt fails; its retry waits 1 s
    await queues.onApplicationShutdown();
    await jest.runAllTimersAsync();
    expect(processor.seen).toEqual([{ name: 'retried', attempt: 0 }]);
  });

  it('answers a ping round trip without calling the handler', async () => {
    jest.useRealTimers();
    const { processor, queues } = setup();
    const ms = await queues.roundTrip(QueueName.System, 1_000);
    expect(ms).toBeGreaterThanOrEqual(0);
    expect(processor.seen).toHaveLength(0);
  });
});
