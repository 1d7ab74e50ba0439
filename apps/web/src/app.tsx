import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter, Navigate, Route, Routes, useLocation, useParams } from 'react-router';
import { SessionGate, useSession } from './api/session';
import { AdminRoutes } from './admin/admin-routes';
import { HistoryScreen } from './history/history-screen';
import { NowScreen } from './now/now-screen';
import { DeletionReceipts } from './privacy/delete-panel';
import { PrivacyScreen } from './privacy/privacy-screen';
import { SettingsScreen } from './settings/settings-screen';
import { SourcesScreen } from './sources/sources-screen';
import { ErrorNotice } from './ui/error-notice';
import { Layout } from './ui/layout';
import { SignInPage } from './ui/sign-in-page';

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } });

// A notification's or an e-mail's link is `/?tip=…&decision=…`: it opens that tip on Now.
function Home() {
  const { search } = useLocation();
  return <Navigate to={`/now${search}`} replace />;
}

function Receipts() {
  const { requestId = '' } = useParams();
  return <DeletionReceipts requestId={requestId} />;
}

function AdminOnly() {
  const session = useSession();
  if (!session.isAdmin) return <p role="alert" className="notice notice-error">The admin console is for people with the admin role.</p>;
  return <AdminRoutes />;
}

function SignedIn() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<Home />} />
        <Route path="now" element={<NowScreen />} />
        <Route path="history" element={<HistoryScreen />} />
        <Route path="sources" element={<SourcesScreen />} />
        <Route path="settings" element={<SettingsScreen />} />
        <Route path="privacy" element={<PrivacyScreen />} />
        <Route path="admin/*" element={<AdminOnly />} />
        <Route path="*" element={<p>There is no page here. Choose one above.</p>} />
      </Route>
    </Routes>
  );
}

/** The app: the deletion receipts page is public; every other page is behind the sign-in. */
export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <Routes>
          <Route path="/deleted/:requestId" element={<Receipts />} />
          <Route
            path="*"
            element={
              <SessionGate signedOut={<SignInPage />} failed={(error) => <main id="main"><ErrorNotice error={error} what="Opening oO" /></main>}>
                <SignedIn />
              </SessionGate>
            }
          />
        </Routes>
      </BrowserRouter>
    </QueryClientProvider>
  );
}
