import type { Services } from '../../services/services.ts';

/** The use cases the OwnTracks gateway calls (MQTT and HTTP mode alike): nothing else is handed to it. */
export type OwnTracksServices = Pick<
  Services,
  'active' | 'alerts' | 'bus' | 'deviceNotices' | 'devices' | 'members' | 'positions' | 'regions' | 'tokens'
>;
