import { Test } from '@nestjs/testing';

import {
  DEFAULT_LEARNER_KEY_PREFIXES,
  LearnerKeyRefusal,
  LearnerKeyRefusals,
  LearnerKeyRefusedError,
} from '@app/domain';

import { TrackingOptions } from '../tracking-options';
import { LearnerPrivacyService } from './learner-privacy.service';

class RecordedRefusals extends LearnerKeyRefusals {
  seen: LearnerKeyRefusal[] = [];
  refused(refusal: LearnerKeyRefusal): void {
    this.seen.push(refusal);
  }
}

const OPTIONS: TrackingOptions = {
  truncateLongValues: true,
  learnerKeyPrefixes: DEFAULT_LEARNER_KEY_PREFIXES,
};

describe(LearnerPrivacyService.name, () => {
  const build = async (refusals?: LearnerKeyRefusals) => {
    const moduleRef = await Test.createTestingModule({
      providers: [
        LearnerPrivacyService,
        { provide: TrackingOptions, useValue: OPTIONS },
        ...(refusals ? [{ provide: LearnerKeyRefusals, useValue: refusals }] : []),
      ],
    }).compile();
    return moduleRef.get(LearnerPrivacyService);
  };

  it('tells a bound LearnerKeyRefusals of each refusal', async () => {
    const refusals = new RecordedRefusals();
    const sut = await build(refusals);
    expect(() => sut.check({ params: [{ key: 'loss', value: '1' }] })).not.toThrow();
    expect(() => sut.check({ metrics: [{ key: 'client.3/loss' }] })).toThrow(
      LearnerKeyRefusedError,
    );
    expect(refusals.seen).toEqual([{ kind: 'metric', key: 'client.3/loss', prefix: 'client.' }]);
  });

  it('refuses without counting when nothing is bound', async () => {
    const sut = await build();
    expect(() => sut.check({ tags: [{ key: 'site/a', value: 'x' }] })).toThrow(
      LearnerKeyRefusedError,
    );
  });
});
