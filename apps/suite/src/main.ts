import { PROBE } from '@app/domain';
console.log('probe', PROBE);
