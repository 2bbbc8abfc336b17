// Verifies webhook deliveries as a receiver would, with libraries independent of the ones that sent them: the Standard
// Webhooks signature with `standardwebhooks` (the specification's own JavaScript implementation), and the body as a
// CloudEvent with the CloudEvents JavaScript SDK (`cloudevents`, which validates the event's attributes).
// Input: a JSON file {"secret": "whsec_…", "deliveries": [{"headers": {…}, "body": "…"}, …]}.
// Prints one result per delivery, [{"verified": true, "event": {…}} or {"verified": false, "error": "…"}], and exits 0
// when every delivery verified and parsed, 1 otherwise.
// Usage (from the repository root): node tests/readers/verify-webhook.mjs deliveries.json
import { readFileSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';
import { HTTP } from 'cloudevents';

const { secret, deliveries } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const webhook = new Webhook(secret);
const results = deliveries.map(({ headers, body }) => {
  try {
    webhook.verify(body, headers);
  } catch (e) {
    return { verified: false, error: `signature: ${e.message}` };
  }
  try {
    const event = HTTP.toEvent({ headers, body });
    return {
      verified: true,
      event: {
        specversion: event.specversion, id: event.id, type: event.type, source: event.source, subject: event.subject,
        time: event.time, datacontenttype: event.datacontenttype, data: event.data,
      },
    };
  } catch (e) {
    return { verified: false, error: `cloudevent: ${e.message ?? e}` };
  }
});
process.stdout.write(JSON.stringify(results));
process.exit(results.every(r => r.verified) ? 0 : 1);
