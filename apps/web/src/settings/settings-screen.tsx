import { useQuery } from '@tanstack/react-query';
import { api } from '../api/api-client';
import { unwrap } from '../api/problem';
import { ErrorNotice } from '../ui/error-notice';
import { usePageTitle } from '../ui/page-title';
import { ChannelsPanel } from './channels-panel';
import { PreferencesForm } from './preferences-form';

/** Settings: time zone, quiet hours, cadence, and the notification channels. */
export function SettingsScreen() {
  usePageTitle('Settings');
  const preferences = useQuery({ queryKey: ['preferences'], queryFn: () => unwrap(api.GET('/v1/me/preferences')) });
  return (
    <>
      <h1>Settings</h1>
      {preferences.isPending && <p role="status">Loading your settings…</p>}
      <ErrorNotice error={preferences.error} what="Loading your settings" />
      {preferences.data && (
        <>
          <PreferencesForm preferences={preferences.data} />
          <ChannelsPanel preferences={preferences.data} />
        </>
      )}
    </>
  );
}
