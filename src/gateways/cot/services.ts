import type { Services } from '../../services/services.ts';

/** The use cases the Cursor-on-Target gateway calls: nothing else is handed to it. */
export type CotServices = Pick<
  Services,
  | 'active'
  | 'alerts'
  | 'bus'
  | 'contacts'
  | 'devices'
  | 'members'
  | 'messages'
  | 'operations'
  | 'positions'
  | 'tak'
  | 'teams'
  | 'ticks'
>;
