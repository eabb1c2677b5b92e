import { LearnerKeyRefusal } from '../rules';

/**
 * Told of every write the learner-privacy rule refuses, just before the refusal is thrown: the
 * one hook for counting refusals (the service metrics bind it). Unbound, refusals are not counted.
 * Must not throw.
 */
export abstract class LearnerKeyRefusals {
  abstract refused(refusal: LearnerKeyRefusal): void;
}
