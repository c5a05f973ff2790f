import { describeDetail, humanizeKey, serviceChip } from './system-status.presentation';

describe('system status presentation', () => {
  it('turns detail keys into labels', () => {
    expect(humanizeKey('driver')).toBe('Driver');
    expect(humanizeKey('widgetEnabled')).toBe('Widget enabled');
    expect(humanizeKey('queue_depth')).toBe('Queue depth');
    expect(humanizeKey('system.waiting')).toBe('System · waiting');
  });

  it('gives durations and sizes their unit', () => {
    expect(describeDetail('roundTripMs', 1.5)).toEqual({ key: 'roundTripMs', label: 'Round trip', value: '1.5 ms' });
    expect(describeDetail('heapBytes', 1536).value).toBe('1.5 KiB');
    expect(describeDetail('pages', 1234)).toMatchObject({ label: 'Pages', value: '1,234' });
    expect(describeDetail('widgetEnabled', true).value).toBe('Yes');
    expect(describeDetail('mode', 'inline').value).toBe('inline');
    const heartbeat = describeDetail('lastHeartbeatAt', new Date().toISOString());
    expect(heartbeat.label).toBe('Last heartbeat');
    expect(heartbeat.value).toMatch(/^\d{1,2}:\d{2}:\d{2}\s?[AP]M$/);
  });

  it('gives unconfigured services a neutral chip whatever their status', () => {
    expect(serviceChip({ status: 'healthy', configured: false })).toEqual({ tone: 'neutral', label: 'Not configured' });
    expect(serviceChip({ status: 'degraded', configured: true })).toEqual({ tone: 'degraded', label: 'Degraded' });
  });
});
