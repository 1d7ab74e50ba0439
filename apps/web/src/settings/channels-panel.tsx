import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { components } from '@oo/api-client';
import { api } from '../api/api-client';
import { unwrap } from '../api/problem';
import { consentText, recordConsent } from '../privacy/consent-texts';
import { ErrorNotice } from '../ui/error-notice';
import { disableWebPush, enableWebPush, hasWebPush, pushUnsupported } from './web-push';

type Preferences = components['schemas']['Preferences'];
type Channel = Preferences['channels'][number];

const withChannel = (channels: Channel[], channel: Channel, on: boolean): Channel[] => (on ? [...new Set([...channels, channel])] : channels.filter((c) => c !== channel));

/**
 * The channels beside the app: web push for this browser and e-mail. Turning one on records the
 * consent with its text and adds the channel; off withdraws both.
 */
export function ChannelsPanel({ preferences }: { preferences: Preferences }) {
  const queries = useQueryClient();
  const pushHere = useQuery({ queryKey: ['push-here'], queryFn: hasWebPush });
  const setChannel = async (channel: Channel, on: boolean) => {
    const current = queries.getQueryData<Preferences>(['preferences']) ?? preferences;
    const saved = await unwrap(api.PATCH('/v1/me/preferences', { body: { channels: withChannel(current.channels, channel, on) } }));
    queries.setQueryData(['preferences'], saved);
    await queries.invalidateQueries({ queryKey: ['consents'] });
  };
  const push = useMutation({
    mutationFn: async (on: boolean) => {
      if (on) await enableWebPush();
      else await disableWebPush();
      await recordConsent('push_notifications', on);
      await setChannel('push', on);
    },
    onSettled: () => queries.invalidateQueries({ queryKey: ['push-here'] }),
  });
  const email = useMutation({
    mutationFn: async (on: boolean) => {
      await recordConsent('email_notifications', on);
      await setChannel('email', on);
    },
  });
  const emailOn = preferences.channels.includes('email');
  const pushOn = preferences.channels.includes('push') && pushHere.data === true;
  const unsupported = pushUnsupported();
  return (
    <section aria-labelledby="channels-title">
      <h2 id="channels-title">Notifications</h2>
      <h3>Push to this browser</h3>
      <p className="consent-text">{consentText('push_notifications').text}</p>
      <p>Push is <strong>{pushOn ? 'on' : 'off'}</strong> for this browser.</p>
      <button type="button" disabled={push.isPending || Boolean(unsupported)} onClick={() => push.mutate(!pushOn)}>
        {pushOn ? 'Turn push off' : 'Enable push notifications'}
      </button>
      {unsupported && <p className="hint">{unsupported}</p>}
      <ErrorNotice error={push.error} what="Changing push" />
      <h3>E-mail</h3>
      <p className="consent-text">{consentText('email_notifications').text}</p>
      <p>E-mail is <strong>{emailOn ? 'on' : 'off'}</strong>.</p>
      <button type="button" disabled={email.isPending} onClick={() => email.mutate(!emailOn)}>{emailOn ? 'Turn e-mail off' : 'Turn e-mail on'}</button>
      <ErrorNotice error={email.error} what="Changing e-mail" />
    </section>
  );
}
