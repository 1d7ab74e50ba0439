import { signInUrl } from '../api/api-client';

/** What a signed-out visitor sees: what oO is and one way in. */
export function SignInPage() {
  const here = `${window.location.pathname}${window.location.search}`;
  const returnTo = here === '/' ? '/now' : here;
  return (
    <main id="main" className="sign-in">
      <h1>oO</h1>
      <p>The one next thing worth doing, picked from your tasks and calendars and learning from how you react.</p>
      <p>
        <a className="button primary" href={signInUrl(returnTo)}>Sign in</a>
      </p>
    </main>
  );
}
