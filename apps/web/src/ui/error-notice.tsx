import { describeError } from '../api/problem';

/** An error a person can read (the problem's detail and fields), announced to screen readers. */
export function ErrorNotice({ error, what }: { error: unknown; what: string }) {
  if (!error) return null;
  return (
    <p role="alert" className="notice notice-error">
      {what} failed: {describeError(error)}
    </p>
  );
}
