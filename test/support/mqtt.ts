import { randomBytes } from 'node:crypto';
import { connectAsync } from 'mqtt';
import { canRun } from './requirements.ts';

/** The MQTT broker the OwnTracks tests publish through (HOWL_TEST_MQTT_URL), if any. */
export const MQTT_URL = canRun(
  'MQTT tests',
  process.env.HOWL_TEST_MQTT_URL ? undefined : 'HOWL_TEST_MQTT_URL is not set',
  'set it to a broker the tests may publish on, e.g. mqtt://127.0.0.1:1883',
)
  ? process.env.HOWL_TEST_MQTT_URL
  : undefined;

/**
 * Leaves the shared broker as found: clears every retained message under `baseTopic`. A new subscription
 * is told which messages are retained, whatever the test's own clients saw arrive live.
 */
export async function clearRetained(url: string, baseTopic: string): Promise<void> {
  const sweeper = await connectAsync(url, {
    clientId: `howl-sweep-${randomBytes(4).toString('hex')}`,
    reconnectPeriod: 0,
  });
  const topics = new Set<string>();
  sweeper.on('message', (topic, payload, packet) => {
    if (packet.retain && payload.length > 0) topics.add(topic);
  });
  await sweeper.subscribeAsync(`${baseTopic}/#`, { qos: 1 });
  await new Promise((r) => setTimeout(r, 300));
  for (const topic of topics) await sweeper.publishAsync(topic, '', { qos: 1, retain: true });
  await sweeper.endAsync();
}
