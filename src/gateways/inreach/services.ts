import type { Services } from '../../services/services.ts';

/** The use cases the inReach gateway calls: nothing else is handed to it. */
export type InReachServices = Pick<Services, 'inreach'>;
