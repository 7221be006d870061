import type { Services } from '../../services/services.ts';

/** The use cases the Meshtastic gateway calls: nothing else is handed to it. */
export type MeshtasticServices = Pick<
  Services,
  'bus' | 'devices' | 'meshtastic' | 'messages' | 'positions' | 'tak'
>;
