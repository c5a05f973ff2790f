import { ServiceStatus } from '../system/dto/system-health.dto';
import { worst } from './probe-result';

describe('worst', () => {
  it('is the most severe status, healthy when there is none', () => {
    expect(worst([])).toBe(ServiceStatus.Healthy);
    expect(worst([ServiceStatus.Healthy, ServiceStatus.Degraded])).toBe(ServiceStatus.Degraded);
    expect(worst([ServiceStatus.Unhealthy, ServiceStatus.Degraded, ServiceStatus.Healthy])).toBe(
      ServiceStatus.Unhealthy,
    );
  });
});
