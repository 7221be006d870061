// The floor for OwnTracks over MQTT: a bare subscriber to the same broker and topics (QoS 1) that parses each
// location's JSON and stores nothing. Prints {"ready": true} once subscribed, then, when `<base>/end` arrives
// (published after the last location), {"count": N, "at": epoch ms} and exits.
import mqtt from 'mqtt';

const [broker = 'mqtt://127.0.0.1:1883', base = 'howlbench'] = process.argv.slice(2);
const client = await mqtt.connectAsync(broker, { clientId: `howl-bench-floor-${process.pid}` });
let count = 0;
client.on('message', (topic, payload) => {
  if (topic === `${base}/end`) {
    process.stdout.write(`${JSON.stringify({ count, at: Date.now() })}\n`);
    void client.endAsync().then(() => process.exit(0));
    return;
  }
  const m = JSON.parse(payload.toString()) as { lat?: number };
  if (typeof m.lat === 'number') count++;
});
await client.subscribeAsync(`${base}/#`, { qos: 1 });
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
