import { Injectable, Optional } from '@nestjs/common';

import { assertNoLearnerKeys, KeyedWrite, LearnerKeyRefusals } from '@app/domain';

import { TrackingOptions } from '../tracking-options';

/**
 * The FLOps learner-privacy rule as the tracking services apply it: each write path calls
 * `check` once, with every key it is about to store, before the store is called.
 */
@Injectable()
export class LearnerPrivacyService {
  constructor(
    private readonly options: TrackingOptions,
    @Optional() private readonly refusals?: LearnerKeyRefusals,
  ) {}

  check(write: KeyedWrite): void {
    assertNoLearnerKeys(this.options.learnerKeyPrefixes, write, (refusal) =>
      this.refusals?.refused(refusal),
    );
  }
}
